"""The Arrow reader is only a faster way to the strict csv module's result: same cells, same line numbers."""

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.csv_reader import _read_all_at_once, _read_row_by_row, _read_with_arrow, read_csv_strict


def _by_csv_module(text: str) -> tuple[list[str], list[list[str]], list[int]] | None:
    """The strict csv module's header, rows and line numbers, or None where it reports a problem."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (csv.Error, StopIteration):
        return None
    errors: list = []
    rows, lines, rejected = _read_row_by_row(reader, "t.csv", header, errors)
    return None if errors or rejected else (header, rows, lines)


def _by_arrow(text: str, header: list[str]) -> tuple[list[list[str]], list[int]] | None:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next(reader)
    read = _read_with_arrow(text.encode("utf-8"), header, reader.line_num + 1)
    if read is None:
        return None
    frame, lines = read
    return frame.to_numpy().tolist(), lines


@pytest.mark.parametrize("path", sorted(Path("data").glob("*.csv")), ids=lambda p: p.name)
def test_arrow_reads_every_real_file_exactly_as_the_csv_module(path: Path):
    text = path.read_text(encoding="utf-8")
    header, rows, lines = _by_csv_module(text)
    assert _by_arrow(text, header) == (rows, lines)


def test_multi_line_cells_keep_their_line_numbers():
    text = 'a,b\n1,"two\nlines"\n2,"x ""quoted"""\n3,y\n'
    assert _by_arrow(text, ["a", "b"]) == ([["1", "two\nlines"], ["2", 'x "quoted"'], ["3", "y"]], [2, 4, 5])
    assert _by_csv_module(text)[2] == [2, 4, 5]


@pytest.mark.parametrize(
    "text",
    [
        'a,b\n"x"y,z\n',  # text after a closing quote: the csv module refuses it
        'a,b\n"a,"b",z\n',  # the same, hidden behind a comma inside the quoted cell
        "a,b\n1,2\n\n3,4\n",  # a blank line
        'a,b\nx"y,z\n',  # a quote inside an unquoted cell
        'a,b\n"open,z\n',  # an unclosed quote
        "a,b\r\n1,2\r\n",  # carriage returns
        "a,b\n1\n",  # a short row
    ],
)
def test_arrow_leaves_every_doubtful_file_to_the_csv_module(text: str):
    assert _by_arrow(text, ["a", "b"]) is None


cell = st.text(alphabet=st.sampled_from(['"', ",", "\n", "a", "é", " ", "\x00"]), max_size=6)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(cell, min_size=2, max_size=2), max_size=6))
def test_arrow_agrees_with_the_csv_module_on_written_csv(rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([["a", "b"], *rows])
    text = buffer.getvalue()
    expected = _by_csv_module(text)
    got = _by_arrow(text, ["a", "b"])
    assert got is None or (expected is not None and got == (expected[1], expected[2]))


@settings(max_examples=500, deadline=None)
@given(body=st.text(alphabet=st.sampled_from(['"', ",", "\n", "a", "b"]), max_size=20))
def test_arrow_never_accepts_what_the_csv_module_refuses_or_reads_differently(body: str):
    text = "a,b\n" + body
    got = _by_arrow(text, ["a", "b"])
    if got is not None:
        expected = _by_csv_module(text)
        assert expected is not None and got == (expected[1], expected[2])


def test_the_strict_reader_gives_the_same_table_either_way(tmp_path: Path):
    path = Path("data/events.csv")
    columns = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    by_arrow = read_csv_strict(path, "events", columns, [])
    text = path.read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next(reader)
    rows, lines = _read_all_at_once(reader, text, len(columns), 2)
    assert by_arrow.frame.to_numpy().tolist() == rows and by_arrow.lines == lines
    assert str(by_arrow.frame.dtypes.iloc[0]) == "str"
