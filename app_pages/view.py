"""The shared view: sidebar filters synced with the URL, page links that keep them, downloads, citation."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from app_pages import data_access
from app_pages.filters import SHARED_PARAMS, ViewFilters, parse_filters, to_event_filter
from loaders.safe_csv import safe_csv_bytes
from model.dates import DateGrammarError, parse_date
from model.queries import EventFilter
from model.vocabulary import CATEGORIES, EVENT_TYPES

PAGES = ("explore", "timeline", "compare", "map", "group", "designator", "data")


def _synced(key: str, url_value):
    """Put the URL's value into a widget's state when the URL changed (first load, shared link, page switch)."""
    marker = f"{key}__from_url"
    if key not in st.session_state or st.session_state.get(marker) != url_value:
        st.session_state[key] = list(url_value) if isinstance(url_value, tuple) else url_value
        st.session_state[marker] = url_value


def _remember(key: str, value) -> None:
    st.session_state[f"{key}__from_url"] = tuple(value) if isinstance(value, list) else value


def shared_filters(version: str | None) -> tuple[ViewFilters, EventFilter]:
    """Draw the sidebar filters from the URL, write them back to the URL, return them."""
    vocabulary = data_access.vocabulary(version)
    names = data_access.names(version)
    url_view = parse_filters(st.query_params.to_dict(), vocabulary)
    for warning in url_view.warnings:
        st.warning(warning)
    sidebar = st.sidebar
    sidebar.markdown("**Filters** (shared by every page)")
    chosen = {}
    multi = [
        (
            "designator",
            "Designators",
            url_view.designators,
            sorted(vocabulary.designators, key=lambda c: names["designators"].get(c, c)),
            lambda c: f"{names['designators'].get(c, c)} ({c})",
        ),
        ("region", "Regions (UN M49)", url_view.regions, sorted(vocabulary.regions), str),
        ("bloc", "Blocs", url_view.blocs, sorted(vocabulary.blocs), lambda b: names["blocs"].get(b, b)),
        (
            "group",
            "Groups",
            url_view.groups,
            sorted(vocabulary.groups, key=lambda g: names["groups"].get(g, g)),
            lambda g: names["groups"].get(g, g),
        ),
        ("event_type", "Event types", url_view.event_types, list(EVENT_TYPES), str),
        ("category", "Categories", url_view.categories, list(CATEGORIES), str),
    ]
    for param, label, url_value, options, formatter in multi:
        key = f"filter_{param}"
        _synced(key, url_value)
        chosen[param] = sidebar.multiselect(label, options, key=key, format_func=formatter)
        _remember(key, chosen[param])
    left, right = sidebar.columns(2)
    for param, column, url_value in (("from", left, url_view.date_from), ("to", right, url_view.date_to)):
        key = f"filter_{param}"
        _synced(key, url_value or "")
        chosen[param] = column.text_input(param.capitalize(), key=key, placeholder="YYYY[-MM[-DD]]")
        _remember(key, chosen[param])
    dates = {}
    for param in ("from", "to"):
        try:
            dates[param] = parse_date(chosen[param]).text if chosen[param] else None
        except DateGrammarError as exc:
            st.warning(f"Ignoring the '{param}' date: {exc}")
            dates[param] = None
    view = ViewFilters(
        tuple(chosen["designator"]),
        tuple(chosen["region"]),
        tuple(chosen["bloc"]),
        tuple(chosen["group"]),
        tuple(chosen["event_type"]),
        tuple(chosen["category"]),
        dates["from"],
        dates["to"],
    )
    for name in SHARED_PARAMS:
        if name in st.query_params and name not in view.as_params():
            del st.query_params[name]
    st.query_params.update(view.as_params())
    memberships = data_access.memberships(version)
    return view, to_event_filter(view, memberships["regions"], memberships["blocs"])


def page_param(name: str, value: str | None) -> None:
    """Set (or clear) a page's own URL parameter, such as as_of or reference."""
    if value:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def shared_params() -> dict[str, str]:
    """The shared filters currently in the URL, to carry across a page switch."""
    return {name: st.query_params[name] for name in SHARED_PARAMS if name in st.query_params}


MAX_ROWS_SHOWN = 5000
# What a table of acts shows beside its first column (the group, or the designator).
ACT_TABLE_COLUMNS = [
    "event_type",
    "formality",
    "name_as_listed",
    "decision_date",
    "publication_date",
    "entry_into_force_date",
    "authority",
    "legal_reference",
]


def limited_table(frame: pd.DataFrame, columns: list[str], total: int | None = None, **dataframe_options) -> None:
    """Show at most MAX_ROWS_SHOWN rows of `frame` (the downloads hold all), saying so when rows are cut.

    `total` is the full row count when `frame` was already cut by the query.
    """
    total = len(frame) if total is None else total
    if total > MAX_ROWS_SHOWN:
        st.caption(f"Showing the first {MAX_ROWS_SHOWN:,} of {total:,} rows; the download holds them all.")
    st.dataframe(frame.head(MAX_ROWS_SHOWN).fillna("")[columns], hide_index=True, **dataframe_options)


def downloads_of(fetch, file_stem: str) -> None:
    """CSV downloads of the frame `fetch()` returns, read and written only when a button is clicked."""
    left, right = st.columns(2)
    left.download_button(
        "Download CSV", lambda: safe_csv_bytes(fetch()), f"{file_stem}.csv", "text/csv", key=f"{file_stem}_csv"
    )
    right.download_button(
        "Download CSV for Excel",
        lambda: safe_csv_bytes(fetch(), excel=True),
        f"{file_stem}-excel.csv",
        "text/csv",
        key=f"{file_stem}_excel",
    )


def downloads(frame: pd.DataFrame, file_stem: str) -> None:
    """CSV download of exactly these rows (all of them), plain UTF-8 and with a BOM for Excel."""
    downloads_of(lambda: frame, file_stem)


def citation(version: str | None, page: str) -> str:
    """Citation text for the current view: data version, access date and the view's address."""
    params = urlencode(st.query_params.to_dict())
    base = (st.context.url or "").split("?")[0] or f"/{page}"
    address = f"{base}?{params}" if params else base
    return (
        f"Designations of terrorist and extremist groups, data version {version}. "
        f"View: {address} (accessed {date.today().isoformat()}). Data licence CC BY 4.0."
    )


def cite_this_view(version: str | None, page: str) -> None:
    """The 'Cite this view' box under every page."""
    with st.expander("Cite this view"):
        st.code(citation(version, page), language=None, wrap_lines=True)
