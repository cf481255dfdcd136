"""OpenSanctions FollowTheMoney JSON lines (entity files and delta files): organisations and their sanctions.

For users who hold OpenSanctions data under its licence (CC BY-NC); the project ships none of it.
"""

from __future__ import annotations

import json
from pathlib import Path

from loaders.importers.base import Entity, Importer, Snapshot, check_size, clean_name, fail, sha256_of
from model.dates import DateGrammarError, parse_date

ORGANISATION_SCHEMATA = {"Organization", "LegalEntity", "Company"}


def _date(values: list[str] | None) -> str | None:
    """The earliest valid date among FtM date values (which may be YYYY, YYYY-MM or YYYY-MM-DD)."""
    dates = []
    for value in values or []:
        text = value[:10]
        try:
            dates.append(parse_date(text))
        except DateGrammarError:
            continue
    return min(dates, key=lambda d: d.earliest).text if dates else None


def read(path: Path, config: dict, snapshot_date: str | None = None) -> Snapshot:
    """Parse an FtM entity or delta file; a delta's DEL operations remove entities from the state."""
    file = path.name
    if not snapshot_date:
        raise fail(file, None, None, "FtM files state no snapshot date: give it (--date YYYY-MM-DD)")
    check_size(path, config, default_limit=500_000_000)
    organisations: dict[str, dict] = {}
    sanctions: list[dict] = []
    removed: list[str] = []
    skipped = 0
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise fail(file, f"line {number}", None, f"not JSON: {exc.msg}") from None
            if not isinstance(record, dict):
                raise fail(file, f"line {number}", None, "not a JSON object")
            operation = record.get("op")
            entity = record.get("entity", record)
            if not isinstance(entity, dict) or "id" not in entity or "schema" not in entity:
                raise fail(file, f"line {number}", "id" if "id" not in entity else "schema", "missing")
            if operation == "DEL":
                removed.append(entity["id"])
            elif entity["schema"] in ORGANISATION_SCHEMATA:
                organisations[entity["id"]] = entity
            elif entity["schema"] == "Sanction":
                sanctions.append(entity)
            else:
                skipped += 1
    entities: dict[str, Entity] = {}
    for key, entity in organisations.items():
        properties = entity.get("properties", {})
        # The caption is FtM's display name; the other names (often translations) become aliases.
        caption = clean_name(entity.get("caption")) or clean_name((properties.get("name") or [key])[0])
        names = [caption] + [clean_name(n) for n in properties.get("name", []) if clean_name(n) != caption]
        identifiers = [("opensanctions_id", key)] + [("wikidata_qid", q) for q in properties.get("wikidataId", [])]
        entities[key] = Entity(
            key=key,
            name=names[0],
            regime=config.get("regime_default", "OpenSanctions"),
            identifiers=identifiers,
            aliases=[(clean_name(a), "alias") for a in properties.get("alias", []) + names[1:]],
            raw_excerpt=f"{entity['schema']} {key}: {names[0]}",
        )
    for sanction in sanctions:
        properties = sanction.get("properties", {})
        for target in properties.get("entity", []):
            if target in entities:
                entity = entities[target]
                entity.listed_on = _date(properties.get("listingDate")) or _date(properties.get("startDate"))
                entity.ended_on = _date(properties.get("endDate"))
                programme = " ".join(properties.get("program", []) or properties.get("authority", []))
                entity.regime = clean_name(programme) or entity.regime
    snapshot = Snapshot(
        slug="opensanctions_ftm",
        snapshot_date=snapshot_date,
        generated_at=None,
        entities=entities,
        individuals_skipped=skipped,
        file_name=file,
        sha256=sha256_of(path),
    )
    snapshot.removed_keys = removed
    snapshot.is_delta = bool(removed) or bool(config.get("delta", False))
    return snapshot


IMPORTER = Importer(slug="opensanctions_ftm", read=read, needs_date=True)
