"""`import`: validate a new snapshot, show what it changes, then store it unchanged under data/raw/."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

from loaders.base import LoaderError, ValidationFailed
from loaders.importers import IMPORTERS
from loaders.snapshots import ORIGIN_FILE, replay_snapshots, source_configs
from loaders.validate import validate_package


def import_snapshot(
    slug: str,
    file: Path,
    data_dir: Path,
    *,
    snapshot_date: str | None = None,
    retrieved: str | None = None,
    url: str | None = None,
    copy_url: str | None = None,
) -> list[str]:
    """Validate `file` as a snapshot of `slug`, describe its changes, store it; return the report lines."""
    configs = source_configs(data_dir)
    if slug not in configs:
        raise ValidationFailed([LoaderError(f"sources/{slug}.yml", None, None, "no such source: add its YAML first")])
    if not file.is_file():
        raise ValidationFailed([LoaderError(str(file), None, None, "no such file")])
    config = configs[slug]
    snapshot = IMPORTERS[slug].read(file, config, snapshot_date)
    destination = data_dir / "raw" / slug / snapshot.snapshot_date
    if destination.exists():
        stored = json.loads((destination / ORIGIN_FILE).read_text(encoding="utf-8"))
        if stored["sha256"] == snapshot.sha256:
            return [f"{slug} {snapshot.snapshot_date}: this file is already stored; nothing changes."]
        raise ValidationFailed(
            [
                LoaderError(
                    str(file),
                    None,
                    None,
                    f"a different file is already stored for "
                    f"{snapshot.snapshot_date} (raw/{slug}/{snapshot.snapshot_date})",
                )
            ]
        )
    origin = {
        "file": file.name,
        "url": url or config["url"],
        "retrieved": retrieved or date.today().isoformat(),
        "sha256": snapshot.sha256,
        "generated_at": snapshot.generated_at or "",
        "copy_url": copy_url or "",
    }
    curated = validate_package(data_dir).tables
    before = replay_snapshots(data_dir, curated)
    after = replay_snapshots(data_dir, curated, extra={slug: [(snapshot, origin)]})
    known = set(before.tables.get("events", {}).get("event_id", []))
    new_events = after.tables["events"][~after.tables["events"]["event_id"].isin(known)]
    counts = Counter(new_events["event_type"])
    lines = [
        f"{slug} {snapshot.snapshot_date}: {len(snapshot.entities)} entities "
        f"({snapshot.individuals_skipped} other records counted, not imported)"
    ]
    lines.append("changes: " + (", ".join(f"{n} new {k} event(s)" for k, n in sorted(counts.items())) or "none"))
    for _, event in new_events.head(30).iterrows():
        lines.append(f"  {event['event_type']:<10} {event['decision_date']:<23} {event['name_as_listed']}")
    if len(new_events) > 30:
        lines.append(f"  ... and {len(new_events) - 30} more")
    report = next(r for r in after.reports if r.slug == slug)
    before_unmatched = set(next((r.unmatched for r in before.reports if r.slug == slug), []))
    unmatched = [u for u in report.unmatched if u not in before_unmatched]
    if unmatched:
        lines.append(
            f"unmatched entities (new unreviewed groups; add a reviewed row to group_identifiers.csv "
            f"to link one to an existing group): {len(unmatched)}"
        )
        lines += [f"  {u}" for u in unmatched[:30]]
    destination.mkdir(parents=True)
    shutil.copyfile(file, destination / file.name)
    (destination / ORIGIN_FILE).write_text(json.dumps(origin, indent=2) + "\n", encoding="utf-8")
    lines.append(f"stored as raw/{slug}/{snapshot.snapshot_date}/{file.name}; `build` now includes it.")
    return lines
