"""Strict CSV reading: UTF-8 without BOM, a known header, whole rows, and the line each row starts on."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from loaders.base import LoaderError

# A cell longer than this is refused (the csv module's own limit is raised above it so the
# error can name the field).
MAX_CELL_CHARS = 20_000
csv.field_size_limit(10 * MAX_CELL_CHARS)

TEXT = pd.Series([], dtype="str").dtype
COMMA, NEWLINE, QUOTE = ord(","), ord("\n"), ord('"')


@dataclass
class RawTable:
    """The text cells of one CSV file, column by column, with each row's first line number."""

    name: str
    file: str
    frame: pd.DataFrame
    lines: list[int]
    rows_rejected: int = 0


def read_csv_strict(path: Path, name: str, expected_columns: list[str], errors: list[LoaderError]) -> RawTable:
    """Read a CSV into text columns; append every structural problem to `errors`."""
    file = path.name
    empty = RawTable(name, file, pd.DataFrame(columns=expected_columns, dtype="str"), [])
    if not path.exists():
        errors.append(LoaderError(file, None, None, "file is missing"))
        return empty
    data = path.read_bytes()
    if not data:
        errors.append(LoaderError(file, 1, None, "file is empty; expected a header row"))
        return empty
    if data.startswith(b"\xef\xbb\xbf"):
        errors.append(LoaderError(file, 1, None, "file starts with a byte-order mark; save it as UTF-8 without BOM"))
        return empty
    header = _plain_header(data)
    if header is not None and sorted(header) == sorted(expected_columns) and len(set(header)) == len(header):
        arrow = _read_with_arrow(data, header, 2)
        if arrow is not None:
            frame, lines = arrow
            _check_cells(file, frame[expected_columns], lines, False, errors)
            return RawTable(name, file, frame[expected_columns], lines, 0)
    # The careful path: the whole text decoded, the header checked, the csv module naming each problem.
    try:
        text, has_invalid_utf8 = data.decode("utf-8"), False
    except UnicodeDecodeError:
        # Decode with U+FFFD in place of bad bytes so that the cells holding them can be named below.
        text, has_invalid_utf8 = data.decode("utf-8", errors="replace"), True
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        errors.append(LoaderError(file, 1, None, f"header is not valid CSV: {exc}"))
        return empty
    problems_before = len(errors)
    seen: set[str] = set()
    for column in header:
        if column in seen:
            errors.append(LoaderError(file, 1, column, "column appears twice in the header"))
        seen.add(column)
        if column not in expected_columns:
            errors.append(LoaderError(file, 1, column, "unknown column (not in datapackage.json)"))
    for column in expected_columns:
        if column not in seen:
            errors.append(LoaderError(file, 1, column, "required column is missing from the header"))
    if len(errors) > problems_before:
        return empty

    fast = _read_all_at_once(reader, text, len(header), reader.line_num + 1)
    if fast is not None:
        rows, lines, rejected = *fast, 0
    else:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        next(reader)
        rows, lines, rejected = _read_row_by_row(reader, file, header, errors)
    frame = pd.DataFrame(rows, columns=header, dtype="str")[expected_columns] if rows else empty.frame
    _check_cells(file, frame, lines, has_invalid_utf8, errors)
    return RawTable(name, file, frame, lines, rejected)


def _plain_header(data: bytes) -> list[str] | None:
    """The header when it is one plain line (no quote, no carriage return, valid UTF-8); else None.

    Only that line is decoded: decoding a large file whole, for the csv module, costs seconds and
    four times its size in memory, and Arrow checks the rest of the text is UTF-8 as it reads.
    """
    end = data.find(b"\n")
    line = data[: end if end >= 0 else len(data)]
    if b'"' in line or b"\r" in line:
        return None
    try:
        return line.decode("utf-8").split(",")
    except UnicodeDecodeError:
        return None


def _check_cells(file: str, frame: pd.DataFrame, lines: list[int], has_invalid_utf8: bool, errors) -> None:
    """Name every cell holding bytes that are not UTF-8, or longer than MAX_CELL_CHARS."""
    for column in frame.columns:
        values = frame[column]
        too_long = values.str.len() > MAX_CELL_CHARS
        for index in values.index[too_long]:
            errors.append(LoaderError(file, lines[index], column, f"cell is longer than {MAX_CELL_CHARS:,} characters"))
        if has_invalid_utf8:
            for index in values.index[values.str.contains("\ufffd", regex=False)]:
                errors.append(LoaderError(file, lines[index], column, "text is not valid UTF-8"))


