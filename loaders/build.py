"""Build the database from the data package: validate everything, then load all or nothing."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.schema import CreateTable
from sqlmodel import SQLModel

from loaders.base import LoaderError, LoadReport, ValidationFailed
from loaders.safe_csv import csv_care
from loaders.snapshots import ReplayResult, replay_snapshots
from loaders.validate import ValidatedPackage, data_files, validate_package
from model import tables as t
from model.analysis import as_arrow, count_spans, sort_rows, status_spans
from model.dates import parse_date
from model.db import database_url, make_engine, sqlite_path
from model.queries import EVENT_COLUMNS_V1

SCHEMA_VERSION = "1"

# Insert order respects foreign keys (PostgreSQL checks them row by row).
LOAD_ORDER: list[tuple[type[SQLModel], str]] = [
    (t.Designator, "designators"),
    (t.Bloc, "blocs"),
    (t.BlocMember, "bloc_members"),
    (t.Source, "sources"),
    (t.Snapshot, "snapshots"),
    (t.Group, "groups"),
    (t.GroupName, "group_names"),
    (t.GroupIdentifier, "group_identifiers"),
    (t.Authority, "authorities"),
    (t.Event, "events"),
    (t.EventSource, "event_sources"),
    (t.Coverage, "coverage"),
]


def data_version(data_dir: Path) -> str:
    """Return a short content hash of the data package (same files, same version)."""
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        digest.update(str(path.relative_to(data_dir)).encode() + b"\0")
        if path.exists():
            with path.open("rb") as handle:  # in pieces: the app checks this at start, at any size
                while piece := handle.read(1 << 20):
                    digest.update(piece)
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def _with_act_dates(events: pd.DataFrame) -> pd.DataFrame:
    """Add the act date (decision, else publication, else entry into force) and its window."""
    act = events["decision_date"].where(events["decision_date"] != "", events["publication_date"])
    act = act.where(act != "", events["entry_into_force_date"])
    windows = {text_: parse_date(text_) for text_ in act.unique()}
    earliest = {text_: window.earliest.isoformat() for text_, window in windows.items()}
    latest = {text_: window.latest.isoformat() for text_, window in windows.items()}
    events = events.assign(act_date=act, act_date_earliest=act.map(earliest), act_date_latest=act.map(latest))
    return events.assign(is_first_formal_listing=_first_formal_listings(events))


def _first_formal_listings(events: pd.DataFrame) -> pd.Series:
    """True on each designator's first formal listing of each group (act date, then event id)."""
    listings = events[(events["event_type"] == "listing") & (events["formality"] == "formal")]
    ordered = sort_rows(
        listings.assign(_row=listings.index),
        ["group_id", "designator_code", "act_date_earliest", "act_date_latest", "event_id"],
    )
    first = ordered["_row"][~ordered.duplicated(["group_id", "designator_code"])]
    return pd.Series(events.index.isin(first), index=events.index)


