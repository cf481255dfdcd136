"""CSV writing that a spreadsheet cannot turn into a formula, while keeping the data faithful."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, TextIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from model.queries import FORMULA_STARTS

# Cells starting with these are run as formulas by spreadsheet programs (the export's SQL and the build's
# csv_care flag them too).
_FORMULA_START = tuple(FORMULA_STARTS)
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


def neutralise_cell(value: object) -> object:
    """Prefix a text cell with an apostrophe when a spreadsheet would execute it; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def _neutralise_column(values: pd.Series) -> pd.Series:
    """neutralise_cell on the cells that start like a formula; the rest are left untouched."""
    if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
        return values
    risky = [isinstance(value, str) and value.startswith(_FORMULA_START) for value in values]
    if not any(risky):
        return values
    values = values.astype(object).copy()
    values[risky] = [neutralise_cell(value) for value in values[risky]]
    return values


def write_safe_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write `frame` as UTF-8 CSV with LF line ends, neutralising formula-like text cells."""
    path.write_bytes(safe_csv_bytes(frame))


def safe_csv_bytes(frame: pd.DataFrame, *, excel: bool = False) -> bytes:
    """Return `frame` as safe UTF-8 CSV bytes; `excel` adds the byte-order mark Excel needs to read UTF-8."""
    safe = frame.assign(**{name: _neutralise_column(frame[name]) for name in frame.columns}) if len(frame) else frame
    data = safe.to_csv(index=False, lineterminator="\n").encode("utf-8")
    return b"\xef\xbb\xbf" + data if excel else data


def write_flagged_rows(handle: TextIO, header: list[str], batches: Iterable[list[tuple]]) -> int:
    """Write rows whose last item flags a formula-like cell as safe CSV (the flag is not written); return the count.

    The same bytes as safe_csv_bytes of the same rows: minimal quoting, LF line ends, NULL as empty.
    """
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for rows in batches:
        writer.writerows([neutralise_cell(value) for value in row[:-1]] if row[-1] else row[:-1] for row in rows)
        count += len(rows)
    return count


def _csv_quotes(character: str) -> bool:
    """Whether the csv module quotes a cell that contains `character` (this differs between Python versions)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([f"a{character}b", ""])
    return buffer.getvalue().startswith('"')


# The characters that make the csv module quote a cell (with LF line ends).
QUOTE_TRIGGERS = tuple(c for c in ',"\r\n' if _csv_quotes(c))
# Bits of an event's csv_care, worked out by the build: what writing its events.csv row needs.
CSV_QUOTED = 1  # a cell before the last needs quoting
CSV_LAST_QUOTED = 2  # the last cell (notes) needs quoting
CSV_FORMULA = 4  # a cell starts like a formula, so the row goes through neutralise_cell
_ESCAPED = {",": ",", '"': '"', "\r": r"\r", "\n": r"\n", "\t": r"\t", "-": r"\-", "=": "=", "+": r"\+", "@": "@"}
_TRIGGER_PATTERN = "[" + "".join(_ESCAPED[c] for c in QUOTE_TRIGGERS) + "]"
_FORMULA_PATTERN = "^[" + "".join(_ESCAPED[c] for c in _FORMULA_START) + "]"


def _matches(cells: pa.Array, pattern: str) -> np.ndarray:
    return pc.fill_null(pc.match_substring_regex(cells, pattern), False).to_numpy(zero_copy_only=False)


def csv_care(cells: list[pa.Array], last: pa.Array | None = None) -> np.ndarray:
    """Per row, the CSV_* bits of a row of `cells` then `last` (Arrow text columns, missing as null or empty)."""
    care = np.zeros(len(cells[0]) if cells else len(last), dtype=np.int64)
    for column in cells:
        care |= np.where(_matches(column, _TRIGGER_PATTERN), CSV_QUOTED, 0)
        care |= np.where(_matches(column, _FORMULA_PATTERN), CSV_FORMULA, 0)
    if last is not None:
        care |= np.where(_matches(last, _TRIGGER_PATTERN), CSV_LAST_QUOTED, 0)
        care |= np.where(_matches(last, _FORMULA_PATTERN), CSV_FORMULA, 0)
    return care


def write_csv_lines(handle: BinaryIO, header: list[str], batches: Iterable[list[tuple]]) -> int:
    """Write rows of (a finished CSV line as bytes, None), or (None, the row's cells as a JSON array).

    A row of the second kind has a cell that starts like a formula: its cells are written through
    neutralise_cell and the csv module, as write_flagged_rows does. Returns the count.
    """
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")

    def careful(cells) -> bytes:
        text.seek(0)
        text.truncate()
        writer.writerow(cells)
        return text.getvalue()[:-1].encode("utf-8")

    handle.write(careful(header) + b"\n")
    count = 0
    for rows in batches:
        lines = [
            line if line is not None else careful([neutralise_cell(value) for value in json.loads(cells)])
            for line, cells in rows
        ]
        handle.write(b"\n".join(lines))
        handle.write(b"\n")
        count += len(rows)
    return count
