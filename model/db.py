"""Database location and engines: the only place that calls create_engine."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "designations.db"


def data_dir() -> Path:
    """Return the data package the app serves: $DESIGNATIONS_DATA, else the project's data/."""
    return Path(os.environ.get("DESIGNATIONS_DATA") or DEFAULT_DATA_DIR)


def database_url(url: str | None = None) -> str:
    """Return the database URL: the argument, else $DATABASE_URL, else the embedded SQLite file."""
    return url or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def sqlite_path(url: str) -> Path | None:
    """Return the file of a SQLite URL, or None for other databases (and in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    return Path(parsed.database) if parsed.database else None


def make_engine(url: str | None = None, *, read_only: bool = False) -> Engine:
    """Create an engine; read_only opens SQLite with mode=ro and PostgreSQL in read-only transactions."""
    url = database_url(url)
    path = sqlite_path(url)
    if path is not None and read_only:
        uri = f"file:{path}?mode=ro"
        return create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
        )
    if make_url(url).get_backend_name() == "postgresql" and read_only:
        # Each connection's work is one read-only snapshot: a rebuild committing meanwhile is not seen.
        return create_engine(
            url,
            connect_args={"options": "-c default_transaction_read_only=on"},
            isolation_level="REPEATABLE READ",
        )
    return create_engine(url)
