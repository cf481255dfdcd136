"""Data: sources and coverage per designator, the data dictionary, licence, how to cite, downloads."""

from functools import partial

import streamlit as st

from app_pages import data_access, view

MAX_SOURCES_SHOWN = 5000

version = data_access.prepare_database()
view.shared_filters(version)

st.title("Data and sources")
st.markdown(
    "Every event rests on at least one source; dates are exactly as precise as the source. "
    "Coverage says what is tracked for each designator and since when: outside it, the app says "
    "**no data** rather than **not designated**."
)
st.subheader("Coverage per designator")
summary = data_access.coverage_summary(version)
st.dataframe(
    summary.fillna(""),
    hide_index=True,
    column_config={
        "designator_name": "Designator",
        "events": "Events",
        "first_act": "First act",
        "last_act": "Last act",
        "tracked": "Tracked",
        "method": "How",
        "last_verified": "Last verified",
    },
)

st.subheader("Sources")
sources = data_access.source_list(MAX_SOURCES_SHOWN, version)
total_sources = data_access.cited_source_count(version)
st.caption(
    f"{total_sources:,} sources, most cited first"
    + (
        f"; showing the first {MAX_SOURCES_SHOWN:,}, the download holds them all."
        if total_sources > len(sources)
        else "."
    )
)
st.dataframe(
    sources.fillna("")[["title", "publisher", "publication_date", "url", "events"]],
    hide_index=True,
    column_config={"url": st.column_config.LinkColumn("Address")},
)
view.downloads_of(partial(data_access.source_list, None, version), "sources")

st.subheader("Data dictionary")
st.dataframe(data_access.data_dictionary(), hide_index=True)

st.subheader("Downloads")
st.download_button(
    "Download the full data package (zip)",
    partial(data_access.full_package_zip, version),  # written when clicked
    f"designations-{version}.zip",
    "application/zip",
)
st.markdown("Or from the command line: `python -m loaders export --out DIR` (with optional filters).")

st.subheader("Licence and citation")
st.markdown(
    f"Data version **{version}**. The curated data is licensed CC BY 4.0; the code MIT. Quotes are short "
    "extracts of the cited sources, which remain their publishers'. Cite the data version and the primary "
    "sources of each event you rely on."
)
view.cite_this_view(version, "data")
