"""Compare: lag behind a reference, diffusion curves across groups, and the groups x designators matrix."""

import streamlit as st

from app_pages import data_access, view
from model.analysis import diffusion_curves, first_designation_matrix, lag_behind_reference
from model.charts import diffusion_figure, lag_figure, matrix_figure
from model.narrative import lag_sentences
from model.queries import EventFilter

version = data_access.prepare_database()
filters, event_filter = view.shared_filters(version)
names = data_access.names(version)
df_all = data_access.events(event_filter, version)

st.title("Compare designators")
lag_tab, diffusion_tab, matrix_tab = st.tabs(["Lag behind a reference", "Diffusion", "Matrix"])

with lag_tab:
    group_ids = list(filters.groups) or sorted(df_all["group_id"].unique(), key=lambda g: names["groups"].get(g, g))
    if not group_ids:
        st.info("No events match these filters.")
    else:
        group_id = st.selectbox("Group", group_ids, format_func=lambda g: names["groups"].get(g, g))
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
    curves = diffusion_curves(df_all, aligned=aligned)
    if curves.empty:
        st.info("No formal listings match these filters.")
    else:
        st.plotly_chart(diffusion_figure(curves, names["groups"], aligned=aligned), width="stretch")
        st.caption(
            "Restrict to a region or bloc with the sidebar filters. Steps sit at each act's first possible day. "
            "The chart draws the most designated groups; the download holds every curve."
        )
        view.downloads(curves, "diffusion-curves")

with matrix_tab:
    matrix = first_designation_matrix(df_all, data_access.coverage(version))
    if matrix.empty:
        st.info("No events match these filters.")
    else:
        st.plotly_chart(matrix_figure(matrix, names["groups"], names["designators"]), width="stretch")
        view.downloads(matrix.reset_index(names="group_id"), "first-designation-matrix")
view.cite_this_view(version, "compare")
