"""Explore: the events matching the shared filters, sortable, with their sources, and downloads."""

from functools import partial

import streamlit as st

from app_pages import data_access, view

MAX_ROWS_SHOWN = view.MAX_ROWS_SHOWN
LABELS = {
    "designator_name": "Designator",
    "group_name": "Group",
    "name_as_listed": "Name as listed",
    "event_type": "Event",
    "category": "Category",
    "formality": "Formality",
    "decision_date": "Decision",
    "publication_date": "Publication",
    "entry_into_force_date": "In force",
    "authority": "Authority",
    "legal_reference": "Legal reference",
    "scope": "Scope",
}

version = data_access.prepare_database()
_, event_filter = view.shared_filters(version)

st.title("Designations of terrorist and extremist groups")
st.caption(
    "Who designated which group, when, by which authority, on what source. "
    "Dates are shown exactly as precise as their source."
)
total = data_access.event_count(event_filter, version)
st.markdown(f"**{total:,} {'event' if total == 1 else 'events'}** match.")
if total == 0:
    st.info("No events match these filters.")
else:
    if total > MAX_ROWS_SHOWN:
        st.caption(f"Showing the first {MAX_ROWS_SHOWN:,}; the downloads hold all {total:,}.")
    shown = data_access.events_shown(event_filter, MAX_ROWS_SHOWN, version).fillna("")
    st.dataframe(
        shown.assign(source=shown["source_urls"].str.split(" ").str[0]),
        hide_index=True,
        column_order=[*LABELS, "source", "source_urls", "notes"],
        column_config={
            **{column: st.column_config.TextColumn(label) for column, label in LABELS.items()},
            "source": st.column_config.LinkColumn("First source"),
            "source_urls": st.column_config.TextColumn("All sources"),
            "notes": st.column_config.TextColumn("Notes"),
        },
    )
    view.downloads_of(partial(data_access.events, event_filter, version), "events")
view.cite_this_view(version, "explore")
