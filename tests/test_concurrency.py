"""Rebuilds while readers run in threads and processes: zero reader errors, each sees all old or all new."""

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from loaders.build import build_database
from model.db import PROJECT_ROOT, make_engine

READER = """
import json, sys
from sqlalchemy import text
from model.db import make_engine
engine = make_engine(sys.argv[1], read_only=True)
seen, errors = [], []
for _ in range(int(sys.argv[2])):
    try:
        with engine.connect() as c:
            version, declared = c.execute(text("SELECT data_version, event_count FROM build_info")).one()
            counted = c.execute(text("SELECT count(*) FROM events")).scalar_one()
            seen.append([version, declared, counted])
    except Exception as exc:  # any reader error fails the test
        errors.append(repr(exc))
print(json.dumps({"seen": seen, "errors": errors}))
"""


def _read_once(url: str) -> tuple[str, int, int]:
    engine = make_engine(url, read_only=True)
    try:
        with engine.connect() as connection:
            version, declared = connection.execute(text("SELECT data_version, event_count FROM build_info")).one()
            counted = connection.execute(text("SELECT count(*) FROM events")).scalar_one()
            return version, declared, counted
    finally:
        engine.dispose()


@pytest.mark.parametrize("rounds", [3])
def test_readers_never_fail_and_never_see_a_mix(db_url: str, data_copy: Path, rounds: int):
    second = data_copy
    with (second / "groups.csv").open("a", encoding="utf-8") as handle:
        handle.write("g-0000dd01,Concurrency test group,,\n")
    with (second / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("e-0000dd01,FR,g-0000dd01,Test,listing,terrorist,formal,2020,,,,,,\n")
    with (second / "event_sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("e-0000dd01,un-aq-list-2014-12-12,,false\n")
    first = PROJECT_ROOT / "data"
    build_database(first, db_url)
    states = {_read_once(db_url)[:2]}
    build_database(second, db_url)
    states.add(_read_once(db_url)[:2])
    assert len(states) == 2

    seen: list[tuple] = []
    errors: list[str] = []
    stop = threading.Event()

    def thread_reader() -> None:
        while not stop.is_set():
            try:
                seen.append(_read_once(db_url))
            except Exception as exc:  # noqa: BLE001 (any error is a failure)
                errors.append(repr(exc))

    threads = [threading.Thread(target=thread_reader) for _ in range(3)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", READER, db_url, "80"], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for round_ in range(rounds):
        build_database(first if round_ % 2 else second, db_url)
    stop.set()
    for thread in threads:
        thread.join()
    for process in processes:
        out, _ = process.communicate(timeout=300)
        result = json.loads(out)
        errors += result["errors"]
        seen += [tuple(s) for s in result["seen"]]
    assert errors == []
    assert seen
    assert all(declared == counted for _, declared, counted in seen)  # never half-built
    assert {(version, declared) for version, declared, _ in seen} <= states  # all old or all new
