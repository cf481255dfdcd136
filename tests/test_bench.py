"""The benchmark's synthetic packages are valid data packages, and the real build path loads them whole."""

import csv
from pathlib import Path

import pytest

from bench import baselines
from bench.generate import generate_package
from loaders.build import build_database
from loaders.validate import validate_package
from model import queries
from model.db import make_engine


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("bench") / "data"
    return folder, generate_package(folder, 3000)


def test_the_generated_package_has_the_promised_shape(package):
    folder, counts = package
    assert counts["events.csv"] == 3000
    tables = validate_package(folder).tables
    events = tables["events"]
    assert set(events["event_type"]) == {
        "listing",
        "amendment",
        "renewal",
        "delisting",
        "expiry",
        "annulment",
        "suspension",
    }
    dates = events["decision_date"]
    assert dates.str.fullmatch(r"\d{4}").any() and dates.str.fullmatch(r"\d{4}-\d{2}").any()
    assert dates.str.contains("/").any() and dates.str.fullmatch(r"\d{4}-\d{2}-\d{2}").any()
    per_designator = events["designator_code"].value_counts()
    assert per_designator.iloc[0] > 10 * per_designator.iloc[-1]  # skewed, like real lists


def test_build_baseline_and_export_agree_on_every_row(package, tmp_path: Path):
    folder, counts = package
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    report = build_database(folder, url)
    assert report.rows_loaded["events"] == counts["events.csv"]
    assert report.rows_loaded["event_sources"] == counts["event_sources.csv"]
    baselines.sqlite_build(folder, tmp_path / "baseline.db")
    import sqlite3

    with sqlite3.connect(tmp_path / "baseline.db") as connection:
        assert connection.execute("SELECT COUNT(*) FROM events").fetchone()[0] == counts["events.csv"]
    engine = make_engine(url, read_only=True)
    try:
        events = queries.events_v1(engine)
    finally:
        engine.dispose()
    assert len(events) == counts["events.csv"]
    with (folder / "event_sources.csv").open(encoding="utf-8") as handle:
        links = sum(1 for _ in csv.reader(handle)) - 1
    assert sum(len(urls.split(" ")) for urls in events["source_urls"]) == links


def test_the_page_process_memory_is_its_own_not_its_parents():
    """A parent holding 400 MB does not inflate the peak its page-serving child reports."""
    import subprocess
    import sys

    ballast = bytearray(400 * 1024 * 1024)
    for offset in range(0, len(ballast), 4096):
        ballast[offset] = 1
    code = "from bench.pages import peak_resident_kb; print(peak_resident_kb())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path.cwd())
    assert int(done.stdout) < 200 * 1024
    del ballast
