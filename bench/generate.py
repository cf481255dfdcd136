"""Write a synthetic data package of N events in the same format as data/, for benchmarks only."""

from __future__ import annotations

import csv
import json
import random
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pycountry

from model.db import DEFAULT_DATA_DIR

# Reference tables copied unchanged from the real package (they define designators, regions, blocs).
COPIED = ("datapackage.json", "bodies.csv", "m49_regions.csv", "blocs.csv", "bloc_members.csv")
# What may follow while a group is on a designator's list (weights); a closed listing may reopen later.
WHILE_LISTED = [
    ("amendment", 14),
    ("renewal", 12),
    ("delisting", 6),
    ("expiry", 3),
    ("annulment", 2),
    ("suspension", 3),
]
CLOSING = {"delisting", "expiry", "annulment"}
MEAN_EVENTS_PER_PAIR = 3  # a listing plus a few renewals, renames or a delisting, as in the real lists
CATEGORY_MIX = [("terrorist", 80), ("extremist", 12), ("banned_other", 4), ("sanctions_only", 4)]
AUTHORITY_KINDS = ("executive", "supreme_court", "lower_court", "council")
ALIAS_SCRIPTS = [("en", "Latn", "Front {n}"), ("ru", "Cyrl", "Фронт {n}"), ("ar", "Arab", "جبهة {n}")]
# Clauses of a note, shaped like the real notes: about 300 characters, commas in most, quoted names in some.
NOTE_CLAUSES = (
    "Decision date from the gazette of {y}, publication date from the official list",
    'The act names the group as "Front {n}", with two other spellings',
    "Court of region {k}, case {n}/{y}, upheld on appeal the next year",
    "Sources disagree on the day: the ministry gives one date, a dated news report another",
    "Scope limited to the armed wing; the political wing is not listed",
    "Listed together with {k} other organisations in the same order",
    "Entry into force on publication, as the statute provides",
)


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


def _date(day: date, rng: random.Random) -> str:
    """`day` written at mixed precision: mostly the day, some months, years and windows."""
    roll = rng.random()
    if roll < 0.70:
        return day.isoformat()
    if roll < 0.85:
        return f"{day.year}-{day.month:02d}"
    if roll < 0.95:
        return f"{day.year}"
    end_month = min(12, day.month + rng.randint(1, 3))
    return f"{day.year}-{day.month:02d}/{day.year}-{end_month:02d}"


def _history(length: int, rng: random.Random) -> list[tuple[str, date]]:
    """One designator's acts on one group, in order: a listing first, then what may follow it."""
    first = date(1995, 1, 1).toordinal() + rng.randint(0, 29 * 365)
    last = date(2025, 12, 31).toordinal()
    days = sorted(rng.sample(range(first, last), min(length, last - first)))
    kinds, weights = zip(*WHILE_LISTED)
    acts = []
    is_listed = False
    for day in days:
        kind = rng.choices(kinds, weights)[0] if is_listed else "listing"
        is_listed = kind not in CLOSING
        acts.append((kind, date.fromordinal(day)))
    return acts


def _legal_reference(i: int) -> str:
    """Half the acts carry a reference, a third of those with a comma, as real order numbers do."""
    if i % 2:
        return ""
    return f"Order No. {i}, art. {i % 9 + 1}" if i % 3 == 0 else f"Act {i}"


def _note(i: int, year: int, rng: random.Random) -> str:
    """A note of one to seven clauses (none for one event in a hundred)."""
    if i % 100 == 0:
        return ""
    clauses = rng.choices(NOTE_CLAUSES, k=rng.randint(1, 7))
    return ". ".join(c.format(n=i, y=year, k=i % 40) for c in clauses) + "."


def _pairs(codes: list[str], group_count: int, events: int, rng: random.Random) -> list[tuple[str, int, int]]:
    """(designator, group index, number of acts) per listed pair, `events` acts in all.

    Designators and groups are both skewed (Zipf-like): the UN and a few states list thousands of
    groups, most states a handful; popular groups are listed by most designators. A designator lists
    a group at most once, so its events beyond one per group become longer histories.
    """
    designator_weights = [1 / (rank + 1) ** 1.1 for rank in range(len(codes))]
    group_weights = np.array([1 / (rank + 1) ** 0.9 for rank in range(group_count)])
    group_weights /= group_weights.sum()
    per_designator = Counter(rng.choices(codes, designator_weights, k=events))
    picker = np.random.default_rng(rng.randrange(2**32))
    pairs = []
    for code in codes:
        total = per_designator.get(code, 0)
        if not total:
            continue
        listed = min(group_count, max(1, round(total / MEAN_EVENTS_PER_PAIR)), total)
        chosen = picker.choice(group_count, size=listed, replace=False, p=group_weights)
        extra = picker.multinomial(total - listed, [1 / listed] * listed)
        pairs += [(code, int(group), 1 + int(more)) for group, more in zip(chosen, extra)]
    rng.shuffle(pairs)
    return pairs


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

    pairs = _pairs(codes, group_count, events, rng)

    def event_rows():
        i = 0
        for code, group, length in pairs:
            group_id = group_ids[group]
            category = rng.choices(categories, category_weights)[0]
            formality = "formal" if rng.random() < 0.95 else "reported"
            for kind, day in _history(length, rng):
                decision = _date(day, rng)
                publication = decision if rng.random() < 0.3 and "/" not in decision else ""
                yield [
                    f"e-{i:08x}",
                    code,
                    group_id,
                    f"Synthetic Group {group}",
                    kind,
                    category,
                    formality,
                    decision,
                    publication,
                    "",
                    rng.choice(authorities[code]),
                    _legal_reference(i),
                    "military wing" if i % 7 == 0 else "",
                    _note(i, day.year, rng),
                ]
                i += 1

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
