"""`check`: the schema, the snapshots and the logical consistency of everything the build would load."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from loaders.base import LoaderError, LoadReport
from loaders.build import merge_imported
from loaders.snapshots import replay_snapshots
from loaders.validate import validate_package
from model.consistency import consistency_findings

MAX_PER_KIND = 20


def check_package(data_dir: Path, max_per_kind: int | None = MAX_PER_KIND) -> tuple[list[LoaderError], LoadReport]:
    """Validate (raising ValidationFailed on schema errors), replay snapshots, and return consistency errors.

    Consistency warnings are added to the returned report; consistency errors are returned, located by
    file and line for curated events and by snapshot for imported ones. Warnings beyond `max_per_kind`
    of one kind are counted, not listed (None lists them all).
    """
    package = validate_package(data_dir, max_per_kind)
    imported = replay_snapshots(data_dir, package.tables)
    tables = merge_imported(package, imported)
    curated = dict(zip(package.tables["events"]["event_id"], package.lines["events"]))
    origins = dict(zip(tables["events"]["event_id"], tables["events"]["origin"]))
    errors: list[LoaderError] = []
    kinds: Counter[str] = Counter()
    report = package.report
    for finding in consistency_findings(tables["events"], tables["groups"]):
        if finding.event_id in curated:
            located = LoaderError("events.csv", curated[finding.event_id], finding.field, finding.message)
        else:
            located = LoaderError(
                f"raw/{origins.get(finding.event_id, '?')}",
                None,
                finding.field,
                f"event {finding.event_id}: {finding.message}",
            )
        if finding.level == "error":
            errors.append(located)
            continue
        kind = re.sub(r"[eg]-[0-9a-f]{8}|\d{4}(-\d{2})*", "", finding.message)[:40]
        kinds[kind] += 1
        if max_per_kind is not None and kinds[kind] > max_per_kind:
            report.warnings_suppressed += 1
        else:
            report.warnings.append(located)
    for reply in imported.reports:
        report.rows_read[f"raw/{reply.slug}"] = reply.entities
    return errors, report