def designator_years(events: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """Each designator's groups per year and status (the designator page's chart), from all its events."""
    counts = count_spans(status_spans(events, last_year), last_year, by=("designator_code",))
    return counts[counts["groups"] > 0].astype({"year": int, "groups": int}).reset_index(drop=True)


def _source_urls(event_ids: pd.Series, links: pd.DataFrame, sources: pd.DataFrame) -> pa.Array:
    """Each event's source addresses, sorted and space-joined (derived once here, read by pages and exports)."""
    source_ids = _arrow_text(sources["source_id"])
    urls = pc.take(_arrow_text(sources["url"]), pc.index_in(_arrow_text(links["source_id"]), value_set=source_ids))
    linked = pa.table({"event_id": _arrow_text(links["event_id"]), "url": urls}).sort_by(
        [("event_id", "ascending"), ("url", "ascending")]
    )
    ids = linked["event_id"].combine_chunks()
    starts = np.flatnonzero(np.r_[True, pc.not_equal(ids[1:], ids[:-1]).to_numpy(zero_copy_only=False)])
    joined = pc.binary_join(
        pa.ListArray.from_arrays(np.r_[starts, len(ids)].astype(np.int32), linked["url"].combine_chunks()), " "
    )
    per_event = pc.take(joined, pc.index_in(_arrow_text(event_ids), value_set=pc.take(ids, starts)))
    return pc.fill_null(per_event, "")


# The names the export joins in: table, its key, its cells by events.csv column, and the event's column
# that points to it.
_JOINED_CELLS = (
    ("designators", "code", {"designator_name": "name"}, "designator_code"),
    ("groups", "group_id", {"group_name": "name"}, "group_id"),
    ("authorities", "authority_id", {"authority": "name", "authority_kind": "kind"}, "authority_id"),
)
# The events.csv cells an event holds itself, before its notes (the last cell).
_OWN_CELLS = [c for c in EVENT_COLUMNS_V1[:-1] if not any(c in cells for _, _, cells, _ in _JOINED_CELLS)]


def _csv_care(events: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> np.ndarray:
    """Each event's csv_care bits over its events.csv cells, the joined names included, as the export writes them."""
    care = csv_care([_arrow_text(events[name]) for name in _OWN_CELLS], _arrow_text(events["notes"]))
    for table, key, cells, pointer in _JOINED_CELLS:
        rows = tables[table]
        per_row = pa.array(csv_care([_arrow_text(rows[cell]) for cell in cells.values()]))
        position = pc.index_in(_arrow_text(events[pointer]), value_set=_arrow_text(rows[key]))
        care |= pc.fill_null(pc.take(per_row, position), 0).to_numpy(zero_copy_only=False)
    return care


def _arrow_text(values: pd.Series) -> pa.Array:
    return as_arrow(values, pa.string())


def merge_imported(package: ValidatedPackage, imported: ReplayResult) -> dict[str, pd.DataFrame]:
    """Curated tables plus the rows replayed from snapshots; a collision of ids is an error, not a merge."""
    tables = dict(package.tables)
    tables["groups"] = tables["groups"].assign(is_reviewed="true")
    tables["events"] = tables["events"].assign(origin="curated")
    for name, rows in imported.tables.items():
        tables[name] = pd.concat([tables[name], rows], ignore_index=True) if name in tables else rows
    if "snapshots" not in tables:
        tables["snapshots"] = pd.DataFrame(columns=[c.name for c in t.Snapshot.__table__.columns], dtype="str")
    for model, name in LOAD_ORDER:
        keys = [column.name for column in model.__table__.primary_key.columns]
        duplicated = tables[name].duplicated(subset=keys)
        if duplicated.any():
            first = tables[name][duplicated].iloc[0][keys].tolist()
            raise ValidationFailed(
                [
                    LoaderError(
                        f"{name}.csv", None, "+".join(keys), f"an imported row collides with an existing one: {first}"
                    )
                ]
            )
    return tables


def prepare_tables(
    tables: dict[str, pd.DataFrame], version: str, background: Executor | None = None
) -> dict[str, pd.DataFrame | Future]:
    """Turn validated text tables into rows for the database, sorted by primary key.

    With `background`, the yearly counts are worked out there while the caller stores the other
    tables, and arrive as a Future (see `_frame_of`).
    """
    tables = dict(tables)
    events = _with_act_dates(tables["events"])
    urls = _source_urls(events["event_id"], tables["event_sources"], tables["sources"])
    events = events.assign(
        source_urls=pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([urls])), index=events.index, dtype="str")
    )
    tables["events"] = events.assign(csv_care=_csv_care(events, tables))
    cited = tables["event_sources"]["source_id"].value_counts()
    tables["sources"] = tables["sources"].assign(
        cited_by=cited.reindex(tables["sources"]["source_id"].to_numpy(), fill_value=0).to_numpy(dtype=int)
    )
    tables["event_sources"] = tables["event_sources"].assign(
        is_date_checked=tables["event_sources"]["is_date_checked"] == "true"
    )
    tables["groups"] = tables["groups"].assign(is_reviewed=tables["groups"]["is_reviewed"] == "true")
    prepared: dict[str, pd.DataFrame] = {}
    for model, name in LOAD_ORDER:
        columns = [column.name for column in model.__table__.columns]
        keys = [column.name for column in model.__table__.primary_key.columns]
        # Events are stored in the order they are read and exported (act date first), so that reading
        # them in that order walks the table instead of jumping around it.
        order = ["act_date_earliest", "designator_code", "event_id"] if name == "events" else keys
        prepared[name] = sort_rows(tables[name][columns], order)
    this_year = date.today().year
    prepared["designator_years"] = (
        background.submit(designator_years, prepared["events"], this_year)
        if background
        else designator_years(prepared["events"], this_year)
    )
    prepared["designator_summaries"] = (
        prepared["events"]
        .groupby("designator_code", sort=True)
        .agg(events=("event_id", "size"), first_act=("act_date_earliest", "min"), last_act=("act_date_latest", "max"))
        .reset_index()
    )
    first_listings = prepared["events"].loc[prepared["events"]["is_first_formal_listing"], "group_id"]
    prepared["group_summaries"] = (
        first_listings.value_counts().rename_axis("group_id").reset_index(name="designators").sort_values("group_id")
    )
    prepared["build_info"] = pd.DataFrame(
        [{"data_version": version, "schema_version": SCHEMA_VERSION, "event_count": len(prepared["events"])}]
    )
    return prepared


