"""UN Security Council consolidated list XML: entities on every regime, listed-on and amendment dates, aliases."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from loaders.importers.base import Entity, Importer, Snapshot, clean_name, fail, parse_xml, sha256_of

# LISTED_ON and LAST_DAY_UPDATED sometimes carry a timezone suffix: 2015-03-27-04:00.
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[+-]\d{2}:\d{2}|Z)?$")
_QUALITY = {"a.k.a.": "alias", "f.k.a.": "former_name", "good": "alias", "low": "alias"}


def _date(value: str | None, file: str, element: str, field_name: str) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        raise fail(file, element, field_name, f"{text!r} is not a date (YYYY-MM-DD, optionally with a timezone)")
    return match.group(1)


def _entity(node: Element, file: str, index: int) -> Entity:
    dataid = (node.findtext("DATAID") or "").strip()
    element = f"ENTITY[{index}] (DATAID {dataid or '?'})"
    if not dataid:
        raise fail(file, element, "DATAID", "missing")
    name = clean_name(node.findtext("FIRST_NAME"))
    if not name:
        raise fail(file, element, "FIRST_NAME", "missing")
    reference = clean_name(node.findtext("REFERENCE_NUMBER"))
    listed_on = _date(node.findtext("LISTED_ON"), file, element, "LISTED_ON")
    amended = [_date(v.text, file, element, "LAST_DAY_UPDATED") for v in node.findall("LAST_DAY_UPDATED/VALUE")]
    aliases = []
    for alias in node.findall("ENTITY_ALIAS"):
        alias_name = clean_name(alias.findtext("ALIAS_NAME"))
        if alias_name:
            aliases.append((alias_name, _QUALITY.get(clean_name(alias.findtext("QUALITY")).lower(), "alias")))
    regime = clean_name(node.findtext("UN_LIST_TYPE")) or "unknown"
    excerpt = (
        f"<REFERENCE_NUMBER>{reference}</REFERENCE_NUMBER> <LISTED_ON>{node.findtext('LISTED_ON') or ''}</LISTED_ON>"
    )
    return Entity(
        key=dataid,
        name=name,
        regime=regime,
        listed_on=listed_on,
        amended_on=[d for d in amended if d],
        identifiers=[("un_reference", reference)] if reference else [],
        aliases=aliases,
        original_script=clean_name(node.findtext("NAME_ORIGINAL_SCRIPT")) or None,
        raw_excerpt=excerpt,
    )


def read(path: Path, config: dict, snapshot_date: str | None = None) -> Snapshot:
    """Parse one consolidated-list file; raise ImportFailed naming file, element and field."""
    file = path.name
    root = parse_xml(path, config)
    if root.tag != "CONSOLIDATED_LIST":
        raise fail(file, root.tag, None, "wrong root element: expected CONSOLIDATED_LIST")
    generated = root.get("dateGenerated")
    if not generated:
        raise fail(file, "CONSOLIDATED_LIST", "dateGenerated", "missing")
    entities = {}
    for index, node in enumerate(root.iter("ENTITY"), start=1):
        entity = _entity(node, file, index)
        entities[entity.key] = entity
    return Snapshot(
        slug="un_sc_consolidated",
        snapshot_date=generated[:10],
        generated_at=generated,
        entities=entities,
        individuals_skipped=sum(1 for _ in root.iter("INDIVIDUAL")),
        file_name=file,
        sha256=sha256_of(path),
    )


IMPORTER = Importer(slug="un_sc_consolidated", read=read, needs_date=False)
