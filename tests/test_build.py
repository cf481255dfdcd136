"""Building the database: all or nothing, idempotent, the same on SQLite and PostgreSQL."""

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from loaders.base import ValidationFailed
from loaders.build import build_database, built_version, data_version, ensure_database
from model.db import make_engine, sqlite_path

TABLES = [
    "designators",
    "groups",
    "group_names",
    "group_identifiers",
    "authorities",
    "sources",
    "events",
    "event_sources",
    "coverage",
    "blocs",
    "bloc_members",
    "build_info",
]


def _snapshot(url: str) -> dict[str, pd.DataFrame]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            frames = {name: pd.read_sql(text(f"SELECT * FROM {name}"), connection) for name in TABLES}  # noqa: S608
    finally:
        engine.dispose()
    return {name: frame.sort_values(list(frame.columns)).reset_index(drop=True) for name, frame in frames.items()}


def _break_a_date(data_dir: Path) -> None:
    events = data_dir / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[7] = "2015-13-01"
    lines[1] = ",".join(fields)
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_build_loads_every_row(db_url: str):
    report = build_database(Path("data"), db_url)
    events_in_file = len(Path("data/events.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert report.rows_read["events"] == events_in_file
    snapshot = _snapshot(db_url)
    curated = snapshot["events"][snapshot["events"]["origin"] == "curated"]
    assert len(curated) == events_in_file  # every curated row, plus the events replayed from snapshots
    assert report.rows_loaded["events"] == len(snapshot["events"]) > events_in_file
    assert set(snapshot["events"]["origin"]) == {"curated", "un_sc_consolidated", "us_ofac_sdn", "us_ofac_enhanced"}
    assert built_version(db_url) == data_version(Path("data"))
    assert {"RU", "KZ", "US", "UN", "EU"} <= set(snapshot["designators"]["code"])


def test_every_reference_resolves_in_the_built_database(db_url: str):
    """The validator, not the database, enforces the references (PostgreSQL keeps no foreign keys): check them."""
    from sqlmodel import SQLModel

    import model.tables  # noqa: F401 (registers the tables)

    build_database(Path("data"), db_url)
    engine = make_engine(db_url)
    checked = 0
    try:
        with engine.connect() as connection:
            for table in SQLModel.metadata.sorted_tables:
                for key in table.foreign_key_constraints:
                    (column,), (target,) = key.column_keys, [e.column for e in key.elements]
                    orphans = connection.execute(
                        text(
                            f"SELECT COUNT(*) FROM {table.name} c WHERE c.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608
                            f"(SELECT 1 FROM {target.table.name} p WHERE p.{target.name} = c.{column})"
                        )
                    ).scalar_one()
                    assert orphans == 0, f"{table.name}.{column} -> {target.table.name}.{target.name}"
                    checked += 1
    finally:
        engine.dispose()
    assert checked >= 8


def test_building_twice_gives_identical_content(db_url: str):
    build_database(Path("data"), db_url)
    first = _snapshot(db_url)
    build_database(Path("data"), db_url)
    second = _snapshot(db_url)
    for name in TABLES:
        pd.testing.assert_frame_equal(first[name], second[name])


def test_a_failed_build_leaves_the_database_as_it_was(db_url: str, data_copy: Path):
    build_database(Path("data"), db_url)
    path = sqlite_path(db_url)
    before_bytes = path.read_bytes() if path else None
    before = _snapshot(db_url)
    _break_a_date(data_copy)
    (data_copy / "groups.csv").write_text("group_id,name,wikidata_qid,description\n", encoding="utf-8")
    with pytest.raises(ValidationFailed):
        build_database(data_copy, db_url)
    if path:
        assert path.read_bytes() == before_bytes
        assert [p.name for p in path.parent.iterdir() if ".building-" in p.name] == []
    after = _snapshot(db_url)
    for name in TABLES:
        pd.testing.assert_frame_equal(before[name], after[name])


def test_a_failure_while_loading_rolls_back(db_url: str, data_copy: Path, monkeypatch):
    """A crash after validation (here: in the middle of the inserts) must not leave a half-built database."""
    build_database(Path("data"), db_url)
    before = _snapshot(db_url)
    (data_copy / "README.md").write_text("changed", encoding="utf-8")
    from loaders import build as build_module

    original = build_module.prepare_tables

    def broken_prepare(package, version, background=None):
        prepared = original(package, version, background)
        prepared["events"] = prepared["events"].assign(event_id=None)  # violates NOT NULL mid-load
        return prepared

    monkeypatch.setattr(build_module, "prepare_tables", broken_prepare)
    with pytest.raises(Exception, match="(?i)null"):
        build_database(data_copy, db_url)
    after = _snapshot(db_url)
    for name in TABLES:
        pd.testing.assert_frame_equal(before[name], after[name])


def test_ensure_database_builds_only_when_data_changed(tmp_path: Path, data_copy: Path):
    url = f"sqlite:///{tmp_path / 'auto.db'}"
    assert ensure_database(data_copy, url) is True
    assert ensure_database(data_copy, url) is False
    with (data_copy / "groups.csv").open("a", encoding="utf-8") as handle:
        handle.write("g-0000abcd,Test group,,\n")
    assert ensure_database(data_copy, url) is True
    assert built_version(url) == data_version(data_copy)


def test_the_app_engine_cannot_write(db_url: str):
    """The app serves through this engine: SQLite opened with mode=ro, PostgreSQL in read-only transactions."""
    from sqlalchemy.exc import DBAPIError

    build_database(Path("data"), db_url)
    engine = make_engine(db_url, read_only=True)
    try:
        with pytest.raises(DBAPIError, match="(?i)read-?only"):
            with engine.begin() as connection:
                connection.execute(text("DELETE FROM events"))
    finally:
        engine.dispose()
    assert len(_snapshot(db_url)["events"]) > 0


def test_app_pages_open_no_writable_engine():
    """Pages reach the database only through app_pages/data_access.py, whose engine is read-only."""
    pages = Path("app_pages").glob("*.py")
    offenders = [p.name for p in pages if "make_engine" in p.read_text() and p.name != "data_access.py"]
    assert offenders == []
    assert "make_engine(read_only=True)" in Path("app_pages/data_access.py").read_text()


def test_the_precomputed_first_listings_match_the_ranked_query(db_url: str):
    """The flag set at build time and SQL's ranking agree (a category filter forces the ranked path)."""
    from model.queries import EventFilter, first_formal_listings, first_listing_counts
    from model.vocabulary import CATEGORIES

    build_database(Path("data"), db_url)
    engine = make_engine(db_url, read_only=True)
    try:
        for designators in ((), ("US", "GB", "RU")):
            flagged = first_formal_listings(engine, EventFilter(designators=designators))
            ranked = first_formal_listings(engine, EventFilter(designators=designators, categories=CATEGORIES))
            assert len(flagged) > 0
            pd.testing.assert_frame_equal(flagged.reset_index(drop=True), ranked.reset_index(drop=True))
            # The counts the compare page ranks groups by, on both paths, are those of the rows themselves.
            expected = flagged.groupby("group_id")["designator_code"].nunique()
            for only in (
                EventFilter(designators=designators),
                EventFilter(designators=designators, categories=CATEGORIES),
            ):
                counts = first_listing_counts(engine, only)
                assert counts.to_dict() == expected.to_dict()
                assert list(counts) == sorted(counts, reverse=True)
    finally:
        engine.dispose()


def test_the_derived_summaries_agree_with_the_rows_they_summarise(db_url: str):
    """Per-designator counts and date spans, citation counts and events per authority match the raw rows."""
    from sqlalchemy import text as sql

    from model.queries import authorities, cited_source_count, coverage_summary, source_list

    build_database(Path("data"), db_url)
    engine = make_engine(db_url, read_only=True)
    try:
        with engine.connect() as connection:
            raw = connection.execute(
                sql(
                    "SELECT designator_code, COUNT(*), MIN(act_date_earliest), MAX(act_date_latest) "
                    "FROM events GROUP BY designator_code"
                )
            ).all()
            citations = dict(
                connection.execute(sql("SELECT source_id, COUNT(*) FROM event_sources GROUP BY source_id")).all()
            )
            by_authority = dict(
                connection.execute(
                    sql("SELECT authority_id, COUNT(*) FROM events WHERE designator_code = 'RU' GROUP BY authority_id")
                ).all()
            )
            names = dict(
                connection.execute(sql("SELECT name, authority_id FROM authorities WHERE designator_code = 'RU'")).all()
            )
        summary = coverage_summary(engine).set_index("designator_code")
        assert {code: (n, first, last) for code, n, first, last in raw} == {
            code: (row.events, row.first_act, row.last_act) for code, row in summary.iterrows()
        }
        listed = source_list(engine)
        assert dict(zip(listed["source_id"], listed["events"])) == citations
        assert cited_source_count(engine) == len(citations)
        ru = authorities(engine, "RU")
        assert sum(ru["events"]) == sum(by_authority.get(a, 0) for a in names.values()) > 0
        assert {name: by_authority.get(names[name], 0) for name in ru["name"]} == dict(zip(ru["name"], ru["events"]))
        from model.queries import EventFilter, first_listing_counts

        stored = first_listing_counts(engine)  # the whole database: read from group_summaries
        ranked = first_listing_counts(engine, EventFilter(date_from="1000"))  # the same rows, ranked in SQL
        assert len(stored) > 100
        pd.testing.assert_series_equal(stored, ranked)
    finally:
        engine.dispose()


def test_sqlite_and_postgresql_hold_the_same_rows(tmp_path: Path):
    """The two loads (executemany with '' made NULL; Arrow-written CSV into COPY) store the same values."""
    from conftest import empty_postgres_url

    postgres_url, sqlite_url = empty_postgres_url(), f"sqlite:///{tmp_path / 'same.db'}"
    build_database(Path("data"), sqlite_url)
    build_database(Path("data"), postgres_url)
    on_sqlite, on_postgres = _snapshot(sqlite_url), _snapshot(postgres_url)
    for name in TABLES:
        left, right = on_sqlite[name], on_postgres[name]
        for column in left.columns:  # booleans come back as 0/1 from SQLite, True/False from PostgreSQL
            if right[column].dtype == bool:
                left[column] = left[column].astype(bool)
        assert left.isna().sum().sum() == right.isna().sum().sum(), name
        pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=name)


def test_sqlite_stores_events_in_act_date_order(tmp_path: Path):
    """The export reads events in stored order (rowid) and must get the act-date order of the pages."""
    import sqlite3

    from model import queries

    url = f"sqlite:///{tmp_path / 'order.db'}"
    build_database(Path("data"), url)
    with sqlite3.connect(tmp_path / "order.db") as connection:
        stored = [row[0] for row in connection.execute("SELECT event_id FROM events ORDER BY rowid")]
    engine = make_engine(url, read_only=True)
    try:
        ordered = queries.events_v1(engine)["event_id"].tolist()
    finally:
        engine.dispose()
    assert stored == ordered and len(set(stored)) == len(stored) > 2000
