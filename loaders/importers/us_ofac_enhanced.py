"""US Treasury OFAC enhanced XML (sanctionsData): entities in the configured programmes, with legal authorities.

`datePublished` is the day the entity was first put on the SDN list, not the day of a given programme
(the IRGC was listed in 2007 under E.O. 13224 and designated an FTO in 2019), so it bounds the
programme's designation from below and is never reported as that designation's date.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from loaders.importers.base import Entity, Importer, Snapshot, clean_name, fail, parse_xml, sha256_of

NAMESPACE = "{https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML}"
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T[\d:.]+)?$")
_ALIAS_TYPES = {"A.K.A.": "alias", "F.K.A.": "former_name", "N.K.A.": "alias"}


def _q(path: str) -> str:
    """An ElementTree path with every step in the enhanced-XML namespace."""
    return "/".join(f"{NAMESPACE}{step}" for step in path.split("/"))


def _date(value: str | None, file: str, element: str, field_name: str) -> str:
    match = _DATE.match((value or "").strip())
    if not match:
        raise fail(file, element, field_name, f"{value!r} is not a date (YYYY-MM-DD)")
    return match.group(1)


def _entity(node: Element, file: str, programmes: set[str]) -> Entity | None:
    """The entity if it is an organisation in one of `programmes`, else None (counted by the caller)."""
    entity_id = node.get("id") or ""
    element = f"entity[@id={entity_id or '?'}]"
    if not entity_id.isdigit():
        raise fail(file, element, "id", f"{entity_id!r} is not an entity number")
    kind = clean_name(node.findtext(_q("generalInfo/entityType")))
    tags = {clean_name(p.text) for p in node.findall(_q("sanctionsPrograms/sanctionsProgram"))}
    if kind != "Entity" or not tags & programmes:
        return None
    published = [
        _date(item.get("datePublished"), file, element, "sanctionsList@datePublished")
        for item in node.findall(_q("sanctionsLists/sanctionsList"))
        if clean_name(item.text) == "SDN List"
    ]
    if not published:
        raise fail(file, element, "sanctionsList", "no SDN List entry with a datePublished")
    primary, aliases = None, []
    for name in node.findall(_q("names/name")):
        full = clean_name(name.findtext(_q("translations/translation/formattedFullName")))
        if not full:
            continue
        if name.findtext(_q("isPrimary")) == "true":
            primary = full
        else:
            aliases.append((full, _ALIAS_TYPES.get(clean_name(name.findtext(_q("aliasType"))), "alias")))
    if not primary:
        raise fail(file, element, "names/name", "no primary name")
    authorities = sorted(clean_name(a.text) for a in node.findall(_q("legalAuthorities/legalAuthority")))
    return Entity(
        key=entity_id,
        name=primary,
        regime=" ".join(sorted(tags & programmes)),
        listed_not_before=min(published),
        identifiers=[("ofac_entity_number", entity_id)],
        aliases=aliases,
        raw_excerpt=f'<entity id="{entity_id}"> <sanctionsList datePublished="{min(published)}">SDN List'
        f"</sanctionsList> programmes {', '.join(sorted(tags))}; legal authorities {', '.join(authorities) or 'none'}",
    )


def read(path: Path, config: dict, snapshot_date: str | None = None) -> Snapshot:
    """Parse one enhanced XML file; its publicationInfo/dataAsOf is the snapshot date."""
    file = path.name
    root = parse_xml(path, config)
    if root.tag != f"{NAMESPACE}sanctionsData":
        raise fail(file, root.tag, None, "wrong root element: expected sanctionsData (OFAC enhanced XML)")
    as_of = root.findtext(_q("publicationInfo/dataAsOf"))
    date_of_file = _date(as_of, file, "publicationInfo", "dataAsOf")
    programmes = set(config.get("programmes", ["FTO"]))
    entities: dict[str, Entity] = {}
    skipped = 0
    for node in root.iter(f"{NAMESPACE}entity"):
        entity = _entity(node, file, programmes)
        if entity is None:
            skipped += 1  # individuals, vessels, aircraft and entities of other programmes
            continue
        entities[entity.key] = entity
    return Snapshot(
        slug=config.get("slug", "us_ofac_enhanced"),
        snapshot_date=snapshot_date or date_of_file,
        generated_at=as_of,
        entities=entities,
        individuals_skipped=skipped,
        file_name=file,
        sha256=sha256_of(path),
    )


IMPORTER = Importer(slug="us_ofac_enhanced", read=read, needs_date=False)
