"""Timeline: for the chosen groups, each designator's status intervals and every event."""

import streamlit as st

from app_pages import data_access, view
from model.charts import timeline_figure
from model.queries import EventFilter

version = data_access.prepare_database()
filters, event_filter = view.shared_filters(version)
group_names = data_access.names(version)["groups"]

st.title("Timeline")
groups = list(filters.groups)
if not groups:
    st.info("Choose one or more groups in the sidebar; showing the group with the most events.")
    counts = data_access.group_event_counts(EventFilter(), version)
    groups = list(counts.index[:1])
for group_id in groups:
    df_events = data_access.events(EventFilter(**{**event_filter.__dict__, "groups": (group_id,)}), version)
    st.subheader(group_names.get(group_id, group_id))
    if df_events.empty:
        st.info("No events match the filters for this group.")
        continue
    st.plotly_chart(
        timeline_figure(df_events, title=f"{group_names.get(group_id, group_id)}: designations over time"),
        width="stretch",
    )
    view.downloads(df_events, f"timeline-{group_id}")
st.caption(
    "Bars: listed (solid), reported ban without a formal act (hatched), suspended (grey). Markers: the act "
    "(filled = formal, hollow = reported); a bar from a marker spans an imprecise date; dotted lines lead to a "
    "later publication (|) or entry into force (star). Hover for dates, authority, reference and source."
)
view.cite_this_view(version, "timeline")
