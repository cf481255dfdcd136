"""Export: the frozen events.csv v1 layout, filters, sources on every row, spreadsheet-safe cells."""

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.__main__ import main
from loaders.build import build_database
from loaders.export import export_package
from loaders.safe_csv import neutralise_cell
from model.db import make_engine
from model.queries import EVENT_COLUMNS_V1, GROUP_COLUMNS_V1, EventFilter, event_count

V1 = (
    "event_id,designator_code,designator_name,group_id,group_name,name_as_listed,event_type,category,formality,"
    "decision_date,publication_date,entry_into_force_date,authority,authority_kind,legal_reference,scope,"
    "source_urls,notes"
)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def built(db_url: str) -> str:
    build_database(Path("data"), db_url)
    return db_url


def test_v1_columns_are_frozen():
    assert ",".join(EVENT_COLUMNS_V1) == V1
    assert GROUP_COLUMNS_V1 == ["group_id", "name", "aliases", "wikidata_qid", "un_reference", "description"]


def test_export_writes_the_package(built: str, tmp_path: Path):
    counts = export_package(tmp_path, built)
    assert (tmp_path / "events.csv").read_text(encoding="utf-8").splitlines()[0] == V1
    events = _read(tmp_path / "events.csv")
    engine = make_engine(built, read_only=True)
    assert len(events) == counts["events"] == event_count(engine)
    engine.dispose()
    assert all(row["source_urls"].startswith("http") for row in events)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert [r["path"] for r in descriptor["resources"]] == [
        "events.csv",
        "groups.csv",
        "designators.csv",
        "sources.csv",
        "event_sources.csv",
    ]
    readme = (tmp_path / "README.md").read_text()
    assert "How to cite" in readme and "Data version" in readme
    sources = {row["url"] for row in _read(tmp_path / "sources.csv")}
    assert {url for row in events for url in row["source_urls"].split(" ")} == sources


def test_export_filters(built: str, tmp_path: Path):
    export_package(tmp_path / "un", built, EventFilter(designators=("UN",)))
    assert {row["designator_code"] for row in _read(tmp_path / "un" / "events.csv")} == {"UN"}
    export_package(tmp_path / "window", built, EventFilter(("UN",), date_from="2004-10-18", date_to="2004-10-18"))
    rows = _read(tmp_path / "window" / "events.csv")
    assert [(row["decision_date"], row["legal_reference"]) for row in rows] == [("2004-10-18", "QDe.115")]
    export_package(tmp_path / "wide", built, EventFilter(("US",), date_from="2010-01-01", date_to="2010-01-01"))
    windows = {row["decision_date"] for row in _read(tmp_path / "wide" / "events.csv")}
    assert "1997-10-08/2021-08-18" in windows  # an SDN window that may include the day is kept
    export_package(tmp_path / "none", built, EventFilter(groups=("g-00000000",)))
    assert _read(tmp_path / "none" / "events.csv") == []


def test_cli_export_builds_the_database_first(tmp_path: Path, data_copy: Path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["export", "--out", str(tmp_path / "out"), "--data", str(data_copy), "--db", url]) == 0
    assert (tmp_path / "out" / "events.csv").exists()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555", "'+1 555"),
        ("-12", "-12"),
        ("-1.5e3", "-1.5e3"),
        ("-Hezbollah", "'-Hezbollah"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Islamic State", "Islamic State"),
        (None, None),
    ],
)
def test_formula_cells_are_neutralised(cell, expected):
    assert neutralise_cell(cell) == expected


def test_source_list_counts_citations_and_keeps_the_most_cited(built: str):
    from model.queries import cited_source_count, source_list

    with open("data/event_sources.csv", encoding="utf-8") as handle:
        links = list(csv.DictReader(handle))
    engine = make_engine(built, read_only=True)
    try:
        every = source_list(engine)
        top = source_list(engine, 5)
        total = cited_source_count(engine)
    finally:
        engine.dispose()
    assert total == len(every) >= len({link["source_id"] for link in links})
    assert every["events"].is_monotonic_decreasing
    assert top["source_id"].tolist() == every["source_id"].head(5).tolist()
    curated = {link["source_id"] for link in links}
    cited = dict(zip(every["source_id"], every["events"]))
    some = sorted(curated)[0]
    assert cited[some] >= sum(1 for link in links if link["source_id"] == some)