def _csv_chunks(frame: pd.DataFrame, rows_per_chunk: int = 100_000):
    """The frame as CSV for PostgreSQL's COPY, written by Arrow: empty or missing text unquoted (NULL).

    Arrow quotes every text cell, and COPY reads an unquoted empty cell as NULL and a quoted one as text;
    so empty text is made missing first, as the SQLite load stores it.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    columns = [
        pc.if_else(pc.equal(column, ""), pa.scalar(None, column.type), column)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
        else column
        for column in table.columns
    ]
    table = pa.table(columns, names=table.column_names)
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    for start in range(0, table.num_rows, rows_per_chunk):
        sink = pa.BufferOutputStream()
        pacsv.write_csv(table.slice(start, rows_per_chunk), sink, options)
        yield sink.getvalue().to_pybytes()


def _frame_of(table: pd.DataFrame | Future) -> pd.DataFrame:
    """A prepared table, waiting for it if it is still being worked out in the background."""
    return table.result() if isinstance(table, Future) else table


def _sqlite_rows(name: str, frame: pd.DataFrame) -> Iterator[tuple]:
    """The frame's rows for table `name`: flags as 0/1, and missing text as "" where the column may be NULL
    (the INSERT makes it NULL), else as None (so that SQLite refuses it).

    The sqlite3 module binds an exact str or int directly, but looks for an adapter for None and bool
    first; at 1M rows that lookup costs about as much as a third of the insert.
    """
    table = SQLModel.metadata.tables[name]
    columns = []
    for column in frame.columns:
        values = frame[column]
        if values.dtype == bool:
            columns.append(values.to_numpy(dtype=np.int64).tolist())
        elif pd.api.types.is_integer_dtype(values.dtype):
            columns.append(values.tolist())
        else:
            columns.append(values.to_numpy(dtype=object, na_value="" if table.c[column].nullable else None).tolist())
    return zip(*columns, strict=True)


def _sqlite_insert(name: str, columns) -> str:
    """INSERT of `columns` into `name` turning each "" into NULL where the column may be NULL.

    Elsewhere each value is bound as it is: a function call per cell costs about a sixth of the insert.
    """
    table = SQLModel.metadata.tables[name]
    values = ", ".join("NULLIF(?, '')" if table.c[column].nullable else "?" for column in columns)
    return f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({values})"  # noqa: S608 (names from the model)


# SQLite keeps events in act-date order on disk (the order they are read and exported in). Their ids
# are random, so a primary-key index filled row by row in that order costs as much again as the rest of
# the insert; the same uniqueness is enforced by an index built in one sorted pass after the load.
EVENT_ID_INDEX = "CREATE UNIQUE INDEX ix_events_id ON events (event_id)"


def _create_sqlite_tables(connection) -> None:
    """The model's tables, except that events get their id's uniqueness from EVENT_ID_INDEX after the load."""
    events = t.Event.__table__
    SQLModel.metadata.create_all(
        connection, tables=[table for table in SQLModel.metadata.sorted_tables if table is not events]
    )
    statement = str(CreateTable(events).compile(connection))
    primary_key = "PRIMARY KEY (event_id), \n\t"
    if primary_key not in statement:
        raise RuntimeError(f"unexpected events table statement: {statement}")
    connection.execute(text(statement.replace(primary_key, "")))


def _load_sqlite(path: Path, prepared: dict[str, pd.DataFrame], progress) -> None:
    """Build into a new file beside `path`, then swap it in with one atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f".{path.name}.building-{os.getpid()}")
    building.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{building}")
    try:
        with engine.begin() as connection:
            # Lets SQLite sort for each index on more than one core.
            connection.exec_driver_sql(f"PRAGMA threads = {min(os.cpu_count() or 1, 4)}")
            _create_sqlite_tables(connection)
            cursor = connection.connection.driver_connection.cursor()
            for name, table in prepared.items():
                frame = _frame_of(table)
                progress(f"loading {name}: {len(frame):,} rows")
                cursor.executemany(_sqlite_insert(name, frame.columns), _sqlite_rows(name, frame))
            for statement in (EVENT_ID_INDEX, *t.INDEX_STATEMENTS):
                connection.execute(text(statement))
        engine.dispose()
        os.replace(building, path)
    finally:
        engine.dispose()
        building.unlink(missing_ok=True)


