"""Replay dated snapshots of official lists into events: listings, amendments, and delistings dated A/B."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from loaders.base import LoaderError, ValidationFailed
from loaders.importers import IMPORTERS
from loaders.importers.base import Entity, Snapshot, script_of
from model.dates import parse_date

ORIGIN_FILE = "origin.json"


@dataclass
class ReplayReport:
    """What replaying one source produced."""

    slug: str
    snapshots: list[str] = field(default_factory=list)
    entities: int = 0
    individuals_skipped: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)  # entities that became unreviewed groups
    curated_matches: int = 0

    def lines(self) -> list[str]:
        """Plain-text summary lines."""
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(self.counts.items())) or "no events"
        out = [
            f"{self.slug}: {len(self.snapshots)} snapshot(s) {', '.join(self.snapshots)}; "
            f"{self.entities} entities; {counts}; {self.curated_matches} matched curated events; "
            f"{self.individuals_skipped} records not imported (individuals or other programmes)"
        ]
        if self.unmatched:
            out.append(
                f"  {len(self.unmatched)} entities matched no reviewed group (new unreviewed groups), e.g. "
                + "; ".join(self.unmatched[:5])
            )
        return out


@dataclass
class ReplayResult:
    """Rows to add to the curated tables, and one report per source."""

    tables: dict[str, pd.DataFrame]
    reports: list[ReplayReport]


def source_configs(data_dir: Path) -> dict[str, dict]:
    """Read data/sources/<slug>.yml for every importable source."""
    configs = {}
    for path in sorted((data_dir / "sources").glob("*.yml")):
        try:
            config = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ValidationFailed(
                [LoaderError(f"sources/{path.name}", None, None, f"not valid YAML: {exc}")]
            ) from None
        if path.stem not in IMPORTERS:
            raise ValidationFailed(
                [LoaderError(f"sources/{path.name}", None, None, f"no importer named {path.stem!r}")]
            )
        configs[path.stem] = config
    return configs


def snapshot_dirs(data_dir: Path, slug: str) -> list[Path]:
    """The stored snapshots of a source, oldest first."""
    root = data_dir / "raw" / slug
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.exists() else []


def read_stored_snapshot(directory: Path, slug: str, config: dict) -> Snapshot:
    """Read one stored snapshot, checking its file against the sha256 in origin.json."""
    where = f"raw/{slug}/{directory.name}"
    try:
        origin = json.loads((directory / ORIGIN_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError) as exc:
        raise ValidationFailed(
            [LoaderError(f"{where}/{ORIGIN_FILE}", None, None, f"missing or not JSON: {exc}")]
        ) from None
    path = directory / origin["file"]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != origin["sha256"]:
        raise ValidationFailed(
            [
                LoaderError(
                    f"{where}/{origin['file']}",
                    None,
                    "sha256",
                    "file differs from origin.json: snapshots are kept unchanged",
                )
            ]
        )
    snapshot = IMPORTERS[slug].read(path, config, directory.name)
    snapshot.snapshot_date = directory.name
    return snapshot


def _event_id(slug: str, key: str, kind: str, when: str) -> str:
    return "e-" + hashlib.sha1(f"{slug}|{key}|{kind}|{when}".encode()).hexdigest()[:8]


def _unreviewed_group_id(slug: str, key: str) -> str:
    """Opaque and stable: derived from the source and its own record id, never from a name."""
    return "g-" + hashlib.sha1(f"{slug}|{key}".encode()).hexdigest()[:8]


class _Replayer:
    """Turns one source's snapshots into rows, linking to curated groups and events where they exist."""

    def __init__(self, slug: str, config: dict, curated: dict[str, pd.DataFrame]) -> None:
        self.slug, self.config = slug, config
        identifiers = curated["group_identifiers"]
        self.crosswalk = {(s, v): g for s, v, g in identifiers[["scheme", "value", "group_id"]].itertuples(index=False)}
        groups = curated["groups"]
        self.crosswalk.update(
            {("wikidata_qid", q): g for g, q in groups[["group_id", "wikidata_qid"]].itertuples(index=False) if q}
        )
        self.curated_events = curated["events"]
        self.curated_names = set(map(tuple, curated["group_names"][["group_id", "name", "name_type"]].to_numpy()))
        self.known_authorities = set(curated["authorities"]["authority_id"])
        self.known_sources = set(curated["sources"]["source_id"])
        self.rows: dict[str, list[dict]] = {
            name: []
            for name in (
                "groups",
                "group_names",
                "group_identifiers",
                "authorities",
                "sources",
                "events",
                "event_sources",
                "snapshots",
            )
        }
        self.event_ids: set[str] = set()
        self.link_keys: set[tuple[str, str]] = set()
        self.groups_of: dict[str, str] = {}
        self.report = ReplayReport(slug)

    def group_for(self, entity: Entity) -> str:
        if entity.key in self.groups_of:
            return self.groups_of[entity.key]
        group_id = next((self.crosswalk[i] for i in entity.identifiers if i in self.crosswalk), None)
        if group_id is None:
            group_id = _unreviewed_group_id(self.slug, entity.key)
            self.rows["groups"].append(
                {
                    "group_id": group_id,
                    "name": entity.name,
                    "wikidata_qid": "",
                    "description": f"Imported from {self.config['title']}; not yet reviewed.",
                    "is_reviewed": "false",
                }
            )
            for scheme, value in entity.identifiers:
                self.rows["group_identifiers"].append(
                    {"scheme": scheme, "value": value, "group_id": group_id, "source_id": ""}
                )
                self.crosswalk[(scheme, value)] = group_id
            self.report.unmatched.append(f"{entity.name} ({', '.join(v for _, v in entity.identifiers)})")
        self.groups_of[entity.key] = group_id
        names = list(entity.aliases)
        if entity.original_script:
            names.append((entity.original_script, "original_script"))
        for name, name_type in names:
            key = (group_id, name, name_type)
            if key not in self.curated_names:
                self.curated_names.add(key)
                script = script_of(name)
                self.rows["group_names"].append(
                    {
                        "group_id": group_id,
                        "name": name,
                        "name_type": name_type,
                        "language": "",
                        "script": script,
                        "valid_from": "",
                        "valid_to": "",
                        "source_id": "",
                    }
                )
        return group_id

    def regime(self, name: str) -> dict:
        regimes = self.config.get("regimes", {})
        settings = dict(regimes.get(name) or regimes.get("*") or {})
        authority_id = (
            settings.get("authority_id") or f"{self.config['designator'].lower()}-{name.lower().replace(' ', '-')}"
        )
        if authority_id not in self.known_authorities:
            self.known_authorities.add(authority_id)
            self.rows["authorities"].append(
                {
                    "authority_id": authority_id,
                    "designator_code": self.config["designator"],
                    "name": settings.get("authority_name", f"Sanctions committee ({name})"),
                    "name_original": "",
                    "kind": settings.get("authority_kind", "intergovernmental_committee"),
                }
            )
        return {"category": settings.get("category", "sanctions_only"), "authority_id": authority_id}

    def add_source(self, snapshot: Snapshot, origin: dict) -> str:
        source_id = f"{self.slug.replace('_', '-')}-{snapshot.snapshot_date}"
        if source_id not in self.known_sources:
            self.known_sources.add(source_id)
            generated = f", generated {snapshot.generated_at}" if snapshot.generated_at else ""
            self.rows["sources"].append(
                {
                    "source_id": source_id,
                    "url": origin.get("url") or self.config["url"],
                    "title": f"{self.config['title']} (snapshot {snapshot.snapshot_date}{generated})",
                    "publisher": self.config["publisher"],
                    "publication_date": snapshot.snapshot_date,
                    "access_date": origin.get("retrieved", snapshot.snapshot_date),
                    "archive_url": origin.get("copy_url", ""),
                }
            )
            self.rows["snapshots"].append(
                {
                    "source_id": source_id,
                    "slug": self.slug,
                    "snapshot_date": snapshot.snapshot_date,
                    "file_name": snapshot.file_name,
                    "sha256": snapshot.sha256,
                    "generated_at": snapshot.generated_at or "",
                }
            )
        return source_id

    def _curated_match(self, group_id: str, kind: str, when: str) -> str | None:
        """A curated event of the same designator, group and type whose date falls inside `when` wins."""
        window = parse_date(when)
        events = self.curated_events
        candidates = events[
            (events["designator_code"] == self.config["designator"])
            & (events["group_id"] == group_id)
            & (events["event_type"] == kind)
        ]
        for event_id, decision, publication, in_force in candidates[
            ["event_id", "decision_date", "publication_date", "entry_into_force_date"]
        ].itertuples(index=False):
            act = parse_date(decision or publication or in_force)
            if act.earliest >= window.earliest and act.latest <= window.latest:
                return event_id
        return None

    def add_event(self, entity: Entity, kind: str, when: str, source_ids: list[str], quote: str, note: str) -> None:
        group_id = self.group_for(entity)
        curated_id = self._curated_match(group_id, kind, when)
        if curated_id:
            self.report.curated_matches += 1
            for source_id in source_ids:
                self.link(curated_id, source_id, quote, is_checked=parse_date(when).is_exact)
            return
        event_id = _event_id(self.slug, entity.key, kind, when)
        if event_id in self.event_ids:
            return
        self.event_ids.add(event_id)
        regime = self.regime(entity.regime)
        self.report.counts[kind] = self.report.counts.get(kind, 0) + 1
        self.rows["events"].append(
            {
                "event_id": event_id,
                "designator_code": self.config["designator"],
                "group_id": group_id,
                "name_as_listed": entity.name,
                "event_type": kind,
                "category": regime["category"],
                "formality": "formal",
                "decision_date": when,
                "publication_date": "",
                "entry_into_force_date": "",
                "authority_id": regime["authority_id"],
                "legal_reference": ", ".join(v for _, v in entity.identifiers),
                "scope": f"{self.config.get('regime_label', 'regime')}: {entity.regime}",
                "notes": note,
                "origin": self.slug,
            }
        )
        for source_id in source_ids:
            self.link(event_id, source_id, quote, is_checked=True)

    def link(self, event_id: str, source_id: str, quote: str, is_checked: bool) -> None:
        if (event_id, source_id) not in self.link_keys:
            self.link_keys.add((event_id, source_id))
            self.rows["event_sources"].append(
                {
                    "event_id": event_id,
                    "source_id": source_id,
                    "quote": quote,
                    "is_date_checked": "true" if is_checked else "false",
                }
            )

    def replay(self, snapshots: list[tuple[Snapshot, dict]]) -> None:
        previous: Snapshot | None = None
        previous_source = ""
        removed: set[str] = set()
        seen_amendments: set[tuple[str, str]] = set()
        earliest = self.config.get("earliest_possible_listing")
        for snapshot, origin in snapshots:
            if snapshot.is_delta and previous is not None:
                # A delta lists changes: fold it into the previous state before comparing.
                state = {k: v for k, v in previous.entities.items() if k not in snapshot.removed_keys}
                state.update(snapshot.entities)
                snapshot.entities = state
            source_id = self.add_source(snapshot, origin)
            self.report.snapshots.append(snapshot.snapshot_date)
            self.report.individuals_skipped = max(self.report.individuals_skipped, snapshot.individuals_skipped)
            for key, entity in snapshot.entities.items():
                is_new = previous is None or key not in previous.entities
                if is_new and (key in removed or (previous is not None and not entity.listed_on)):
                    window = f"{previous.snapshot_date}/{snapshot.snapshot_date}"
                    self.add_event(
                        entity,
                        "listing",
                        window,
                        [previous_source, source_id],
                        entity.raw_excerpt,
                        f"Absent from the snapshot of {previous.snapshot_date}, present in that of "
                        f"{snapshot.snapshot_date}: listed some day in between.",
                    )
                elif is_new and entity.listed_on:
                    self.add_event(
                        entity,
                        "listing",
                        entity.listed_on,
                        [source_id],
                        entity.raw_excerpt,
                        f"Listed-on date as stated by the list ({self.config['title']}).",
                    )
                elif is_new and entity.listed_not_before:
                    start, end = entity.listed_not_before, snapshot.snapshot_date
                    self.add_event(
                        entity,
                        "listing",
                        start if start == end else f"{start}/{end}",
                        [source_id],
                        entity.raw_excerpt,
                        f"The file dates the entity's first listing on the SDN list ({start}), not its designation "
                        f"under {entity.regime}: that came on or after it, and by this snapshot.",
                    )
                elif is_new and earliest:
                    window = f"{earliest}/{snapshot.snapshot_date}"
                    self.add_event(
                        entity,
                        "listing",
                        window,
                        [source_id],
                        entity.raw_excerpt,
                        f"The file states no listing date: listed between {earliest} "
                        f"({self.config.get('earliest_possible_reason', 'earliest possible date')}) "
                        f"and this snapshot.",
                    )
                for day in entity.amended_on:
                    if day != entity.listed_on and (key, day) not in seen_amendments:
                        seen_amendments.add((key, day))
                        self.add_event(
                            entity,
                            "amendment",
                            day,
                            [source_id],
                            f"<LAST_DAY_UPDATED> ... <VALUE>{day}</VALUE>",
                            "The list records an amendment of this entry on this date; it does not say what changed.",
                        )
                if entity.ended_on:
                    self.add_event(
                        entity,
                        "delisting",
                        entity.ended_on,
                        [source_id],
                        entity.raw_excerpt,
                        "End date as stated by the file.",
                    )
            self.report.entities = max(self.report.entities, len(snapshot.entities))
            if previous is not None:
                regimes_now = {e.regime for e in snapshot.entities.values()}
                for key in sorted(set(previous.entities) - set(snapshot.entities)):
                    entity = previous.entities[key]
                    window = f"{previous.snapshot_date}/{snapshot.snapshot_date}"
                    if entity.regime not in regimes_now:
                        self.add_event(
                            entity,
                            "expiry",
                            window,
                            [previous_source, source_id],
                            "",
                            f"The whole {entity.regime} regime is absent from the snapshot of "
                            f"{snapshot.snapshot_date}: the regime ended; this is not an individual delisting.",
                        )
                    else:
                        self.add_event(
                            entity,
                            "delisting",
                            window,
                            [previous_source, source_id],
                            "",
                            f"Present in the snapshot of {previous.snapshot_date}, absent from that of "
                            f"{snapshot.snapshot_date}: removed some day in between.",
                        )
                    removed.add(key)
            previous, previous_source = snapshot, source_id