def _read_with_arrow(data: bytes, header: list[str], body_start: int) -> tuple[pd.DataFrame, list[int]] | None:
    """Parse the file with Arrow's multithreaded reader when the strict csv module would read it the same way.

    None sends the file to the csv module, which names the line of every problem. Arrow is used only on
    files with no carriage return, no blank line and only well-formed quoting (see `_plain_newlines`),
    because on those constructs Arrow is lenient where the strict reader is not.
    """
    newline_count = None if b"\r" in data else _plain_newlines(data)
    if newline_count is None:
        return None
    options = pacsv.ConvertOptions(
        column_types=dict.fromkeys(header, pa.string()),
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        null_values=[],
    )
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=options,
        )
    except pa.ArrowInvalid:  # a row of the wrong width, bad UTF-8: let the csv module name it
        return None
    if table.column_names != header:
        return None
    frame = table.to_pandas(types_mapper={pa.string(): TEXT}.get)
    if newline_count == body_start - 1 + table.num_rows - (0 if data.endswith(b"\n") else 1):
        return frame, list(range(body_start, body_start + table.num_rows))  # no cell holds a newline
    newlines = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:  # newlines inside quoted cells push later rows down
        newlines += pc.count_substring(column, "\n").to_numpy(zero_copy_only=False)
    lines = (body_start + np.arange(table.num_rows) + np.concatenate(([0], np.cumsum(newlines)[:-1]))).tolist()
    return frame, lines


def _plain_newlines(data: bytes) -> int | None:
    """The file's number of newlines when it has no blank line and every double quote opens a field,
    closes one, or is half of an escaped pair; None otherwise.

    Counting quotes from the start of the file, quotes 0, 2, 4... enter a quoted cell and must start a
    field (or directly follow the quote that just left: an escaped pair); quotes 1, 3, 5... leave it
    and must end the field (or directly precede the next quote). A quote inside an unquoted cell, text
    after a closing quote, or an unclosed quote breaks the pattern.
    """
    bytes_ = np.frombuffer(data, dtype=np.uint8)
    quotes, newlines = _positions(bytes_, QUOTE), _positions(bytes_, NEWLINE)
    if (np.diff(newlines) == 1).any():  # two newlines in a row: a blank line, or one inside a cell
        return None
    if len(quotes) == 0:
        return len(newlines)
    if len(quotes) % 2:
        return None
    last = len(bytes_) - 1
    before = np.where(quotes > 0, bytes_[np.maximum(quotes - 1, 0)], NEWLINE)  # the file's edges count as newlines
    after = np.where(quotes < last, bytes_[np.minimum(quotes + 1, last)], NEWLINE)
    # A quote before an entering one can only be the one that just left: the two make an escaped pair.
    enters_ok = np.isin(before[0::2], (COMMA, NEWLINE, QUOTE))
    leaves_ok = np.isin(after[1::2], (COMMA, NEWLINE, QUOTE))
    return len(newlines) if enters_ok.all() and leaves_ok.all() else None


def _positions(bytes_: np.ndarray, byte: int, chunk: int = 1 << 22) -> np.ndarray:
    """Where `byte` occurs, found a few MB at a time: one mask the size of a large file costs more in
    fresh memory than in comparisons."""
    mask = np.empty(min(chunk, len(bytes_)), dtype=bool)
    found = [np.empty(0, dtype=np.int64)]
    for start in range(0, len(bytes_), chunk):
        part = bytes_[start : start + chunk]
        np.equal(part, byte, out=mask[: len(part)])
        found.append(np.flatnonzero(mask[: len(part)]) + start)
    return np.concatenate(found)


def _read_all_at_once(reader, text: str, width: int, body_start: int) -> tuple[list[list[str]], list[int]] | None:
    """Read every row in one call when the file is clean; None sends it to the row-by-row reader.

    Clean: no carriage returns, no csv.Error, every row as wide as the header. Line numbers are then
    the row index plus the newlines inside earlier quoted cells.
    """
    if "\r" in text:
        return None
    try:
        rows = list(reader)
    except csv.Error:
        return None
    if rows and set(map(len, rows)) != {width}:
        return None
    newlines_in_body = text.count("\n") - (body_start - 1) - (0 if text.endswith("\n") else -1)
    if newlines_in_body == len(rows):
        return rows, list(range(body_start, body_start + len(rows)))
    lines, line = [], body_start
    for row in rows:
        lines.append(line)
        line += 1 + sum(cell.count("\n") for cell in row)
    return rows, lines


def _read_row_by_row(reader, file: str, header: list[str], errors: list[LoaderError]):
    """Read row by row, naming the line of every structural problem."""
    rows: list[list[str]] = []
    lines: list[int] = []
    rejected = 0
    next_line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(LoaderError(file, next_line, None, f"not valid CSV ({exc}); reading stopped here"))
            rejected += 1
            break
        start_line, next_line = next_line, reader.line_num + 1
        if not row:
            errors.append(LoaderError(file, start_line, None, "blank line"))
            rejected += 1
            continue
        if len(row) != len(header):
            missing = header[len(row)] if len(row) < len(header) else None
            errors.append(
                LoaderError(
                    file,
                    start_line,
                    missing,
                    f"row has {len(row)} fields, the header has {len(header)}",
                )
            )
            rejected += 1
            continue
        rows.append(row)
        lines.append(start_line)
    return rows, lines, rejected
