"""Compare: how far each designator lagged behind a reference in designating a group."""

import streamlit as st

from app_pages import data_access
from model.analysis import lag_behind_reference
from model.charts import lag_figure
from model.narrative import lag_sentences
from model.queries import EventFilter

version = data_access.prepare_database()
df_groups = data_access.groups(version)
group_names = dict(zip(df_groups["group_id"], df_groups["name"]))
params = st.query_params

st.title("Compare: lag behind a reference")
requested_group = params.get("group", "").split(",")[0]
group_ids = list(group_names)
group_id = st.selectbox(
    "Group",
    group_ids,
    index=group_ids.index(requested_group) if requested_group in group_names else 0,
    format_func=lambda g: group_names[g],
)
df_events = data_access.events(EventFilter(groups=(group_id,)), version)
designators = dict(zip(df_events["designator_code"], df_events["designator_name"]))
choices = ["first", *sorted(designators, key=designators.get)]
requested_reference = params.get("reference", "first")
if requested_reference not in choices:
    st.warning(f"Ignoring unknown reference {requested_reference[:40]!r}; using the first designator.")
    requested_reference = "first"
reference = st.selectbox(
    "Reference",
    choices,
    index=choices.index(requested_reference),
    format_func=lambda c: "First designator anywhere" if c == "first" else designators[c],
)
params.from_dict({"group": group_id, "reference": reference})

try:
    lags = lag_behind_reference(df_events, group_id, reference)
except ValueError:
    st.info(f"{designators.get(reference, reference)} has no formal listing of this group to compare against.")
    st.stop()
if lags.empty:
    st.info("No formal listing of this group is recorded.")
    st.stop()

st.plotly_chart(lag_figure(lags), width="stretch")
for sentence in lag_sentences(lags):
    st.markdown(f"- {sentence}")
st.caption(
    "Lag uses each act's own date (decision, else publication, else entry into force). An imprecise date "
    "gives a range of days. Reported bans without a formal act are not counted as designations here."
)