def test_the_streamed_events_csv_is_the_frame_written_safely(built: str, tmp_path: Path):
    """export's streaming writer gives the same bytes as the app's frame download; URLs are those of the links."""
    import io

    from loaders.export import write_events_csv
    from loaders.safe_csv import safe_csv_bytes
    from model import queries

    engine = make_engine(built, read_only=True)
    try:
        for filters in (queries.EventFilter(), queries.EventFilter(designators=("KZ", "RU"), date_from="2014")):
            frame = queries.events_v1(engine, filters)
            streamed = io.BytesIO()
            count = write_events_csv(engine, filters, streamed)
            assert count == len(frame) > 0
            assert streamed.getvalue() == safe_csv_bytes(queries.events_v1(engine, filters))
        links = queries.event_sources(engine)
        urls = links.sort_values(["event_id", "url"]).groupby("event_id")["url"].agg(" ".join)
        events = queries.events_v1(engine).set_index("event_id")
        assert events["source_urls"].to_dict() == urls.reindex(events.index, fill_value="").to_dict()
    finally:
        engine.dispose()


def test_formula_like_cells_in_the_database_are_neutralised_when_streamed(tmp_path: Path, data_copy: Path):
    """A note starting with '=' reaches the streamed CSV with its apostrophe; a negative number does not."""
    import csv
    import io

    from loaders.export import write_events_csv
    from model import queries

    events_path = data_copy / "events.csv"
    with events_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    notes = rows[0].index("notes")
    rows[1][notes], rows[2][notes] = '=HYPERLINK("http://x")', "-12"
    with events_path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    url = f"sqlite:///{tmp_path / 'formula.db'}"
    build_database(data_copy, url)
    engine = make_engine(url, read_only=True)
    try:
        streamed = io.BytesIO()
        write_events_csv(engine, queries.EventFilter(event_ids=(rows[1][0], rows[2][0])), streamed)
    finally:
        engine.dispose()
    written = {row["event_id"]: row["notes"] for row in csv.DictReader(io.StringIO(streamed.getvalue().decode()))}
    assert written[rows[1][0]] == '\'=HYPERLINK("http://x")'
    assert written[rows[2][0]] == "-12"


# Cells a CSV writer must quote or neutralise (the package's own reader refuses a bare CR and edge spaces).
AWKWARD = ["a, b", 'the "Front"', "two\nlines", "=1+1", "-12", "+x", "@x", "плохо, да", ""]


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows[0], rows[1:])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_awkward_cells_stream_as_the_csv_module_writes_them(db_url: str, data_copy: Path):
    """Commas, quotes, line breaks and formula-like starts in every free-text cell, joined names included:
    the streamed export (SQLite writes the lines itself) is byte for byte the app's download."""
    import io

    from loaders.export import write_events_csv
    from loaders.safe_csv import safe_csv_bytes
    from model import queries

    def events(header, rows):
        for i, row in enumerate(rows[:300]):
            for k, column in enumerate(("name_as_listed", "legal_reference", "scope", "notes")):
                value = AWKWARD[(i + k) % len(AWKWARD)]
                row[header.index(column)] = value or ("x" if column == "name_as_listed" else "")

    def named(*columns):
        def change(header, rows):
            for i, row in enumerate(rows):
                for column in columns:
                    row[header.index(column)] = f"{AWKWARD[i % 8]} {row[header.index(column)]}"

        return change

    _rewrite(data_copy / "events.csv", events)
    _rewrite(data_copy / "groups.csv", named("name"))
    _rewrite(data_copy / "authorities.csv", named("name"))
    build_database(data_copy, db_url)
    engine = make_engine(db_url, read_only=True)
    try:
        for filters in (queries.EventFilter(), queries.EventFilter(designators=("GB", "RU"), date_from="2001")):
            streamed = io.BytesIO()
            write_events_csv(engine, filters, streamed)
            assert streamed.getvalue() == safe_csv_bytes(queries.events_v1(engine, filters))
        written = list(csv.DictReader(io.StringIO(streamed.getvalue().decode(), newline="")))
    finally:
        engine.dispose()
    assert {"'=1+1", "-12", "'+x", "a, b", 'the "Front"', "two\nlines"} <= {row["notes"] for row in written}


def _quoted_by_csv_module(cell: str) -> bool:
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([cell, "x"])
    return buffer.getvalue().startswith('"')


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=',"\r\n\t=+-@ aЖ1', max_size=5), min_size=2, max_size=5))
def test_csv_care_marks_what_the_csv_module_quotes_and_what_may_be_neutralised(cells: list[str]):
    import pyarrow as pa

    from loaders.safe_csv import CSV_FORMULA, CSV_LAST_QUOTED, CSV_QUOTED, csv_care
    from model.queries import FORMULA_STARTS

    care = int(csv_care([pa.array([cell]) for cell in cells[:-1]], pa.array([cells[-1]]))[0])
    assert bool(care & CSV_QUOTED) == any(_quoted_by_csv_module(cell) for cell in cells[:-1])
    assert bool(care & CSV_LAST_QUOTED) == _quoted_by_csv_module(cells[-1])
    assert bool(care & CSV_FORMULA) == any(cell.startswith(tuple(FORMULA_STARTS)) for cell in cells)
    if not care & CSV_FORMULA:
        assert all(neutralise_cell(cell) == cell for cell in cells)
