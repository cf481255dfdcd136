"""Column-wise validation of the data package against datapackage.json, plus cross-table rules."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders.base import LoaderError, LoadReport, ValidationFailed
from loaders.csv_reader import RawTable, read_csv_strict
from loaders.designators import designator_frame
from model.dates import DateGrammarError, parse_date

# At most this many errors of one kind (file, field, message) are listed; the rest are counted.
MAX_ERRORS_PER_KIND = 20

# Resources checked as foreign-key targets but generated rather than read from a CSV.
GENERATED_RESOURCES = ("designators",)


@dataclass
class ValidatedPackage:
    """Every table of the data package as text columns, checked, plus the load report."""

    tables: dict[str, pd.DataFrame]
    report: LoadReport
    descriptor: dict = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)  # each row's first line, per table


def load_descriptor(data_dir: Path) -> dict:
    """Read datapackage.json; raise ValidationFailed if it is missing or not JSON."""
    path = data_dir / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationFailed([LoaderError("datapackage.json", None, None, f"not found in {data_dir}")]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationFailed([LoaderError("datapackage.json", None, None, f"not valid JSON: {exc}")]) from None


class _Collector:
    """Collects errors, keeping a bounded number per kind so a broken million-row file stays readable."""

    def __init__(self, max_per_kind: int | None = MAX_ERRORS_PER_KIND) -> None:
        self.errors: list[LoaderError] = []
        self.suppressed = 0
        self.max_per_kind = max_per_kind
        self._per_kind: Counter[tuple] = Counter()

    def add(self, error: LoaderError, kind: str | None = None) -> None:
        key = (error.file, error.field, kind or error.message)
        self._per_kind[key] += 1
        if self.max_per_kind is not None and self._per_kind[key] > self.max_per_kind:
            self.suppressed += 1
        else:
            self.errors.append(error)

    def extend(self, errors: list[LoaderError]) -> None:
        for error in errors:
            self.add(error)


def is_in(values: pd.Series, allowed) -> pd.Series:
    """Vectorised membership test (pandas' own isin on Arrow strings is ~10x slower at 1M rows)."""
    allowed_array = pa.array(
        list(allowed) if isinstance(allowed, set | frozenset | tuple | list) else allowed.array, type=pa.string()
    )
    mask = pc.is_in(pa.array(values.array, type=pa.string()), value_set=allowed_array)
    return pd.Series(np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool), index=values.index)


def _check_field(table: RawTable, spec: dict, out: _Collector) -> None:
    """Check one column against its field description: required, pattern, enum, type, dates."""
    name = spec["name"]
    values = table.frame[name]
    constraints = spec.get("constraints", {})
    present = values != ""

    def report(mask: pd.Series, message: str, kind: str | None = None) -> None:
        for index in values.index[mask]:
            out.add(
                LoaderError(
                    table.file, table.lines[index], name, message(values[index]) if callable(message) else message
                ),
                kind,
            )

    report(present & (values != values.str.strip()), "value has leading or trailing spaces")
    if constraints.get("required"):
        report(~present, "required value is empty")
    if "enum" in constraints:
        allowed = constraints["enum"]
        report(present & ~is_in(values, allowed), lambda v: f"{v!r} is not one of {', '.join(allowed)}", "enum")
    if spec.get("type") == "boolean":
        allowed = spec.get("trueValues", ["true"]) + spec.get("falseValues", ["false"])
        report(present & ~is_in(values, allowed), lambda v: f"{v!r} is not one of {', '.join(allowed)}", "boolean")
    if spec.get("format") == "edtf":
        _check_dates(table, name, values[present], out)
    elif "pattern" in constraints:
        pattern = constraints["pattern"]
        report(
            present & ~values.str.fullmatch(pattern), lambda v: f"{v!r} does not match the pattern {pattern}", "pattern"
        )
    if constraints.get("unique"):
        duplicated = present & values.duplicated(keep="first")
        first_line = {v: table.lines[i] for i, v in values[present].drop_duplicates().items()}
        report(duplicated, lambda v: f"{v!r} is already used on line {first_line[v]}", "unique")


def _check_dates(table: RawTable, name: str, values: pd.Series, out: _Collector) -> None:
    """Parse each distinct date once (dates repeat a lot), then report the rows holding bad ones."""
    problems: dict[str, str] = {}
    for text in values.unique():
        try:
            parse_date(text)
        except DateGrammarError as exc:
            problems[text] = str(exc)
    if problems:
        for index in values.index[is_in(values, set(problems))]:
            out.add(LoaderError(table.file, table.lines[index], name, problems[values[index]]), "date")


def _check_primary_key(table: RawTable, key: list[str], out: _Collector) -> None:
    frame = table.frame
    duplicated = frame.duplicated(subset=key, keep="first")
    if not duplicated.any():
        return
    first_lines = {}
    for index, row_key in zip(frame.index, map(tuple, frame[key].to_numpy())):
        first_lines.setdefault(row_key, table.lines[index])
    for index in frame.index[duplicated]:
        row_key = tuple(frame.loc[index, key])
        shown = ", ".join(f"{k}={v!r}" for k, v in zip(key, row_key))
        out.add(
            LoaderError(
                table.file,
                table.lines[index],
                key[0] if len(key) == 1 else "+".join(key),
                f"duplicate primary key ({shown}); first on line {first_lines[row_key]}",
            ),
            "primary key",
        )


