"""The importer interface: a file in, a Snapshot of entities out, or a LoaderError naming file, element, field."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loaders.base import LoaderError
from loaders.base import ValidationFailed as ImportFailed  # one failure type for all input problems

__all__ = [
    "Entity",
    "Importer",
    "ImportFailed",
    "Snapshot",
    "check_size",
    "clean_name",
    "fail",
    "parse_xml",
    "sha256_of",
    "script_of",
]


@dataclass
class Entity:
    """One listed entity as a source file states it."""

    key: str  # stable within the source (UN DATAID, OFAC ent_num)
    name: str
    regime: str
    listed_on: str | None = None
    amended_on: list[str] = field(default_factory=list)
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (scheme, value)
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (name, name_type)
    original_script: str | None = None
    ended_on: str | None = None  # an end date the file itself states (FtM Sanction.endDate)
    listed_not_before: str | None = None  # a date the listing cannot precede (OFAC datePublished)
    raw_excerpt: str = ""  # a short verbatim extract of the record, for the event's quote


@dataclass
class Snapshot:
    """Everything one file says, with its provenance."""

    slug: str
    snapshot_date: str
    generated_at: str | None
    entities: dict[str, Entity]
    individuals_skipped: int = 0
    file_name: str = ""
    sha256: str = ""
    is_delta: bool = False  # a delta file lists changes only: absent entities are not delisted
    removed_keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Importer:
    """A source format: `read(path, config, snapshot_date)` returns a Snapshot or raises ImportFailed."""

    slug: str
    read: Callable[[Path, dict, str | None], Snapshot]
    needs_date: bool  # True when the file does not state its own date (the caller must give it)


def fail(file: str, element: str | None, field_name: str | None, message: str) -> ImportFailed:
    """An import error naming the file, the line or element, and the field."""
    return ImportFailed([LoaderError(file, None, field_name, f"{element}: {message}" if element else message)])


def check_size(path: Path, config: dict, default_limit: int = 50_000_000) -> None:
    """Refuse a file over the source's `max_bytes` before reading it."""
    limit = int(config.get("max_bytes", default_limit))
    if path.stat().st_size > limit:
        raise fail(path.name, None, None, f"file is {path.stat().st_size:,} bytes, over the {limit:,}-byte limit")


def parse_xml(path: Path, config: dict):
    """The root element of an XML file, parsed with defusedxml: DTDs, entity expansion and external entities refused."""
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as safe_xml
    from defusedxml import DefusedXmlException

    check_size(path, config)
    try:
        return safe_xml.parse(path, forbid_dtd=True).getroot()
    except DefusedXmlException as exc:
        raise fail(
            path.name, None, None, f"refused: {type(exc).__name__} (entity expansion or external entities)"
        ) from None
    except ParseError as exc:
        raise fail(path.name, f"line {exc.position[0]}", None, f"not well-formed XML: {exc}") from None


def clean_name(text: str | None) -> str:
    """Collapse whitespace and newlines (pretty-printed files) and normalise Unicode; keep case and quotes."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def sha256_of(path: Path) -> str:
    """The file's sha256, hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


_SCRIPTS = (
    ("Arab", re.compile("[\u0600-\u06ff]")),
    ("Cyrl", re.compile("[\u0400-\u04ff]")),
    ("Hani", re.compile("[\u4e00-\u9fff]")),
    ("Hang", re.compile("[\uac00-\ud7af]")),
)


def script_of(text: str) -> str:
    """ISO 15924 code of the first non-Latin script found in `text`, or '' for Latin or unknown."""
    for code, pattern in _SCRIPTS:
        if pattern.search(text):
            return code
    return ""
