"""US Treasury OFAC SDN list (sdn.csv): entities tagged with the configured programmes (e.g. FTO)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from loaders.importers.base import Entity, Importer, Snapshot, check_size, clean_name, fail, sha256_of

COLUMNS = [
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
]
_ALIAS = re.compile(r"\b([af])\.k\.a\. '([^']+)'")


def _null(value: str) -> str:
    """SDN files write null as '-0- ' (with a trailing space)."""
    value = value.strip()
    return "" if value == "-0-" else value


def read(path: Path, config: dict, snapshot_date: str | None = None) -> Snapshot:
    """Parse sdn.csv (no header, CRLF, a trailing 0x1A byte); keep entities in the configured programmes."""
    file = path.name
    if not snapshot_date:
        raise fail(file, None, None, "sdn.csv states no date: give the snapshot date (--date YYYY-MM-DD)")
    check_size(path, config)
    data = path.read_bytes().rstrip(b"\x1a\r\n")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # older SDN files are Latin-1
    programmes = set(config.get("programmes", ["FTO"]))
    entities: dict[str, Entity] = {}
    skipped = 0
    reader = csv.reader(io.StringIO(text, newline=""))
    for row in reader:
        line = reader.line_num
        if not row:
            continue
        if len(row) != len(COLUMNS):
            raise fail(
                file,
                f"line {line}",
                COLUMNS[min(len(row), len(COLUMNS) - 1)],
                f"row has {len(row)} fields, the SDN format has {len(COLUMNS)}",
            )
        record = dict(zip(COLUMNS, (_null(v) for v in row)))
        if not record["ent_num"].isdigit():
            raise fail(file, f"line {line}", "ent_num", f"{record['ent_num']!r} is not an entity number")
        tags = set(re.findall(r"[A-Z0-9][A-Z0-9\-]*", record["Program"]))
        if record["SDN_Type"] or not tags & programmes:
            skipped += 1  # individuals, vessels, aircraft and other programmes
            continue
        aliases = [
            (clean_name(name), "former_name" if kind == "f" else "alias")
            for kind, name in _ALIAS.findall(record["Remarks"])
        ]
        entities[record["ent_num"]] = Entity(
            key=record["ent_num"],
            name=clean_name(record["SDN_Name"]),
            regime=" ".join(sorted(tags & programmes)),
            identifiers=[("ofac_entity_number", record["ent_num"])],
            aliases=aliases,
            raw_excerpt=",".join(row[:4]).strip(),
        )
    return Snapshot(
        slug="us_ofac_sdn",
        snapshot_date=snapshot_date,
        generated_at=None,
        entities=entities,
        individuals_skipped=skipped,
        file_name=file,
        sha256=sha256_of(path),
    )


IMPORTER = Importer(slug="us_ofac_sdn", read=read, needs_date=True)
