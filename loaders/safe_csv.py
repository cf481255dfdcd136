"""CSV writing that a spreadsheet cannot turn into a formula, while keeping the data faithful."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

# Cells starting with these are run as formulas by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


def neutralise_cell(value: object) -> object:
    """Prefix a text cell with an apostrophe when a spreadsheet would execute it; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def write_safe_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write `frame` as UTF-8 CSV with LF line ends, neutralising formula-like text cells."""
    path.write_bytes(safe_csv_bytes(frame))


def safe_csv_bytes(frame: pd.DataFrame, *, excel: bool = False) -> bytes:
    """Return `frame` as safe UTF-8 CSV bytes; `excel` adds the byte-order mark Excel needs to read UTF-8."""
    safe = frame.astype(object).map(neutralise_cell) if not frame.empty else frame
    data = safe.to_csv(index=False, lineterminator="\n").encode("utf-8")
    return b"\xef\xbb\xbf" + data if excel else data
