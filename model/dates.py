"""Dates at the precision a source gives them: YYYY, YYYY-MM, YYYY-MM-DD or an interval A/B."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

Precision = Literal["year", "month", "day", "interval"]
Order = Literal["before", "after", "same", "uncertain"]


class DateGrammarError(ValueError):
    """Raised when a text is not a date in the project's grammar (EDTF level 0 subset)."""


@dataclass(frozen=True)
class FuzzyDate:
    """A date as recorded, with the first and last day it can mean."""

    text: str
    earliest: date
    latest: date
    precision: Precision

    @property
    def is_exact(self) -> bool:
        """True when the date names a single day."""
        return self.earliest == self.latest

    def __str__(self) -> str:
        return self.text


def _parse_part(text: str) -> tuple[date, date, Precision]:
    match = _PART.match(text)
    if not match:
        raise DateGrammarError(f"{text!r} is not a date: use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if year < 1000:
        raise DateGrammarError(f"{text!r}: year {year} is out of range")
    if month is None:
        return date(year, 1, 1), date(year, 12, 31), "year"
    if not 1 <= month <= 12:
        raise DateGrammarError(f"{text!r}: month {month:02d} does not exist")
    last_day = calendar.monthrange(year, month)[1]
    if day is None:
        return date(year, month, 1), date(year, month, last_day), "month"
    if not 1 <= day <= last_day:
        raise DateGrammarError(f"{text!r}: day {day:02d} does not exist in {year}-{month:02d}")
    return date(year, month, day), date(year, month, day), "day"


@lru_cache(maxsize=65_536)
def parse_date(text: str) -> FuzzyDate:
    """Parse a recorded date; raise DateGrammarError with the reason when it is not valid."""
    if text != text.strip() or not text:
        raise DateGrammarError(f"{text!r} is not a date: empty or surrounded by spaces")
    if "/" in text:
        start_text, _, end_text = text.partition("/")
        try:
            start, _, _ = _parse_part(start_text)
            _, end, _ = _parse_part(end_text)
        except DateGrammarError as exc:
            raise DateGrammarError(f"{text!r} is not a date: {exc}") from None
        if end < start:
            raise DateGrammarError(f"{text!r}: the interval ends before it starts")
        return FuzzyDate(text, start, end, "interval")
    earliest, latest, precision = _parse_part(text)
    return FuzzyDate(text, earliest, latest, precision)


def compare_dates(first: FuzzyDate, second: FuzzyDate) -> Order:
    """Say whether `first` is before, after or the same day as `second`, or that it is uncertain."""
    if first.latest < second.earliest:
        return "before"
    if first.earliest > second.latest:
        return "after"
    if first.is_exact and second.is_exact:
        return "same"
    return "uncertain"


def days_between(start: FuzzyDate, end: FuzzyDate) -> tuple[int, int]:
    """Return the (fewest, most) days from `start` to `end` that the two dates allow."""
    return (end.earliest - start.latest).days, (end.latest - start.earliest).days


def contains(window: FuzzyDate, day: date) -> Order | Literal["inside"]:
    """Place a day against a recorded date: 'before'/'after' it, 'inside' an exact match, or 'uncertain'."""
    if day < window.earliest:
        return "before"
    if day > window.latest:
        return "after"
    return "inside" if window.is_exact else "uncertain"


_MONTHS = [calendar.month_name[m] for m in range(13)]


def format_date(value: FuzzyDate | str | None) -> str:
    """Write a recorded date in words at its own precision: '15 October 2015', 'May 2015', '2015'."""
    if value is None or value == "":
        return ""
    fuzzy = parse_date(value) if isinstance(value, str) else value
    if fuzzy.precision == "interval":
        start_text, _, end_text = fuzzy.text.partition("/")
        return f"between {format_date(start_text)} and {format_date(end_text)}"
    parts = fuzzy.text.split("-")
    if fuzzy.precision == "year":
        return parts[0]
    if fuzzy.precision == "month":
        return f"{_MONTHS[int(parts[1])]} {parts[0]}"
    return f"{int(parts[2])} {_MONTHS[int(parts[1])]} {parts[0]}"
