"""Benchmark harness: `python -m bench --events N [--json FILE]` prints ratios against same-run baselines."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from bench import baselines
from bench.generate import generate_package
from loaders.build import build_database
from loaders.export import write_events_csv
from model import queries
from model.db import DEFAULT_DATA_DIR, make_engine

SEED_GROUP = "g-573fed31"  # the Islamic State, on the real data
TARGETS = {
    "build_ratio": 2.0,
    "export_ratio": 2.0,
    "pg_build_ratio": 2.0,
    "rss_mb": 500,
    "page_s": 0.5,
    "real_page_s": 0.15,
}


def _timed(function, *args, repeat: int = 1) -> float:
    """Median wall time of `repeat` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def export_events_csv(url: str, out: Path) -> None:
    """What `export` does for all events: the v1 query streamed into a formula-safe CSV."""
    engine = make_engine(url, read_only=True)
    try:
        with out.open("wb") as handle:
            write_events_csv(engine, queries.EventFilter(), handle)
    finally:
        engine.dispose()


def _pages(url: str, data: Path, designator: str, group: str | None, repeat: int) -> dict:
    command = [sys.executable, "-m", "bench.pages", "--db", url, "--data", str(data), "--designator", designator]
    command += ["--group", group] if group else []
    command += ["--repeat", str(repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=Path(__file__).parent.parent)
    if done.returncode != 0:
        raise SystemExit(f"page run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def _fresh_postgres_build(data: Path, url: str, repeat: int) -> float:
    """Median time of `repeat` builds into PostgreSQL, each into an emptied database (emptying not timed)."""
    times = []
    for _ in range(repeat):
        _drop_project_tables(url)
        times.append(_timed(build_database, data, url))
    return statistics.median(times)


def _drop_project_tables(url: str) -> None:
    """Drop the project's tables in the PostgreSQL database (not timed)."""
    from sqlmodel import SQLModel

    engine = make_engine(url)
    try:
        SQLModel.metadata.drop_all(engine)
    finally:
        engine.dispose()


def run(events: int, workdir: Path, repeat: int, pg_url: str | None) -> dict:
    """Generate a package of `events` events and measure build, pages, export, memory and PostgreSQL build."""
    data = workdir / "data"
    generate_package(data, events)
    db = workdir / "bench.db"
    url = f"sqlite:///{db}"
    result: dict = {
        "events": events,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }

    result["build_s"] = round(_timed(build_database, data, url, repeat=repeat), 3)
    result["baseline_build_s"] = round(_timed(baselines.sqlite_build, data, workdir / "baseline.db", repeat=repeat), 3)
    result["build_ratio"] = round(result["build_s"] / result["baseline_build_s"], 2)

    if baselines.sqlite3_cli_available():
        result["export_s"] = round(_timed(export_events_csv, url, workdir / "events.csv", repeat=repeat), 3)
        result["baseline_export_s"] = round(
            _timed(baselines.sqlite3_csv_export, db, workdir / "events-sqlite3.csv", repeat=repeat), 3
        )
        result["export_ratio"] = round(result["export_s"] / result["baseline_export_s"], 2)
    else:
        result["export_ratio"] = None
        result["export_skipped"] = "the sqlite3 shell is not installed (apt-get install -y sqlite3)"

    top_designator = "UN"  # the generator gives the UN the most events
    served = _pages(url, data, top_designator, "g-00000000", repeat)
    result["pages"], result["rss_mb"] = served["pages"], served["rss_mb"]
    real_db = workdir / "real.db"
    build_database(DEFAULT_DATA_DIR, f"sqlite:///{real_db}")
    result["pages_real_data"] = _pages(f"sqlite:///{real_db}", DEFAULT_DATA_DIR, "RU", SEED_GROUP, repeat)["pages"]

    if pg_url:
        # Each timed build starts empty, as a first deployment does, like the baseline's new schema.
        result["pg_build_s"] = round(_fresh_postgres_build(data, pg_url, repeat), 3)
        result["pg_baseline_build_s"] = round(_timed(baselines.postgres_build, data, pg_url, repeat=repeat), 3)
        baselines.postgres_cleanup(pg_url)
        result["pg_build_ratio"] = round(result["pg_build_s"] / result["pg_baseline_build_s"], 2)
        # A rebuild over the previous data deletes its rows (so readers never see an empty table): shown apart.
        result["pg_rebuild_s"] = round(_timed(build_database, data, pg_url), 3)
    else:
        result["pg_build_ratio"] = None
        result["pg_skipped"] = "DATABASE_URL does not point at PostgreSQL"
    return result


def table(result: dict) -> str:
    """The result as a plain-text table, with each target beside its measure."""
    lines = [f"events: {result['events']:,}   machine: {result['machine']}", ""]
    rows = [
        (
            "build_ratio",
            result.get("build_ratio"),
            f"<= {TARGETS['build_ratio']}",
            f"ours {result['build_s']} s / baseline {result['baseline_build_s']} s",
        ),
        (
            "export_ratio",
            result.get("export_ratio"),
            f"<= {TARGETS['export_ratio']}",
            f"ours {result.get('export_s')} s / sqlite3 -csv {result.get('baseline_export_s')} s"
            if result.get("export_ratio")
            else result.get("export_skipped", ""),
        ),
        (
            "rss_mb",
            result.get("rss_mb"),
            f"<= {TARGETS['rss_mb']}",
            "peak resident memory of the process serving the pages",
        ),
        (
            "pg_build_ratio",
            result.get("pg_build_ratio"),
            f"<= {TARGETS['pg_build_ratio']}",
            f"ours {result.get('pg_build_s')} s / COPY {result.get('pg_baseline_build_s')} s "
            f"(a rebuild over the old rows: {result.get('pg_rebuild_s')} s)"
            if result.get("pg_build_ratio")
            else result.get("pg_skipped", ""),
        ),
    ]
    lines.append(f"{'measure':<16}{'value':>10}  {'target':<9} detail")
    for name, value, target, detail in rows:
        lines.append(f"{name:<16}{'-' if value is None else value:>10}  {target:<9} {detail}")
    lines += ["", f"{'page (s, cold)':<18}{'default':>10}{'one desig.':>12}{'real data':>11}{'real, one':>11}"]
    for page, times in result["pages"].items():
        real = result["pages_real_data"][page]
        lines.append(
            f"{page:<18}{times['default']:>10}{times['designator']:>12}{real['default']:>11}{real['designator']:>11}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--events", type=int, required=True, help="number of synthetic events")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measure (the median is kept)")
    parser.add_argument(
        "--workdir", type=Path, help="where to put the package and databases (default: a temporary folder)"
    )
    args = parser.parse_args(argv)
    env_url = os.environ.get("DATABASE_URL")
    pg_url = env_url if env_url and make_url(env_url).get_backend_name() == "postgresql" else None
    os.environ.pop("DATABASE_URL", None)  # the SQLite measures use their own files
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        result = run(args.events, workdir, args.repeat, pg_url)
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
