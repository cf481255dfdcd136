"""Map: one group's status in every state on a chosen date, with the UN and EU beside it."""

from datetime import date

import streamlit as st

from app_pages import data_access, view
from model.analysis import as_of_status
from model.charts import status_map_figure
from model.dates import DateGrammarError, parse_date
from model.geo import body_statuses, map_statuses
from model.queries import EventFilter

version = data_access.prepare_database()
filters, _ = view.shared_filters(version)
names = data_access.names(version)

st.title("Map: status on a date")
counts = data_access.group_event_counts(EventFilter(), version)
group_ids = list(filters.groups) or list(counts.index)
if not group_ids:
    st.info("No groups recorded yet.")
    st.stop()
group_id = st.selectbox("Group", group_ids, format_func=lambda g: names["groups"].get(g, g))

as_of_text = st.query_params.get("as_of", "")
on_date = date.today()
if as_of_text:
    try:
        on_date = parse_date(as_of_text[:40]).earliest
    except DateGrammarError as exc:
        st.warning(f"Ignoring the 'as_of' date: {exc}")
on_date = st.slider("Status on", min_value=date(1990, 1, 1), max_value=date.today(), value=on_date, format="YYYY-MM-DD")
view.page_param("as_of", on_date.isoformat())

df_events = data_access.status_events(EventFilter(groups=(group_id,)), version)
coverage = data_access.coverage(version)
on_that_date = as_of_status(df_events, coverage, group_id, on_date)  # computed once for the map and the bodies
statuses = map_statuses(on_that_date, names["designators"])
title = f"{names['groups'].get(group_id, group_id)}: status on {on_date.isoformat()}"
st.plotly_chart(status_map_figure(statuses, title), width="stretch", config={"topojsonURL": "/app/static/"})
bodies = body_statuses(on_that_date)
left, right = st.columns(2)
left.metric("United Nations Security Council", bodies["UN"].replace("_", " "))
right.metric("European Union", bodies["EU"].replace("_", " "))
uncertain = statuses[statuses["is_uncertain"]]
if not uncertain.empty:
    st.warning("Uncertain on this date (imprecise event dates): " + ", ".join(uncertain["name"]))
st.caption("'No data' means the designator is not tracked for this group then, not that it never designated it.")
shown = statuses[statuses["status"] != "no_data"].drop(columns=["iso3"])
view.downloads(shown, f"status-{group_id}-{on_date.isoformat()}")
view.cite_this_view(version, "map")
