"""`check`'s logical consistency rules, on crafted events and on the real data."""

from datetime import date
from pathlib import Path

import pandas as pd

from loaders.__main__ import main
from model.consistency import consistency_findings

GROUPS = pd.DataFrame([{"group_id": "g-1", "is_reviewed": "true"}, {"group_id": "g-2", "is_reviewed": "false"}])


def _events(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "event_id": i,
                "designator_code": d,
                "group_id": g,
                "category": "terrorist",
                "event_type": t,
                "formality": f,
                "decision_date": dd,
                "publication_date": pd_,
                "entry_into_force_date": "",
            }
            for i, d, g, t, f, dd, pd_ in rows
        ]
    )


def _messages(events: pd.DataFrame) -> list[tuple[str, str, str]]:
    return [(f.level, f.event_id, f.message) for f in consistency_findings(events, GROUPS, today=date(2026, 11, 24))]


def test_each_rule_on_crafted_events():
    events = _events(
        ("e-a", "GB", "g-1", "delisting", "formal", "2001-01-01", ""),  # no earlier listing
        ("e-b", "GB", "g-1", "listing", "formal", "2002-01-01", ""),
        ("e-c", "GB", "g-1", "listing", "formal", "2003-01-01", ""),  # second listing while listed
        ("e-d", "US", "g-1", "listing", "formal", "2010-05-02", "2010-05-01"),  # published before decided
        ("e-e", "US", "g-1", "delisting", "formal", "2027-01-01", ""),  # in the future
        ("e-f", "CA", "g-1", "listing", "formal", "2012-03-04", ""),
        ("e-g", "CA", "g-1", "listing", "formal", "2012-03-04", ""),  # the same act twice
        ("e-h", "AU", "g-2", "listing", "formal", "2015", ""),  # unreviewed group
    )
    messages = _messages(events)
    assert messages[0] == ("error", "e-e", "2027-01-01 is in the future")
    assert ("warning", "e-a", "a delisting with no earlier listing") in messages
    assert ("warning", "e-c", "a second listing while still listed (since e-b)") in messages
    assert ("warning", "e-d", "published (2010-05-01) before it was decided (2010-05-02)") in messages
    assert (
        "warning",
        "e-g",
        "same designator, group, type and date as e-f: the same act twice? Merge them and keep both sources.",
    ) in messages
    assert ("warning", "e-h", "group g-2 is unreviewed (imported, not yet matched)") in messages


def test_a_reported_ban_then_a_formal_listing_is_not_a_second_listing():
    events = _events(
        ("e-a", "UZ", "g-1", "listing", "reported", "2015", ""), ("e-b", "UZ", "g-1", "listing", "formal", "2017", "")
    )
    assert _messages(events) == []


def test_a_renewal_keeps_a_group_listed_as_the_intervals_read_it():
    events = _events(
        ("e-a", "EU", "g-1", "listing", "formal", "2001-12-27", ""),
        ("e-b", "EU", "g-1", "annulment", "formal", "2014-12-17", ""),
        ("e-c", "EU", "g-1", "renewal", "formal", "2015-03-26", ""),  # kept on the list by a new act
        ("e-d", "EU", "g-1", "annulment", "formal", "2019-09-04", ""),
    )
    assert _messages(events) == []
    assert _messages(events[events["event_id"] != "e-c"]) == [
        ("warning", "e-d", "an annulment with no earlier listing")
    ]


def test_same_day_revocation_and_new_listing_is_consistent():
    events = _events(
        ("e-a", "NZ", "g-1", "listing", "formal", "2010-10-11", ""),
        ("e-b", "NZ", "g-1", "listing", "formal", "2024-11-20", ""),
        ("e-c", "NZ", "g-1", "delisting", "formal", "2024-11-20", ""),
    )
    assert _messages(events) == []


def test_check_fails_on_a_future_date_with_file_line_and_field(data_copy: Path, capsys):
    events = data_copy / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines()
    lines.append("e-0000000f,RU,g-573fed31,IS,delisting,terrorist,formal,2099-01-01,,,,,,")
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (data_copy / "event_sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("e-0000000f,un-aq-list-2014-12-12,,false\n")
    assert main(["check", "--data", str(data_copy)]) == 1
    assert f"events.csv:{len(lines)}: decision_date: 2099-01-01 is in the future" in capsys.readouterr().err


def test_check_on_the_real_data_has_no_errors(capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "no errors" in out and "warnings:" in out
