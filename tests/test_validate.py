"""Validation of the data package: every error names file, line and field, and all are reported at once."""

from pathlib import Path

import pytest

from loaders.__main__ import main
from loaders.base import ValidationFailed
from loaders.checks import check_package
from loaders.validate import validate_package

EVENTS_HEADER = (
    "event_id,designator_code,group_id,name_as_listed,event_type,category,formality,decision_date,"
    "publication_date,entry_into_force_date,authority_id,legal_reference,scope,notes"
)


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _append(path: Path, line: str) -> int:
    """Append a line to a CSV file; return its line number."""
    lines = _lines(path)
    path.write_text("\n".join(lines + [line]) + "\n", encoding="utf-8")
    return len(lines) + 1


def _errors(data_dir: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as failure:
        validate_package(data_dir)
    return [str(error) for error in failure.value.errors]


def test_the_real_data_package_is_valid():
    package = validate_package(Path("data"))
    assert package.report.rows_read["events"] == len(_lines(Path("data/events.csv"))) - 1
    assert all(count == 0 for count in package.report.rows_rejected.values())


def test_check_names_file_line_and_field_of_all_three_errors(data_copy: Path, capsys):
    events = data_copy / "events.csv"
    lines = _lines(events)
    first = lines[1].split(",")
    # 1. a broken date on the first event
    lines[1] = ",".join(first[:7] + ["2015-02-30"] + first[8:])
    # 2. a duplicate event id, 3. an unknown designator code, on new rows
    duplicate = ",".join([first[0], "RU"] + first[2:7] + ["2015"] + first[8:])
    unknown = ",".join(["e-00000001", "XX"] + first[2:7] + ["2015"] + first[8:])
    events.write_text("\n".join(lines + [duplicate, unknown]) + "\n", encoding="utf-8")
    sources = data_copy / "event_sources.csv"
    _append(sources, "e-00000001,un-aq-list-2014-12-12,,false")

    assert main(["check", "--data", str(data_copy)]) == 1
    stderr = capsys.readouterr().err
    assert "events.csv:2: decision_date: '2015-02-30': day 30 does not exist in 2015-02" in stderr
    assert (
        f"events.csv:{len(lines) + 1}: event_id: duplicate primary key (event_id='{first[0]}'); first on line 2"
        in stderr
    )
    assert f"events.csv:{len(lines) + 2}: designator_code: 'XX' is not a known designators code" in stderr
    assert stderr.startswith("3 error(s); nothing was written")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xef\xbb\xbf" + EVENTS_HEADER.encode() + b"\n", "events.csv:1: -: file starts with a byte-order mark"),
        (b"", "events.csv:1: -: file is empty"),
        (EVENTS_HEADER.replace(",notes", "").encode() + b"\n", "events.csv:1: notes: required column is missing"),
        (EVENTS_HEADER.encode() + b",extra\n", "events.csv:1: extra: unknown column"),
        (EVENTS_HEADER.encode() + b"\ne-00000002,RU\n", "events.csv:2: group_id: row has 2 fields, the header has 14"),
        (
            EVENTS_HEADER.encode() + b'\ne-00000002,RU,g-573fed31,"IS"x,listing,terrorist,formal,2015,,,,,,\n',
            "events.csv:2: -: not valid CSV",
        ),
        (
            EVENTS_HEADER.encode() + b"\ne-00000002,RU,g-573fed31,\xff\xfeIS,listing,terrorist,formal,2015,,,,,,\n",
            "events.csv:2: name_as_listed: text is not valid UTF-8",
        ),
    ],
)
def test_structural_problems_are_located(data_copy: Path, raw: bytes, expected: str):
    (data_copy / "events.csv").write_bytes(raw)
    assert any(error.startswith(expected) for error in _errors(data_copy)), _errors(data_copy)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("event_type", "designation", "event_type: 'designation' is not one of listing"),
        ("formality", "", "formality: required value is empty"),
        ("decision_date", "15.10.2015", "decision_date: '15.10.2015' is not a date"),
        ("publication_date", "2015-11-02/2015-10-01", "publication_date: '2015-11-02/2015-10-01': the interval ends"),
        ("group_id", "g-ffffffff", "group_id: 'g-ffffffff' is not a known groups group_id"),
        ("authority_id", "no-such-court", "authority_id: 'no-such-court' is not a known authorities authority_id"),
        ("name_as_listed", " Daesh", "name_as_listed: value has leading or trailing spaces"),
        ("event_id", "E-1", "event_id: 'E-1' does not match the pattern"),
    ],
)
def test_field_rules(data_copy: Path, column: str, value: str, expected: str):
    events = data_copy / "events.csv"
    lines = _lines(events)
    header = lines[0].split(",")
    row = ["e-00000003", "RU", "g-573fed31", "IS", "listing", "terrorist", "formal", "2015", "", "", "", "", "", ""]
    row[header.index(column)] = value
    line = _append(events, ",".join(row))
    _append(data_copy / "event_sources.csv", f"{row[0]},un-aq-list-2014-12-12,,false")
    assert any(error.startswith(f"events.csv:{line}: {expected}") for error in _errors(data_copy)), _errors(data_copy)