def _schema_matches(connection) -> bool:
    """True when every table exists with exactly the columns the model defines (and, as built, no foreign keys)."""
    inspector = inspect(connection)
    for table in SQLModel.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            return False
        if {c["name"] for c in inspector.get_columns(table.name)} != {c.name for c in table.columns}:
            return False
        if inspector.get_foreign_keys(table.name):  # built by an earlier version: recreate once
            return False
    return True


def _load_postgres(engine: Engine, prepared: dict[str, pd.DataFrame], progress) -> None:
    """Replace every row in one transaction: readers see the old data or the new, never a mix.

    Rows are deleted (MVCC-safe, no exclusive lock) rather than tables dropped or truncated, so that
    readers never block and never fail on a dropped table; only a changed schema recreates the tables.

    The tables carry no foreign-key constraints here. The build is the database's only writer and
    refuses a package with any reference that does not resolve, before writing; checked again row by
    row, the keys made a rebuild at 1M events take six minutes (each deleted source and authority
    looked for rows still citing it). `tests/test_build.py` checks every reference after a build.
    """
    with engine.begin() as connection:
        if _schema_matches(connection):
            for table in reversed(SQLModel.metadata.sorted_tables):
                connection.execute(table.delete())
            create_indexes = False
        else:
            SQLModel.metadata.drop_all(connection)
            for table in SQLModel.metadata.sorted_tables:
                connection.execute(CreateTable(table, include_foreign_key_constraints=[]))
            create_indexes = True
        cursor = connection.connection.driver_connection.cursor()
        for name, table in prepared.items():
            frame = _frame_of(table)
            progress(f"loading {name}: {len(frame):,} rows")
            with cursor.copy(f"COPY {name} ({', '.join(frame.columns)}) FROM STDIN WITH (FORMAT csv)") as copy:
                for chunk in _csv_chunks(frame):
                    copy.write(chunk)
        if create_indexes:
            for statement in t.INDEX_STATEMENTS:
                connection.execute(text(statement))


def _quiet(message: str) -> None:
    del message


def build_database(data_dir: Path, url: str | None = None, progress=_quiet) -> LoadReport:
    """Validate `data_dir` and build the database at `url`; on any error the old database stays as it was."""
    url = database_url(url)
    progress(f"validating {data_dir}")
    package = validate_package(data_dir)
    progress("replaying snapshots of official lists")
    imported = replay_snapshots(data_dir, package.tables)
    for report_ in imported.reports:
        for line in report_.lines():
            progress(line)
    with ThreadPoolExecutor(max_workers=1) as background:
        prepared = prepare_tables(merge_imported(package, imported), data_version(data_dir), background)
        path = sqlite_path(url)
        if path is not None:
            _load_sqlite(path, prepared, progress)
        else:
            engine = make_engine(url)
            try:
                _load_postgres(engine, prepared, progress)
            finally:
                engine.dispose()
    report = package.report
    report.rows_loaded = {name: len(_frame_of(table)) for name, table in prepared.items() if name != "build_info"}
    return report


def built_version(url: str | None = None) -> str | None:
    """Return the data version the database was built from, or None if there is no built database."""
    url = database_url(url)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return None
    engine = make_engine(url, read_only=path is not None)
    try:
        if not inspect(engine).has_table("build_info"):
            return None
        with engine.connect() as connection:
            return connection.execute(select(t.BuildInfo.data_version)).scalar_one_or_none()
    finally:
        engine.dispose()


def ensure_database(data_dir: Path, url: str | None = None, progress=_quiet) -> bool:
    """Build the database if it is missing or older than the data; return True if it was built."""
    if built_version(url) == data_version(data_dir):
        return False
    report = build_database(data_dir, url, progress)
    progress(report.summary())
    return True


def print_progress(message: str) -> None:
    """Progress and reports go to stderr so that stdout stays clean for data."""
    print(message, file=sys.stderr, flush=True)
