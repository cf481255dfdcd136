"""Streamlit entry point: builds the database if needed, then routes to the pages."""

import streamlit as st

from app_pages.data_access import prepare_database

st.set_page_config(page_title="Designations", page_icon=":material/gavel:", layout="wide")
prepare_database()
page = st.navigation(
    [
        st.Page("app_pages/explore.py", title="Explore", icon=":material/table:", default=True),
        st.Page("app_pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
        st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    ]
)
page.run()
