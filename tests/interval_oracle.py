"""The first, row-by-row status interval and per-year logic, kept as an oracle for the fast versions."""

from __future__ import annotations

import pandas as pd

from model.analysis import INTERVAL_COLUMNS, SAME_DAY_ORDER, _text, records
from model.dates import FuzzyDate, parse_date


class _IntervalBuilder:
    """Walks one designator's events for one group and category, in order, opening and closing intervals."""

    def __init__(self, key: tuple[str, str, str]) -> None:
        self.key = key
        self.current: dict | None = None
        self.closed: list[dict] = []

    def open(self, status: str, event: pd.Series, when: FuzzyDate, name: str, scope: str | None) -> None:
        self.current = {
            "designator_code": self.key[0],
            "group_id": self.key[1],
            "category": self.key[2],
            "status": status,
            "start_date": when.text,
            "start_earliest": when.earliest,
            "start_latest": when.latest,
            "end_date": None,
            "end_earliest": None,
            "end_latest": None,
            "end_reason": None,
            "name_as_listed": name,
            "scope": scope,
            "opening_event_id": event["event_id"],
            "closing_event_id": None,
        }

    def close(self, event: pd.Series, when: FuzzyDate, reason: str) -> None:
        assert self.current is not None
        self.current.update(
            end_date=when.text,
            end_earliest=when.earliest,
            end_latest=when.latest,
            end_reason=reason,
            closing_event_id=event["event_id"],
        )
        self.closed.append(self.current)
        self.current = None

    def apply(self, event: dict) -> None:
        when = event["_when_date"]
        kind = event["event_type"]
        scope = _text(event.get("scope")) or None
        listed_status = "reported" if event["formality"] == "reported" else "listed"
        current = self.current
        if kind in ("listing", "renewal"):
            if current is None:
                self.open(listed_status, event, when, event["name_as_listed"], scope)
            elif current["status"] != listed_status:
                # A suspension lifted, or a reported ban followed by a formal act.
                self.close(event, when, "resumed" if current["status"] == "suspended" else "superseded")
                self.open(listed_status, event, when, event["name_as_listed"], scope)
        elif kind == "amendment" and current is not None:
            self.close(event, when, "amended")
            self.open(current["status"], event, when, event["name_as_listed"], scope or current["scope"])
        elif kind == "suspension" and current is not None and current["status"] != "suspended":
            self.close(event, when, "suspended")
            self.open("suspended", event, when, current["name_as_listed"], current["scope"])
        elif kind in ("delisting", "expiry", "annulment") and current is not None:
            self.close(event, when, kind)

    def intervals(self) -> list[dict]:
        return self.closed + ([self.current] if self.current else [])


def slow_status_intervals(events: pd.DataFrame) -> pd.DataFrame:
    """(Oracle) Return one row per interval of status (listed, reported, suspended) per designator, group, category.

    A listing opens an interval; an amendment closes it and opens the next one (so renames and
    scope changes show); a suspension pauses it; a delisting, expiry or annulment closes it; a later
    listing reopens. An interval with no end is still open.
    """
    if events.empty:
        return pd.DataFrame(columns=INTERVAL_COLUMNS)
    dates = {}
    when = []
    for row in events[["entry_into_force_date", "decision_date", "publication_date"]].itertuples(index=False):
        text = next((_text(value) for value in row if _text(value)), "")
        if text not in dates:
            dates[text] = parse_date(text) if text else None
        when.append(dates[text])
    if any(day is None for day in when):
        missing = events["event_id"].iloc[[i for i, day in enumerate(when) if day is None][0]]
        raise ValueError(f"event {missing!r} has none of the dates")
    ordered = events.assign(
        _when_date=when,
        _when=[day.earliest for day in when],
        _rank=events["event_type"].map(SAME_DAY_ORDER),
    ).sort_values(["designator_code", "group_id", "category", "_when", "_rank", "event_id"])
    rows: list[dict] = []
    builder = None
    for event in records(ordered):
        key = (event["designator_code"], event["group_id"], event["category"])
        if builder is None or builder.key != key:
            if builder is not None:
                rows.extend(builder.intervals())
            builder = _IntervalBuilder(key)
        builder.apply(event)
    rows.extend(builder.intervals())
    return pd.DataFrame(rows, columns=INTERVAL_COLUMNS, dtype=object)


def slow_groups_per_year(intervals: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """(Oracle) For each year and status, how many groups had an interval of that status at some point of the year.

    Returns year, status, groups for every year from the first interval to `last_year` and each of
    listed, reported, suspended (zero where none). An open interval runs to `last_year`.
    """
    statuses = ["listed", "reported", "suspended"]
    if intervals.empty:
        return pd.DataFrame(columns=["year", "status", "groups"])
    first = [day.year for day in intervals["start_earliest"]]
    last = [last_year if day is None else day.year for day in intervals["end_latest"]]
    spans = pd.DataFrame(
        {
            "group_id": intervals["group_id"].to_numpy(),
            "status": intervals["status"].to_numpy(),
            "year": [list(range(a, b + 1)) for a, b in zip(first, last)],
        }
    ).explode("year")
    counts = spans.drop_duplicates().groupby(["year", "status"])["group_id"].size()
    grid = pd.MultiIndex.from_product([range(min(first), last_year + 1), statuses], names=["year", "status"])
    return counts.reindex(grid, fill_value=0).rename("groups").reset_index()
