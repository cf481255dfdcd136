"""Explore: filter designation events and read or download them."""

import streamlit as st

from app_pages import data_access
from loaders.safe_csv import safe_csv_bytes
from model.dates import DateGrammarError, parse_date
from model.queries import EventFilter

version = data_access.prepare_database()
params = st.query_params


def _list_param(name: str) -> list[str]:
    return [part for part in params.get(name, "").split(",") if part]


st.title("Designations of terrorist and extremist groups")
st.caption(
    "Who designated which group, when, by which authority, on what source. Dates are shown as precise as their source."
)

df_designators = data_access.designators(version)
df_groups = data_access.groups(version)
designator_names = dict(zip(df_designators["code"], df_designators["name"]))
group_names = dict(zip(df_groups["group_id"], df_groups["name"]))

unknown = [c for c in _list_param("designator") if c not in designator_names] + [
    g for g in _list_param("group") if g not in group_names
]
if unknown:
    st.warning(f"Ignoring unknown designator or group codes in the address: {', '.join(unknown)[:200]}")

left, middle, right_from, right_to = st.columns([2, 2, 1, 1])
chosen_designators = left.multiselect(
    "Designator",
    list(designator_names),
    default=[c for c in _list_param("designator") if c in designator_names],
    format_func=lambda code: f"{designator_names[code]} ({code})",
)
chosen_groups = middle.multiselect(
    "Group",
    list(group_names),
    default=[g for g in _list_param("group") if g in group_names],
    format_func=lambda group_id: group_names[group_id],
)
date_from = right_from.text_input("From", params.get("from", ""), placeholder="YYYY, YYYY-MM or YYYY-MM-DD")
date_to = right_to.text_input("To", params.get("to", ""), placeholder="YYYY, YYYY-MM or YYYY-MM-DD")

valid_dates = {}
for label, value in (("from", date_from), ("to", date_to)):
    try:
        valid_dates[label] = parse_date(value).text if value else None
    except DateGrammarError as exc:
        st.warning(f"Ignoring the '{label}' date: {exc}")
        valid_dates[label] = None

params.from_dict(
    {
        k: v
        for k, v in {
            "designator": ",".join(chosen_designators),
            "group": ",".join(chosen_groups),
            "from": valid_dates["from"] or "",
            "to": valid_dates["to"] or "",
        }.items()
        if v
    }
)

filters = EventFilter(tuple(chosen_designators), tuple(chosen_groups), valid_dates["from"], valid_dates["to"])
df_events = data_access.events(filters, version)

st.markdown(f"**{len(df_events):,} events** match.")
if df_events.empty:
    st.info("No events match these filters.")
else:
    labels = {
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
        "source_urls": "All sources",
        "notes": "Notes",
    }
    st.dataframe(
        df_events.fillna("").assign(source=df_events["source_urls"].str.split(" ").str[0]),
        hide_index=True,
        column_order=[*list(labels)[:12], "source", "source_urls", "notes"],
        column_config={
            **{column: st.column_config.TextColumn(label) for column, label in labels.items()},
            "source": st.column_config.LinkColumn("First source"),
        },
    )
    st.download_button("Download these events (CSV)", safe_csv_bytes(df_events), "events.csv", "text/csv")
st.caption(f"Data version {version}. Data licence CC BY 4.0; cite the primary sources listed with each event.")
