"""Shared fixtures: a copy of the real data package and a database on each backend."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from model.db import DEFAULT_DATA_DIR

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the project's data/ directory."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        SQLModel.metadata.drop_all(connection)
    engine.dispose()


def empty_postgres_url() -> str:
    """$TEST_DATABASE_URL with the project's tables dropped; skips (or fails, when required) without it."""
    if not POSTGRES_URL:
        reason = "no PostgreSQL server: set TEST_DATABASE_URL (bash .ci/run starts one)"
        if REQUIRE_POSTGRES:
            pytest.fail(reason)
        pytest.skip(reason)
    _empty_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL on each backend; PostgreSQL comes from $TEST_DATABASE_URL and starts empty."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'designations.db'}"
    return empty_postgres_url()
