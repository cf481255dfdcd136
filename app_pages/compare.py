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


# The charts draw a few groups: read the first listings of only those (the downloads read all).
drawn = most_listed(listed_by, list(listed_by.index), MAX_DIFFUSION_GROUPS)
candidates = list(listed_by.index)
if len(candidates) < MAX_MATRIX_GROUPS:  # room for groups with events but no formal listing
    candidates += [g for g in groups_with_events() if g not in listed_by.index]
shown_groups = most_listed(listed_by, candidates, MAX_MATRIX_GROUPS)
charted = first_designations_of_all(  # dated once here for both charts
    data_access.first_formal_listings(
        replace(event_filter, groups=tuple(sorted(set(drawn) | set(shown_groups)))), version
    )
)


st.title("Compare designators")
lag_tab, diffusion_tab, matrix_tab = st.tabs(["Lag behind a reference", "Diffusion", "Matrix"])

with lag_tab:
    group_ids = list(filters.groups) or sorted(listed_by.index, key=lambda g: names["groups"].get(g, g))
    if not group_ids:
        st.info("No formal listings match these filters.")
    else:
        # Without a chosen group, open on the one listed by the most designators.
        default_group = most_listed(listed_by, group_ids, 1)[0]
        group_id = st.selectbox(
            "Group",
            group_ids,
            index=group_ids.index(default_group),
            format_func=lambda g: names["groups"].get(g, g),
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
            lags = None
            st.info(f"{designators.get(reference, reference)} has no formal listing of this group to compare against.")
        if lags is not None and lags.empty:
            st.info("No formal listing of this group matches these filters.")
        elif lags is not None:
            st.plotly_chart(
                lag_figure(
                    lags,
                    title=f"{names['groups'].get(group_id, group_id)}: lag behind "
                    f"{'the first designator' if reference == 'first' else designators[reference]}",
                ),
                width="stretch",
            )
            for sentence in lag_sentences(lags):
                st.markdown(f"- {sentence}")
            st.caption(
                "Lag uses each act's own date (decision, else publication, else entry into force); an "
                "imprecise date gives a range of days. Reported bans are not counted as designations."
            )

with diffusion_tab:
    aligned = st.toggle("Align at each group's first designation", value=False)
    curves = diffusion_curves(charted[charted["group_id"].isin(drawn)], aligned=aligned) if drawn else None
    if curves is None or curves.empty:
        st.info("No formal listings match these filters.")
    else:
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

with matrix_tab:
    coverage = data_access.coverage(version)
    matrix = first_designation_matrix(charted[charted["group_id"].isin(shown_groups)], coverage, groups=shown_groups)
    if matrix.empty:
        st.info("No events match these filters.")
    else:
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
view.cite_this_view(version, "compare")
