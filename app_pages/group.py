"""Group profile: names over time (with original scripts), all events by designator, and sources."""

import streamlit as st

from app_pages import data_access, view
from model.charts import timeline_figure
from model.queries import EventFilter

version = data_access.prepare_database()
filters, _ = view.shared_filters(version)
names = data_access.names(version)
group_ids = list(filters.groups) or sorted(names["groups"], key=names["groups"].get)
if not group_ids:
    st.info("No groups recorded yet.")
    st.stop()
group_id = st.selectbox("Group", group_ids, format_func=lambda g: names["groups"].get(g, g))
details = data_access.group_details(group_id, version)
group = details["group"]

st.title(group.get("name", group_id))
facts = [f"Id `{group_id}`"]
if group.get("wikidata_qid"):
    facts.append(f"Wikidata [{group['wikidata_qid']}](https://www.wikidata.org/wiki/{group['wikidata_qid']})")
facts += [f"{scheme}: {value}" for scheme, value in details["identifiers"].itertuples(index=False)]
st.markdown(" · ".join(facts))
if group.get("description"):
    st.write(group["description"])

st.subheader("Names")
if details["names"].empty:
    st.info("No other names recorded.")
else:
    st.dataframe(
        details["names"].fillna(""),
        hide_index=True,
        column_config={"source_url": st.column_config.LinkColumn("Source")},
    )

df_events = data_access.events(EventFilter(groups=(group_id,)), version)
st.subheader(f"Events ({len(df_events)})")
if df_events.empty:
    st.info("No events recorded for this group.")
else:
    st.plotly_chart(
        timeline_figure(df_events, title=f"{group.get('name', group_id)}: designations over time"), width="stretch"
    )
    view.limited_table(
        df_events,
        ["designator_name", *view.ACT_TABLE_COLUMNS, "notes"],
    )
    view.downloads(df_events, f"group-{group_id}")
    st.subheader("Sources")
    sources = data_access.event_sources(EventFilter(groups=(group_id,)), version)
    view.limited_table(
        sources,
        ["event_id", "title", "publisher", "publication_date", "url", "quote", "is_date_checked"],
        column_config={"url": st.column_config.LinkColumn("Address")},
    )
view.cite_this_view(version, "group")
