"""Compare: lag behind a reference, diffusion curves across groups, and the groups x designators matrix."""

from dataclasses import replace

import streamlit as st

from app_pages import data_access, view
from model.analysis import (
    diffusion_curves,
    first_designation_matrix,
    first_designations_of_all,
    lag_behind_reference,
    most_listed,
)
from model.charts import MAX_DIFFUSION_GROUPS, MAX_MATRIX_GROUPS, diffusion_figure, lag_figure, matrix_figure
from model.narrative import lag_sentences
from model.queries import EventFilter

version = data_access.prepare_database()
filters, event_filter = view.shared_filters(version)
names = data_access.names(version)
listed_by = data_access.first_listing_counts(event_filter, version)  # designators per group, counted in SQL


def groups_with_events() -> list[str]:
    """Every group with a matching event, most events first."""
    return list(data_access.group_event_counts(event_filter, version).index)


def all_first_listings():
    return data_access.first_formal_listings(event_filter, version)


def charted_first_listings(groups: list[str]):
    """The dated first listings of only the groups a chart draws (the downloads read all)."""
    return first_designations_of_all(
        data_access.first_formal_listings(replace(event_filter, groups=tuple(sorted(groups))), version)
    )


def lag_chart() -> None:
    """A group's lag behind a reference designator: bars and sentences with each act's authority and date."""
    group_ids = list(filters.groups) or sorted(listed_by.index, key=lambda g: names["groups"].get(g, g))
    if not group_ids:
        st.info("No formal listings match these filters.")
        return
    # Without a chosen group, open on the one listed by the most designators.
    default_group = most_listed(listed_by, group_ids, 1)[0]
    group_id = st.selectbox(
        "Group", group_ids, index=group_ids.index(default_group), format_func=lambda g: names["groups"].get(g, g)
    )
    df_events = data_access.events(EventFilter(**{**event_filter.__dict__, "groups": (group_id,)}), version)
    designators = dict(zip(df_events["designator_code"], df_events["designator_name"]))
    choices = ["first", *sorted(designators, key=designators.get)]
    requested = st.query_params.get("reference", "first")
    if requested not in choices:
        st.warning(f"Ignoring unknown reference {requested[:40]!r}; using the first designator.")
        requested = "first"
    reference = st.selectbox(
        "Reference",
        choices,
        index=choices.index(requested),
        format_func=lambda c: "First designator anywhere" if c == "first" else designators[c],
    )
    view.page_param("reference", None if reference == "first" else reference)
    try:
        lags = lag_behind_reference(df_events, group_id, reference)
    except ValueError:
        st.info(f"{designators.get(reference, reference)} has no formal listing of this group to compare against.")
        return
    if lags.empty:
        st.info("No formal listing of this group matches these filters.")
        return
    behind = "the first designator" if reference == "first" else designators[reference]
    title = f"{names['groups'].get(group_id, group_id)}: lag behind {behind}"
    st.plotly_chart(lag_figure(lags, title=title), width="stretch")
    for sentence in lag_sentences(lags):
        st.markdown(f"- {sentence}")
    st.caption(
        "Lag uses each act's own date (decision, else publication, else entry into force); an "
        "imprecise date gives a range of days. Reported bans are not counted as designations."
    )


def diffusion_chart() -> None:
    """Cumulative designators per group over time, for the groups listed by the most designators."""
    drawn = most_listed(listed_by, list(listed_by.index), MAX_DIFFUSION_GROUPS)
    aligned = st.toggle("Align at each group's first designation", value=False)
    curves = diffusion_curves(charted_first_listings(drawn), aligned=aligned) if drawn else None
    if curves is None or curves.empty:
        st.info("No formal listings match these filters.")
        return
    st.plotly_chart(diffusion_figure(curves, names["groups"], aligned=aligned), width="stretch")
    st.caption(
        "Restrict to a region or bloc with the sidebar filters. Steps sit at each act's first possible day. "
        + (
            f"The chart draws the {len(drawn)} groups listed by the most designators, of {len(listed_by):,}; "
            "the download holds every curve."
            if len(listed_by) > len(drawn)
            else ""
        )
    )
    view.downloads_of(lambda: diffusion_curves(all_first_listings(), aligned=aligned), "diffusion-curves")


def matrix_chart() -> None:
    """Groups x designators: the year of each first designation, 'not designated' apart from 'no data'."""
    candidates = list(listed_by.index)
    if len(candidates) < MAX_MATRIX_GROUPS:  # room for groups with events but no formal listing
        candidates += [g for g in groups_with_events() if g not in listed_by.index]
    shown_groups = most_listed(listed_by, candidates, MAX_MATRIX_GROUPS)
    coverage = data_access.coverage(version)
    matrix = first_designation_matrix(charted_first_listings(shown_groups), coverage, groups=shown_groups)
    if matrix.empty:
        st.info("No events match these filters.")
        return
    st.plotly_chart(matrix_figure(matrix, names["groups"], names["designators"]), width="stretch")
    if len(listed_by) > len(shown_groups):
        st.caption(
            f"The {len(shown_groups)} groups listed by the most designators, of {len(listed_by):,} formally "
            "listed; the download holds every group with a matching event."
        )
    view.downloads_of(
        lambda: first_designation_matrix(
            all_first_listings(), coverage, groups=sorted(groups_with_events())
        ).reset_index(names="group_id"),
        "first-designation-matrix",
    )


st.title("Compare designators")
# Only the open tab's chart is worked out. The open tab is in the address (?chart=Matrix), so that a
# shared link opens on the same chart.
CHARTS = ["Lag", "Diffusion", "Matrix"]
if st.query_params.get("chart", "Lag") not in CHARTS:
    st.warning(f"Ignoring unknown chart {st.query_params['chart'][:40]!r}; showing {', '.join(CHARTS)}.")
tabs = st.tabs(CHARTS, key="chart", bind="query-params")
for tab, chart in zip(tabs, (lag_chart, diffusion_chart, matrix_chart), strict=True):
    if tab.open:
        with tab:
            chart()
view.cite_this_view(version, "compare")
