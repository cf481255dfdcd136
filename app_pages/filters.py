"""Shared filters: read and check them from the URL (a plain function), and turn them into a query filter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from model.dates import DateGrammarError, parse_date
from model.queries import EventFilter
from model.vocabulary import CATEGORIES, EVENT_TYPES

# URL parameter names are part of the interface: shared views depend on them.
SHARED_PARAMS = ("designator", "region", "bloc", "group", "event_type", "category", "from", "to")
PAGE_PARAMS = ("as_of", "reference")
MAX_PARAM_CHARS = 2000


@dataclass(frozen=True)
class Vocabulary:
    """The values a filter may take, read from the database."""

    designators: frozenset[str]
    regions: frozenset[str]
    blocs: frozenset[str]
    groups: frozenset[str]


@dataclass(frozen=True)
class ViewFilters:
    """The checked filters of a view."""

    designators: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    blocs: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def as_params(self) -> dict[str, str]:
        """The filters as URL parameters (empty ones left out)."""
        values = {
            "designator": ",".join(self.designators),
            "region": ",".join(self.regions),
            "bloc": ",".join(self.blocs),
            "group": ",".join(self.groups),
            "event_type": ",".join(self.event_types),
            "category": ",".join(self.categories),
            "from": self.date_from or "",
            "to": self.date_to or "",
        }
        return {name: value for name, value in values.items() if value}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text[:MAX_PARAM_CHARS].split(",") if part.strip()]


def _shown(values: list[str]) -> str:
    return ", ".join(value[:40] for value in values[:5]) + (" ..." if len(values) > 5 else "")


def parse_filters(params: Mapping[str, str], vocabulary: Vocabulary) -> ViewFilters:
    """Check URL parameters against the vocabulary; unknown values are dropped with a warning each."""
    warnings: list[str] = []

    def pick(name: str, allowed) -> tuple[str, ...]:
        values = _split(params.get(name, ""))
        unknown = [v for v in values if v not in allowed]
        if unknown:
            warnings.append(f"Ignoring unknown {name} value(s) in the address: {_shown(unknown)}")
        return tuple(dict.fromkeys(v for v in values if v in allowed))

    def pick_date(name: str) -> str | None:
        text = params.get(name, "")[:100]
        if not text:
            return None
        try:
            return parse_date(text).text
        except DateGrammarError as exc:
            warnings.append(f"Ignoring the '{name}' date: {exc}")
            return None

    return ViewFilters(
        designators=pick("designator", vocabulary.designators),
        regions=pick("region", vocabulary.regions),
        blocs=pick("bloc", vocabulary.blocs),
        groups=pick("group", vocabulary.groups),
        event_types=pick("event_type", EVENT_TYPES),
        categories=pick("category", CATEGORIES),
        date_from=pick_date("from"),
        date_to=pick_date("to"),
        warnings=tuple(warnings),
    )


def to_event_filter(view: ViewFilters, regions: Mapping[str, set[str]], blocs: Mapping[str, set[str]]) -> EventFilter:
    """Resolve regions and blocs to designator codes and intersect them with the chosen designators.

    A view whose designators, regions and blocs have no code in common matches nothing.
    """
    code_sets = [set(view.designators)] if view.designators else []
    if view.regions:
        code_sets.append(set().union(*(regions.get(r, set()) for r in view.regions)))
    if view.blocs:
        code_sets.append(set().union(*(blocs.get(b, set()) for b in view.blocs)))
    designators: tuple[str, ...] = ()
    if code_sets:
        designators = tuple(sorted(set.intersection(*code_sets))) or ("-none-",)
    return EventFilter(designators, view.groups, view.date_from, view.date_to, view.event_types, view.categories)