def test_an_event_needs_a_date_and_a_source(data_copy: Path):
    line = _append(data_copy / "events.csv", "e-00000004,RU,g-573fed31,IS,listing,terrorist,formal,,,,,,,")
    errors = _errors(data_copy)
    no_date = "event has no date: give decision_date, publication_date or entry_into_force_date"
    assert f"events.csv:{line}: decision_date: {no_date}" in errors
    assert (
        f"events.csv:{line}: event_id: event 'e-00000004' has no source in event_sources.csv (no source, no record)"
        in errors
    )


def test_one_run_reports_errors_in_several_files(data_copy: Path):
    _append(data_copy / "sources.csv", "bad id,ftp://x,t,p,,2026-11-24,")
    _append(data_copy / "groups.csv", "g-573fed31,Duplicate,,")
    errors = _errors(data_copy)
    assert any(e.startswith("sources.csv:") and "source_id" in e for e in errors)
    assert any(e.startswith("sources.csv:") and ": url: 'ftp://x' does not match" in e for e in errors)
    assert any(e.startswith("groups.csv:") and "duplicate primary key" in e for e in errors)


def test_errors_of_one_kind_are_capped_and_counted(data_copy: Path):
    events = data_copy / "events.csv"
    rows = [f"e-{i:08x},RU,g-573fed31,IS,listing,terrorist,formal,2015-13,,,,,," for i in range(100, 150)]
    events.write_text("\n".join(_lines(events) + rows) + "\n", encoding="utf-8")
    (data_copy / "event_sources.csv").write_text(
        "\n".join(
            _lines(data_copy / "event_sources.csv")
            + [f"e-{i:08x},un-aq-list-2014-12-12,,false" for i in range(100, 150)]
        )
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as failure:
        validate_package(data_copy)
    assert len(failure.value.errors) == 20
    assert failure.value.suppressed == 30


def test_warnings_do_not_fail_but_are_reported(data_copy: Path):
    package = validate_package(Path("data"))
    unchecked = [w for w in package.report.warnings if "no linked source's text was checked" in w.message]
    event_lines = _lines(Path("data/events.csv"))
    checked = {line.split(",")[0] for line in _lines(Path("data/event_sources.csv")) if line.endswith(",true")}
    expected = [i + 1 for i, line in enumerate(event_lines) if i and line.split(",")[0] not in checked]
    assert [w.line for w in unchecked] == expected[:20]  # listed up to 20, the rest counted
    assert len(unchecked) + package.report.warnings_suppressed == len(expected)
    assert event_lines.index(next(x for x in event_lines if x.startswith("e-7c116bf1,"))) + 1 in expected  # UZ
    line = _append(
        data_copy / "events.csv", "e-00000005,RU,g-573fed31,IS,listing,terrorist,formal,2015-03-02,2015-03-01,,,,,"
    )
    _append(data_copy / "event_sources.csv", "e-00000005,un-aq-list-2014-12-12,,true")
    warnings = [str(w) for w in check_package(data_copy)[1].warnings]
    assert f"events.csv:{line}: publication_date: published (2015-03-01) before it was decided (2015-03-02)" in warnings