def _check_foreign_key(table: RawTable, fk: dict, tables: dict[str, pd.DataFrame], out: _Collector) -> None:
    target = tables.get(fk["reference"]["resource"])
    if target is None:
        return
    for column, target_column in zip(fk["fields"], fk["reference"]["fields"]):
        values = table.frame[column]
        unknown = (values != "") & ~is_in(values, target[target_column])
        for index in values.index[unknown]:
            out.add(
                LoaderError(
                    table.file,
                    table.lines[index],
                    column,
                    f"{values[index]!r} is not a known {fk['reference']['resource']} {target_column}",
                ),
                "foreign key",
            )


def _check_event_rules(raw: dict[str, RawTable], out: _Collector) -> None:
    """Rules that need more than one column: every event has a date and a source; windows are ordered."""
    events = raw["events"]
    frame = events.frame
    undated = (
        (frame["decision_date"] == "") & (frame["publication_date"] == "") & (frame["entry_into_force_date"] == "")
    )
    for index in frame.index[undated]:
        out.add(
            LoaderError(
                events.file,
                events.lines[index],
                "decision_date",
                "event has no date: give decision_date, publication_date or entry_into_force_date",
            )
        )
    sourced = raw["event_sources"].frame["event_id"]
    for index in frame.index[~is_in(frame["event_id"], sourced)]:
        out.add(
            LoaderError(
                events.file,
                events.lines[index],
                "event_id",
                f"event {frame.at[index, 'event_id']!r} has no source in event_sources.csv (no source, no record)",
            )
        )
    coverage = raw["coverage"]
    groups = set(raw["groups"].frame["group_id"]) | {"*"}
    for index in coverage.frame.index[~is_in(coverage.frame["group_id"], groups)]:
        out.add(
            LoaderError(
                coverage.file,
                coverage.lines[index],
                "group_id",
                f"{coverage.frame.at[index, 'group_id']!r} is neither * nor a known group id",
            )
        )


def _warn_about_events(raw: dict[str, RawTable], warnings: _Collector) -> None:
    """Warning (not an error): an event whose dates no linked source's text confirmed."""
    events = raw["events"]
    frame = events.frame
    links = raw["event_sources"].frame
    checked = links.loc[links["is_date_checked"] == "true", "event_id"]
    for index in frame.index[~is_in(frame["event_id"], checked)]:
        warnings.add(
            LoaderError(
                events.file,
                events.lines[index],
                "event_id",
                "no linked source's text was checked for this event's dates",
            ),
            "unchecked dates",
        )


def _check_windows(table: RawTable, start: str, end: str, out: _Collector) -> None:
    """Report rows whose `end` date certainly falls before their `start` date."""
    frame = table.frame
    both = (frame[start] != "") & (frame[end] != "")
    for index in frame.index[both]:
        try:
            first, last = parse_date(frame.at[index, start]), parse_date(frame.at[index, end])
        except DateGrammarError:
            continue  # already reported by the field check
        if last.latest < first.earliest:
            out.add(LoaderError(table.file, table.lines[index], end, f"{last.text} is before {start} {first.text}"))


WINDOWS = {
    "bloc_members": ("joined_date", "left_date"),
    "group_names": ("valid_from", "valid_to"),
    "coverage": ("tracked_from", "tracked_to"),
}


def validate_package(data_dir: Path, max_warnings_per_kind: int | None = MAX_ERRORS_PER_KIND) -> ValidatedPackage:
    """Read and check every table of the package; raise ValidationFailed listing all errors.

    Warnings beyond `max_warnings_per_kind` of one kind are counted, not listed (None lists them all).
    """
    descriptor = load_descriptor(data_dir)
    out = _Collector()
    report = LoadReport()
    raw: dict[str, RawTable] = {}
    reader_errors: list[LoaderError] = []
    for resource in descriptor["resources"]:
        columns = [spec["name"] for spec in resource["schema"]["fields"]]
        table = read_csv_strict(data_dir / resource["path"], resource["name"], columns, reader_errors)
        raw[resource["name"]] = table
        report.rows_read[resource["name"]] = len(table.frame) + table.rows_rejected
        report.rows_rejected[resource["name"]] = table.rows_rejected
    out.extend(reader_errors)

    for resource in descriptor["resources"]:
        table = raw[resource["name"]]
        for spec in resource["schema"]["fields"]:
            _check_field(table, spec, out)
        _check_primary_key(table, resource["schema"]["primaryKey"], out)

    tables = {name: table.frame for name, table in raw.items()}
    tables["designators"] = designator_frame(tables["bodies"], tables["m49_regions"])
    for resource in descriptor["resources"]:
        for fk in resource["schema"].get("foreignKeys", []):
            _check_foreign_key(raw[resource["name"]], fk, tables, out)
    _check_event_rules(raw, out)
    for name, (start, end) in WINDOWS.items():
        _check_windows(raw[name], start, end, out)

    if out.errors:
        raise ValidationFailed(sorted(out.errors, key=_error_order), out.suppressed)
    warnings = _Collector(max_warnings_per_kind)
    _warn_about_events(raw, warnings)
    report.warnings = warnings.errors
    report.warnings_suppressed = warnings.suppressed
    return ValidatedPackage(tables, report, descriptor, {name: table.lines for name, table in raw.items()})


def _error_order(error: LoaderError) -> tuple:
    return (error.file, error.line or 0, error.field or "")


def data_files(data_dir: Path) -> list[Path]:
    """Return the files the database is a function of: datapackage.json and its CSVs, sorted."""
    descriptor = load_descriptor(data_dir)
    paths = [data_dir / "datapackage.json"] + [data_dir / r["path"] for r in descriptor["resources"]]
    paths += sorted((data_dir / "sources").glob("*.yml")) + sorted(
        p for p in (data_dir / "raw").rglob("*") if p.is_file()
    )
    return sorted(paths)