def replay_snapshots(
    data_dir: Path, curated: dict[str, pd.DataFrame], extra: dict[str, list[tuple[Snapshot, dict]]] | None = None
) -> ReplayResult:
    """Replay every stored snapshot of every source in date order (plus `extra` not yet stored)."""
    tables: dict[str, list[dict]] = {}
    reports = []
    imported_ids: dict[tuple[str, str], str] = {}
    for slug, config in source_configs(data_dir).items():
        snapshots = []
        for directory in snapshot_dirs(data_dir, slug):
            origin = json.loads((directory / ORIGIN_FILE).read_text(encoding="utf-8"))
            snapshots.append((read_stored_snapshot(directory, slug, config), origin))
        snapshots += (extra or {}).get(slug, [])
        snapshots.sort(key=lambda pair: pair[0].snapshot_date)
        replayer = _Replayer(slug, config, curated)
        # An entity another source already imported (same OFAC or UN id) joins that group, not a new one.
        replayer.crosswalk = {**imported_ids, **replayer.crosswalk}
        replayer.replay(snapshots)
        expected = config.get("expected_entities", {})
        for snapshot, _ in snapshots:
            if expected and not expected.get("min", 0) <= len(snapshot.entities) <= expected.get("max", 10**9):
                raise ValidationFailed(
                    [
                        LoaderError(
                            f"raw/{slug}/{snapshot.snapshot_date}/{snapshot.file_name}",
                            None,
                            None,
                            f"{len(snapshot.entities)} entities, outside the expected "
                            f"{expected.get('min')}-{expected.get('max')} (sources/{slug}.yml)",
                        )
                    ]
                )
        for name, rows in replayer.rows.items():
            tables.setdefault(name, []).extend(rows)
        imported_ids.update({(r["scheme"], r["value"]): r["group_id"] for r in replayer.rows["group_identifiers"]})
        reports.append(replayer.report)
    frames = {name: pd.DataFrame(rows, dtype="str") for name, rows in tables.items()}
    # Two sources may report the same alias of one group: keep it once.
    if "group_names" in frames and not frames["group_names"].empty:
        frames["group_names"] = frames["group_names"].drop_duplicates(["group_id", "name", "name_type"])
    return ReplayResult(frames, reports)
