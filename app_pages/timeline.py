"""Timeline: for one or more groups, each designator's status intervals and every event."""

import streamlit as st

from app_pages import data_access
from model.charts import timeline_figure
from model.queries import EventFilter

version = data_access.prepare_database()
df_groups = data_access.groups(version)
group_names = dict(zip(df_groups["group_id"], df_groups["name"]))
requested = [g for g in st.query_params.get("group", "").split(",") if g]
unknown = [g for g in requested if g not in group_names]
if unknown:
    st.warning(f"Ignoring unknown group ids in the address: {', '.join(unknown)[:200]}")

st.title("Timeline")
chosen = st.multiselect(
    "Groups",
    list(group_names),
    default=[g for g in requested if g in group_names] or list(group_names)[:1],
    format_func=lambda group_id: group_names[group_id],
)
st.query_params["group"] = ",".join(chosen)
if not chosen:
    st.info("Choose at least one group.")
    st.stop()

for group_id in chosen:
    df_events = data_access.events(EventFilter(groups=(group_id,)), version)
    st.subheader(group_names[group_id])
    if df_events.empty:
        st.info("No events recorded for this group.")
        continue
    st.plotly_chart(timeline_figure(df_events), width="stretch")
st.caption(
    "Bars: listed (solid), reported ban without a formal act (hatched), suspended (grey). Markers: the act "
    "(filled = formal, hollow = reported); a bar from a marker spans an imprecise date; dotted lines lead to a "
    "later publication (|) or entry into force (star). Hover for dates, authority, reference and source."
)
