"""Export a filtered view of the database as a citable data package."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import case, func, literal_column, or_
from sqlmodel import col

from loaders.build import SCHEMA_VERSION, built_version
from loaders.safe_csv import (
    CSV_FORMULA,
    CSV_LAST_QUOTED,
    QUOTE_TRIGGERS,
    write_csv_lines,
    write_flagged_rows,
    write_safe_csv,
)
from model import queries
from model.db import make_engine
from model.tables import Event

DESCRIPTIONS = {
    "event_id": "Stable id of the event.",
    "designator_code": "ISO 3166-1 alpha-2 code of the designating state, or UN / EU.",
    "designator_name": "English name of the designator.",
    "group_id": "Stable opaque id of the group.",
    "group_name": "Canonical English name of the group.",
    "name_as_listed": "The name the act itself used.",
    "event_type": "listing, amendment, renewal, suspension, annulment, expiry or delisting.",
    "category": "terrorist, extremist, banned_other or sanctions_only.",
    "formality": "formal act, or reported (a ban reported without a formal act).",
    "decision_date": "Date of decision, at the precision of the source (YYYY, YYYY-MM, YYYY-MM-DD or an A/B window).",
    "publication_date": "Date of publication, same grammar.",
    "entry_into_force_date": "Date of entry into force, same grammar.",
    "authority": "Authority that issued the act.",
    "authority_kind": "Kind of authority.",
    "legal_reference": "Case number, statutory instrument, Federal Register citation or UN reference.",
    "scope": "Scope of the act, e.g. military wing only.",
    "source_urls": "Space-separated source addresses.",
    "notes": "Caveats and disagreements between sources.",
    "aliases": "Other names of the group, '; '-joined.",
    "un_reference": "UN Security Council reference numbers, '; '-joined.",
}


def _schema(frame_columns: list[str]) -> dict:
    return {"fields": [{"name": c, "type": "string", "description": DESCRIPTIONS.get(c, "")} for c in frame_columns]}


def export_package(
    out_dir: Path, url: str | None = None, filters: queries.EventFilter = queries.EventFilter()
) -> dict[str, int]:
    """Write events, groups, designators, sources and event_sources CSVs, datapackage.json and a README."""
    out_dir.mkdir(parents=True, exist_ok=True)
    version = built_version(url)
    engine = make_engine(url, read_only=True)
    try:
        with (out_dir / "events.csv").open("wb") as handle:
            event_count = write_events_csv(engine, filters, handle)
        links = queries.event_sources(engine, filters)
        who = queries.status_events(engine, filters)[["group_id", "designator_code"]]
        tables = {
            "groups": queries.groups_v1(engine, sorted(set(who["group_id"]))),
            "designators": queries.designators(engine, sorted(set(who["designator_code"]))),
            "sources": queries.sources(engine, sorted(set(links["source_id"]))),
            "event_sources": links[["event_id", "source_id", "quote", "is_date_checked"]],
        }
    finally:
        engine.dispose()
    for name, frame in tables.items():
        write_safe_csv(frame, out_dir / f"{name}.csv")
    columns = {"events": queries.EVENT_COLUMNS_V1, **{name: list(frame.columns) for name, frame in tables.items()}}
    counts = {"events": event_count, **{name: len(frame) for name, frame in tables.items()}}
    descriptor = {
        "profile": "tabular-data-package",
        "name": "designations-export",
        "version": f"{SCHEMA_VERSION}.0.0",
        "x-data-version": version,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "encoding": "utf-8",
                "schema": _schema(columns[name]),
            }
            for name in columns
        ],
    }
    (out_dir / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    (out_dir / "README.md").write_text(_readme(version, filters, counts), encoding="utf-8")
    return counts


def write_events_csv(engine, filters: queries.EventFilter, handle: BinaryIO) -> int:
    """Stream the filtered events to `handle` as formula-safe v1 CSV in UTF-8; return how many were written."""
    header = queries.EVENT_COLUMNS_V1
    if engine.dialect.name == "sqlite":
        return write_csv_lines(handle, header, _sqlite_csv_lines(engine, filters))
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
    try:
        return write_flagged_rows(text, header, queries.events_v1_rows(engine, filters))
    finally:
        text.detach()


def _sqlite_csv_lines(engine, filters: queries.EventFilter, batch: int = 10_000):
    """Yield batches of (events.csv line, None), or (None, its cells as JSON) for a row with a formula-like cell.

    SQLite writes each line itself, guided by the csv_care bits the build stored: one byte string per
    row costs far less to hand over than 18 text objects. Rows come in stored order, which the build
    makes the act-date order (tests/test_build.py holds it so).
    """
    v1 = queries.v1_statement()
    cells = list(v1.selected_columns)
    care = col(Event.csv_care)

    def quoted(cell):
        return func.format('"%s"', func.replace(cell, '"', '""'))

    def quoted_if_needed(cell):
        return case((or_(*(func.instr(cell, c) > 0 for c in QUOTE_TRIGGERS)), quoted(cell)), else_=cell)

    def line(row_cells, last_quoted: bool = False):
        # The last cell's quotes go into the format itself: one format call per row, not two.
        last = '"%s"' if last_quoted else "%s"
        last_cell = func.replace(row_cells[-1], '"', '""') if last_quoted else row_cells[-1]
        return func.format(",".join(["%s"] * (len(row_cells) - 1) + [last]), *row_cells[:-1], last_cell)

    written = case(
        (care == 0, line(cells)),
        (care == CSV_LAST_QUOTED, line(cells, last_quoted=True)),
        (care.op("&")(CSV_FORMULA) == 0, line([quoted_if_needed(cell) for cell in cells])),
        else_=None,
    )
    formula_row = case((care.op("&")(CSV_FORMULA) != 0, func.json_array(*cells)), else_=None)
    statement = filters.apply(v1.with_only_columns(written, formula_row)).order_by(literal_column("events.rowid"))
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        text_factory = driver.text_factory
        driver.text_factory = bytes
        try:
            result = connection.execute(statement)
            while rows := result.cursor.fetchmany(batch):
                yield rows
            result.close()
        finally:
            driver.text_factory = text_factory


def _readme(version: str | None, filters: queries.EventFilter, counts: dict[str, int]) -> str:
    applied = [
        f"designators: {', '.join(filters.designators)}" if filters.designators else "",
        f"groups: {', '.join(filters.groups)}" if filters.groups else "",
        f"from: {filters.date_from}" if filters.date_from else "",
        f"to: {filters.date_to}" if filters.date_to else "",
    ]
    applied = [a for a in applied if a] or ["none (the whole database)"]
    lines = [
        "# Designations of terrorist and extremist groups: data export",
        "",
        f"Data version: {version}  ",
        f"events.csv schema: v{SCHEMA_VERSION}  ",
        f"Exported on: {date.today().isoformat()}  ",
        f"Filters: {'; '.join(applied)}",
        "",
        "| file | rows |",
        "|---|---:|",
        *[f"| {name}.csv | {count} |" for name, count in counts.items()],
        "",
        "Dates are given at the precision of their source: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or an",
        "interval `A/B` meaning some day in that window. A date range filter keeps events whose act",
        "date (decision, else publication, else entry into force) may fall inside the range.",
        "",
        "Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR,",
        "and not a number) are prefixed with an apostrophe.",
        "",
        "## How to cite",
        "",
        f"Designations of terrorist and extremist groups (data version {version}). Data licensed",
        "CC BY 4.0. Cite the primary sources in sources.csv for each event you rely on.",
        "",
    ]
    return "\n".join(lines)


def export_zip_bytes(url: str | None = None) -> bytes:
    """The whole database as a zipped data package (the same files `export` writes)."""
    import io
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory() as folder:
        export_package(Path(folder), url)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).iterdir()):
                archive.write(path, f"designations/{path.name}")
        return buffer.getvalue()
