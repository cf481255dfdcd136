"""Streamlit entry point: builds the database if needed, routes to the pages, carries filters across them."""

import logging

import streamlit as st

from app_pages.data_access import prepare_database
from app_pages.view import shared_params

st.set_page_config(page_title="Designations", page_icon=":material/gavel:", layout="wide")
prepare_database()

PAGES = {
    "explore": ("Explore", ":material/table:"),
    "timeline": ("Timeline", ":material/timeline:"),
    "compare": ("Compare", ":material/compare_arrows:"),
    "map": ("Map", ":material/public:"),
    "group": ("Group profile", ":material/groups:"),
    "designator": ("Designator profile", ":material/account_balance:"),
    "data": ("Data and sources", ":material/dataset:"),
}
pages = {
    name: st.Page(f"app_pages/{name}.py", title=title, icon=icon, url_path=name)
    for name, (title, icon) in PAGES.items()
}


def _open_explore() -> None:
    """The bare address opens /explore, keeping any filters in the URL."""
    st.switch_page(pages["explore"], query_params=st.query_params.to_dict())


home = st.Page(_open_explore, title="Home", default=True, visibility="hidden")
page = st.navigation([home, *pages.values()], position="hidden")
links = st.sidebar.container()
try:
    page.run()
except Exception:  # Streamlit's own stop/rerun signals are BaseExceptions and pass through.
    logging.getLogger("designations").exception("page %s failed", page.title)
    st.error("Sorry, this view could not be shown. Try other filters; the problem has been logged.")
with links:
    # Drawn after the page so that the links carry the filters the page has just written to the URL.
    for link in pages.values():
        st.page_link(link, query_params=shared_params())
    st.divider()
