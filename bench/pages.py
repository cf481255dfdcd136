"""Run every app page in-process under AppTest and print their server-side run times and peak memory as JSON.

Run as its own process (`python -m bench.pages --db URL --data DIR --designator CODE`) so that its peak
resident memory is that of a process serving the pages at that size.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

PAGES = ("explore", "timeline", "compare", "map", "group", "designator", "data")
# Each view timed: its label, its page and the page's own parameters. The compare page works out only
# its open tab's chart, so each of its other tabs is timed as a view of its own.
VIEWS = (
    *((page, page, {}) for page in PAGES[:3]),
    ("compare:diffusion", "compare", {"chart": "Diffusion"}),
    ("compare:matrix", "compare", {"chart": "Matrix"}),
    *((page, page, {}) for page in PAGES[3:]),
)


def _run_page(app_test, root: Path, page: str, params: dict[str, str]) -> float:
    """One cold run of one page (data caches cleared first); return its run time in seconds."""
    import streamlit as st

    st.cache_data.clear()
    # The harness's garbage (the last run's app tree, the cache it just cleared) is collected now, so that
    # neither a page's time nor the peak memory is that of the harness.
    gc.collect()
    app = app_test.from_file(str(root / "app_pages" / f"{page}.py"), default_timeout=600)
    for key, value in params.items():
        app.query_params[key] = value
    started = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(f"page {page} with {params} raised: {app.exception[0].message}")
    return elapsed


def measure_pages(designator: str, group: str | None, repeat: int) -> dict[str, dict[str, float]]:
    """Median run time of each page with default filters and with one designator, its data cache cleared.

    Each page is run once first, untimed: a serving process imports the pages' modules once, so a
    view pays for its data, not for the first import of Plotly.
    """
    from streamlit.testing.v1 import AppTest

    from app_pages import data_access

    root = Path(__file__).resolve().parent.parent
    data_access.prepare_database()  # the build is not a page view: it happens once, before serving
    for page in PAGES:  # a serving process has imported the pages' modules before its first view
        _run_page(AppTest, root, page, {})
    results: dict[str, dict[str, float]] = {}
    for label, page, own in VIEWS:
        base = {**own, **({"group": group} if group and page in ("timeline", "map", "group") else {})}
        variants = {"default": base, "designator": {**base, "designator": designator}}
        results[label] = {
            name: round(statistics.median(_run_page(AppTest, root, page, params) for _ in range(repeat)), 4)
            for name, params in variants.items()
        }
    return results


def peak_resident_kb() -> int:
    """This process's peak resident memory in KiB.

    On Linux, VmHWM: the high-water mark of this program's own memory. getrusage's ru_maxrss would also
    count the parent's pages that a forked child shares before it execs, so a harness that has just built
    a large database would report its own size, not the pages'. Elsewhere, ru_maxrss.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL (already built)")
    parser.add_argument("--data", required=True, type=Path, help="the data package it was built from")
    parser.add_argument("--designator", required=True, help="designator code for the single-designator run")
    parser.add_argument("--group", help="group id for the pages that show one group")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.db
    os.environ["DESIGNATIONS_DATA"] = str(args.data)
    pages = measure_pages(args.designator, args.group, args.repeat)
    json.dump({"pages": pages, "rss_mb": round(peak_resident_kb() / 1024, 1)}, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
