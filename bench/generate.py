"""Write a synthetic data package of N events in the same format as data/, for benchmarks only."""

from __future__ import annotations

import csv
import json
import random
import shutil
from pathlib import Path

import pandas as pd
import pycountry

from model.db import DEFAULT_DATA_DIR

# Reference tables copied unchanged from the real package (they define designators, regions, blocs).
COPIED = ("datapackage.json", "bodies.csv", "m49_regions.csv", "blocs.csv", "bloc_members.csv")
EVENT_MIX = [  # (event_type, weight): listings dominate, as in the real lists
    ("listing", 60),
    ("amendment", 14),
    ("renewal", 12),
    ("delisting", 6),
    ("expiry", 3),
    ("annulment", 2),
    ("suspension", 3),
]
CATEGORY_MIX = [("terrorist", 80), ("extremist", 12), ("banned_other", 4), ("sanctions_only", 4)]
AUTHORITY_KINDS = ("executive", "supreme_court", "lower_court", "council")
ALIAS_SCRIPTS = [("en", "Latn", "Front {n}"), ("ru", "Cyrl", "Фронт {n}"), ("ar", "Arab", "جبهة {n}")]


def _header(data: Path, name: str) -> list[str]:
    with (data / name).open(encoding="utf-8") as handle:
        return next(csv.reader(handle))


def _designator_codes(count: int, rng: random.Random) -> list[str]:
    """`count` designators: the UN and the EU first (they list the most), then states with M49 regions."""
    regions = pd.read_csv(DEFAULT_DATA_DIR / "m49_regions.csv", dtype=str, keep_default_na=False)
    known = {c.alpha_2 for c in pycountry.countries}
    states = sorted(code for code in regions["alpha2"] if code in known)
    rng.shuffle(states)
    return ["UN", "EU", *states][:count]


def _date(rng: random.Random) -> str:
    """A date at mixed precision: mostly days, some months, years and windows."""
    year = rng.randint(1995, 2025)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    roll = rng.random()
    if roll < 0.70:
        return f"{year}-{month:02d}-{day:02d}"
    if roll < 0.85:
        return f"{year}-{month:02d}"
    if roll < 0.95:
        return f"{year}"
    end_month = min(12, month + rng.randint(1, 3))
    return f"{year}-{month:02d}/{year}-{end_month:02d}"


def _write(path: Path, header: list[str], rows) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def generate_package(out: Path, events: int, *, designators: int = 200, seed: int = 1) -> dict[str, int]:
    """Write a valid package of `events` events into `out`; return the row count of each file."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in COPIED:
        shutil.copy(DEFAULT_DATA_DIR / name, out / name)
    (out / "README.md").write_text(
        f"Synthetic benchmark package ({events:,} events, seed {seed}): not real data.\n", encoding="utf-8"
    )
    codes = _designator_codes(designators, rng)
    group_count = max(50, min(20_000, events // 50))
    source_count = max(50, events // 2)
    group_ids = [f"g-{i:08x}" for i in range(group_count)]
    source_ids = [f"bench-source-{i}" for i in range(source_count)]
    authorities = {
        code: [f"{code.lower()}-authority-{k}" for k in range(1 + (i % 3 == 0))] for i, code in enumerate(codes)
    }
    # Skewed: a few designators and groups account for most events (Zipf-like weights).
    designator_weights = [1 / (rank + 1) ** 1.1 for rank in range(len(codes))]
    group_weights = [1 / (rank + 1) ** 0.9 for rank in range(group_count)]
    types, type_weights = zip(*EVENT_MIX)
    categories, category_weights = zip(*CATEGORY_MIX)

    counts = {}
    counts["groups.csv"] = _write(
        out / "groups.csv",
        _header(DEFAULT_DATA_DIR, "groups.csv"),
        ([gid, f"Synthetic Group {i}", f"Q{1000 + i}" if i % 5 == 0 else "", ""] for i, gid in enumerate(group_ids)),
    )

    def names():
        for i, gid in enumerate(group_ids):
            for language, script, pattern in ALIAS_SCRIPTS[: 1 + i % 3]:
                yield [
                    gid,
                    pattern.format(n=i),
                    "alias" if script == "Latn" else "original_script",
                    language,
                    script,
                    "",
                    "",
                    source_ids[i % source_count],
                ]

    counts["group_names.csv"] = _write(out / "group_names.csv", _header(DEFAULT_DATA_DIR, "group_names.csv"), names())
    counts["group_identifiers.csv"] = _write(
        out / "group_identifiers.csv",
        _header(DEFAULT_DATA_DIR, "group_identifiers.csv"),
        (["un_reference", f"QDe.{i}", gid, ""] for i, gid in enumerate(group_ids) if i % 10 == 0),
    )
    counts["authorities.csv"] = _write(
        out / "authorities.csv",
        _header(DEFAULT_DATA_DIR, "authorities.csv"),
        (
            [aid, code, f"Authority {k} of {code}", "", AUTHORITY_KINDS[(i + k) % len(AUTHORITY_KINDS)]]
            for i, (code, ids) in enumerate(authorities.items())
            for k, aid in enumerate(ids)
        ),
    )
    counts["sources.csv"] = _write(
        out / "sources.csv",
        _header(DEFAULT_DATA_DIR, "sources.csv"),
        (
            [sid, f"https://example.org/acts/{i}", f"Act {i}", "Synthetic Gazette", "", "2026-01-01", ""]
            for i, sid in enumerate(source_ids)
        ),
    )

    event_designators = rng.choices(codes, designator_weights, k=events)
    event_groups = rng.choices(group_ids, group_weights, k=events)
    event_types = rng.choices(types, type_weights, k=events)
    event_categories = rng.choices(categories, category_weights, k=events)

    def event_rows():
        for i in range(events):
            code = event_designators[i]
            decision = _date(rng)
            publication = decision if rng.random() < 0.3 and "/" not in decision else ""
            yield [
                f"e-{i:08x}",
                code,
                event_groups[i],
                f"Synthetic Group {event_groups[i][2:]}",
                event_types[i],
                event_categories[i],
                "formal" if rng.random() < 0.95 else "reported",
                decision,
                publication,
                "",
                rng.choice(authorities[code]),
                f"Act {i}" if i % 4 == 0 else "",
                "military wing" if i % 97 == 0 else "",
                "Synthetic note." if i % 3 == 0 else "",
            ]

    counts["events.csv"] = _write(out / "events.csv", _header(DEFAULT_DATA_DIR, "events.csv"), event_rows())

    def link_rows():
        for i in range(events):
            first = i % source_count
            yield [f"e-{i:08x}", source_ids[first], "quoted text" if i % 2 else "", "true" if i % 5 else "false"]
            if i % 4 == 0:
                yield [f"e-{i:08x}", source_ids[(first + 1) % source_count], "", "false"]

    counts["event_sources.csv"] = _write(
        out / "event_sources.csv", _header(DEFAULT_DATA_DIR, "event_sources.csv"), link_rows()
    )
    counts["coverage.csv"] = _write(
        out / "coverage.csv",
        _header(DEFAULT_DATA_DIR, "coverage.csv"),
        ([code, "*", "1995", "", "synthetic", "2026-01-01", ""] for code in codes),
    )
    (out / "datapackage.json").write_text(
        json.dumps(json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_text(encoding="utf-8")), indent=2),
        encoding="utf-8",
    )
    return counts
