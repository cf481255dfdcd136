"""CSV writing that a spreadsheet cannot turn into a formula, while keeping the data faithful."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import pandas as pd

from model.queries import FORMULA_STARTS

# Cells starting with these are run as formulas by spreadsheet programs (the export's SQL flags them too).
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
