"""Cached wrappers over model.queries for the app; the app opens the database read-only."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from loaders.build import built_version, ensure_database
from model import queries
from model.db import DEFAULT_DATA_DIR, make_engine


@st.cache_resource
def prepare_database() -> str | None:
    """Build the database on first start, or when data/ changed; return the data version."""
    ensure_database(DEFAULT_DATA_DIR)
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
