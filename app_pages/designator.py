"""Designator profile: its authorities, its list over time, and what is covered since when."""

from functools import partial

import streamlit as st

from app_pages import data_access, view
from model.charts import designator_years_figure
from model.queries import EventFilter

version = data_access.prepare_database()
filters, _ = view.shared_filters(version)
names = data_access.names(version)
with_events = sorted(data_access.designators(version)["code"], key=lambda c: names["designators"].get(c, c))
codes = list(filters.designators) or with_events
if not codes:
    st.info("No designators with events yet.")
    st.stop()
code = st.selectbox("Designator", codes, format_func=lambda c: f"{names['designators'].get(c, c)} ({c})")
st.title(names["designators"].get(code, code))

st.subheader("Authorities")
authorities = data_access.designator_details(code, version)["authorities"]
if authorities.empty:
    st.info("No authorities recorded.")
else:
    st.dataframe(authorities.fillna(""), hide_index=True)

only_this = EventFilter(designators=(code,))
event_total = data_access.event_count(only_this, version)
st.subheader("Its list over time")
if not event_total:
    st.info("No events recorded for this designator.")
else:
    counts = data_access.designator_years(code, version)
    figure = designator_years_figure(
        counts, f"{names['designators'].get(code, code)}: groups on its list at some point of each year"
    )
    st.plotly_chart(figure, width="stretch")
    view.limited_table(
        data_access.events_shown(only_this, view.MAX_ROWS_SHOWN, version),
        ["group_name", *view.ACT_TABLE_COLUMNS],
        total=event_total,
    )
    view.downloads_of(partial(data_access.events, only_this, version), f"designator-{code}")

st.subheader("Coverage")
coverage = data_access.coverage(version)
rows = coverage[coverage["designator_code"] == code]
if rows.empty:
    st.info("Not tracked: an absence of events here means 'no data', not 'not designated'.")
else:
    st.dataframe(rows.fillna(""), hide_index=True)
view.cite_this_view(version, "designator")
