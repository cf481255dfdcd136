"""Cached wrappers over model.queries for the app; the app opens the database read-only."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from app_pages.filters import Vocabulary
from loaders.build import built_version, ensure_database
from loaders.export import export_zip_bytes
from model import queries
from model.db import data_dir, make_engine


@st.cache_resource
def prepare_database() -> str | None:
    """Build the database on first start, or when data/ changed; return the data version."""
    ensure_database(data_dir())
    return built_version()


@st.cache_resource
def engine() -> Engine:
    """The read-only engine shared by all sessions."""
    return make_engine(read_only=True)


@st.cache_data(max_entries=64)
def events(filters: queries.EventFilter, version: str | None) -> pd.DataFrame:
    """Events matching `filters` (cached per data version)."""
    del version  # part of the cache key only
    return queries.events_v1(engine(), filters)


@st.cache_data(max_entries=64)
def events_shown(filters: queries.EventFilter, limit: int, version: str | None) -> pd.DataFrame:
    """The first `limit` events matching `filters`, for display (downloads read them all)."""
    del version
    return queries.events_v1(engine(), filters, limit=limit)


@st.cache_data(max_entries=64)
def event_count(filters: queries.EventFilter, version: str | None) -> int:
    """How many events match `filters`."""
    del version
    return queries.event_count(engine(), filters)


@st.cache_data(max_entries=16)
def status_events(filters: queries.EventFilter, version: str | None) -> pd.DataFrame:
    """The matching events with the columns status intervals need."""
    del version
    return queries.status_events(engine(), filters)


@st.cache_data(max_entries=16)
def designator_years(code: str, version: str | None) -> pd.DataFrame:
    """The designator's groups per year and status."""
    del version
    return queries.designator_years(engine(), code)


@st.cache_data(max_entries=16)
def group_event_counts(filters: queries.EventFilter, version: str | None) -> pd.Series:
    """Events per group, most first."""
    del version
    return queries.group_event_counts(engine(), filters)


@st.cache_data(max_entries=16)
def first_formal_listings(filters: queries.EventFilter, version: str | None) -> pd.DataFrame:
    """Each (group, designator)'s first formal listing among the matching events."""
    del version
    return queries.first_formal_listings(engine(), filters)


@st.cache_data(max_entries=16)
def first_listing_counts(filters: queries.EventFilter, version: str | None) -> pd.Series:
    """How many designators formally listed each matching group, most first."""
    del version
    return queries.first_listing_counts(engine(), filters)


@st.cache_data(max_entries=2)
def source_list(limit: int | None, version: str | None) -> pd.DataFrame:
    """Cited sources (the `limit` most cited, or all), most cited first."""
    del version
    return queries.source_list(engine(), limit)


@st.cache_data(max_entries=2)
def cited_source_count(version: str | None) -> int:
    """How many sources events cite."""
    del version
    return queries.cited_source_count(engine())


@st.cache_data(max_entries=4)
def groups(version: str | None) -> pd.DataFrame:
    """All groups, for pickers."""
    del version
    return queries.group_choices(engine())


@st.cache_data(max_entries=4)
def designators(version: str | None) -> pd.DataFrame:
    """Designators that have events, for pickers."""
    del version
    return queries.designator_choices(engine())


@st.cache_data(max_entries=4)
def vocabulary(version: str | None) -> Vocabulary:
    """The values each URL filter may take."""
    regions = queries.region_members(engine())
    known = names(version)
    return Vocabulary(
        designators=frozenset(known["designators"]),
        regions=frozenset(regions),
        blocs=frozenset(known["blocs"]),
        groups=frozenset(known["groups"]),
    )


@st.cache_data(max_entries=4)
def names(version: str | None) -> dict[str, dict[str, str]]:
    """Display names of designators, groups and blocs."""
    del version
    df_designators = queries.designators(engine())
    df_groups = queries.group_choices(engine())
    return {
        "designators": dict(zip(df_designators["code"], df_designators["name"])),
        "groups": dict(zip(df_groups["group_id"], df_groups["name"])),
        "blocs": queries.bloc_names(engine()),
    }


@st.cache_data(max_entries=4)
def memberships(version: str | None) -> dict[str, dict[str, set[str]]]:
    """Designator codes per region and per bloc."""
    del version
    return {"regions": queries.region_members(engine()), "blocs": queries.bloc_members(engine())}


@st.cache_data(max_entries=4)
def coverage(version: str | None) -> pd.DataFrame:
    """What is tracked per designator."""
    del version
    return queries.coverage(engine())


@st.cache_data(max_entries=64)
def group_details(group_id: str, version: str | None) -> dict:
    """A group's row, other names and external ids."""
    del version
    return {
        "group": queries.group_profile(engine(), group_id),
        "names": queries.group_names(engine(), group_id),
        "identifiers": queries.group_identifiers(engine(), group_id),
    }


@st.cache_data(max_entries=64)
def designator_details(code: str, version: str | None) -> dict:
    """A designator's authorities."""
    del version
    return {"authorities": queries.authorities(engine(), code)}


@st.cache_data(max_entries=8)
def event_sources(filters: queries.EventFilter, version: str | None) -> pd.DataFrame:
    """Sources (with quotes) of the events matching `filters`."""
    del version
    return queries.event_sources(engine(), filters)


@st.cache_data(max_entries=4)
def coverage_summary(version: str | None) -> pd.DataFrame:
    """Per designator: events, date range, what is tracked, last verified."""
    del version
    return queries.coverage_summary(engine())


@st.cache_data(max_entries=2)
def full_package_zip(version: str | None) -> bytes:
    """The full data package as a zip (built once per data version)."""
    del version
    return export_zip_bytes()


def data_dictionary() -> pd.DataFrame:
    """Every field of the curated data package, from datapackage.json."""
    descriptor = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    rows = []
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            constraints = field.get("constraints", {})
            rows.append(
                {
                    "file": resource["path"],
                    "field": field["name"],
                    "type": field.get("format", field["type"]),
                    "required": bool(constraints.get("required")),
                    "allowed values": ", ".join(constraints.get("enum", [])),
                    "description": field.get("description", ""),
                }
            )
    return pd.DataFrame(rows)
