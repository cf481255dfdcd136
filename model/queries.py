"""Read queries: filtered events and the tables of an export, as DataFrames (no Streamlit here)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, Select, func, select
from sqlmodel import col

from model.dates import parse_date
from model.tables import (
    Authority,
    Coverage,
    Designator,
    Event,
    EventSource,
    Group,
    GroupIdentifier,
    GroupName,
    Source,
)

# events.csv schema v1: frozen. Later versions may add columns, never rename or drop them.
EVENT_COLUMNS_V1 = [
    "event_id",
    "designator_code",
    "designator_name",
    "group_id",
    "group_name",
    "name_as_listed",
    "event_type",
    "category",
    "formality",
    "decision_date",
    "publication_date",
    "entry_into_force_date",
    "authority",
    "authority_kind",
    "legal_reference",
    "scope",
    "source_urls",
    "notes",
]
GROUP_COLUMNS_V1 = ["group_id", "name", "aliases", "wikidata_qid", "un_reference", "description"]


@dataclass(frozen=True)
class EventFilter:
    """Which events to read: designator codes, group ids and an act-date range (all optional)."""

    designators: tuple[str, ...] = field(default_factory=tuple)
    groups: tuple[str, ...] = field(default_factory=tuple)
    date_from: str | None = None
    date_to: str | None = None

    def apply(self, statement: Select) -> Select:
        """Add the filter's conditions; a date range keeps events whose act date may fall inside it."""
        if self.designators:
            statement = statement.where(col(Event.designator_code).in_(self.designators))
        if self.groups:
            statement = statement.where(col(Event.group_id).in_(self.groups))
        if self.date_from:
            earliest = parse_date(self.date_from).earliest.isoformat()
            statement = statement.where(col(Event.act_date_latest) >= earliest)
        if self.date_to:
            latest = parse_date(self.date_to).latest.isoformat()
            statement = statement.where(col(Event.act_date_earliest) <= latest)
        return statement


def _frame(engine: Engine, statement: Select) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(statement)
        # object dtype keeps SQL NULL as None (pandas' str dtype would turn it into NaN).
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()), dtype=object)


def event_sources(engine: Engine, filters: EventFilter = EventFilter()) -> pd.DataFrame:
    """Return one row per (event, source) of the filtered events, with the source's details."""
    statement = filters.apply(
        select(
            EventSource.event_id,
            Source.source_id,
            Source.url,
            Source.title,
            Source.publisher,
            Source.publication_date,
            EventSource.quote,
            EventSource.is_date_checked,
        )
        .join(Source, col(Source.source_id) == col(EventSource.source_id))
        .join(Event, col(Event.event_id) == col(EventSource.event_id))
    ).order_by(col(EventSource.event_id), col(Source.url))
    return _frame(engine, statement)


def events_v1(engine: Engine, filters: EventFilter = EventFilter()) -> pd.DataFrame:
    """Return the filtered events in the events.csv v1 layout, ordered by act date."""
    statement = filters.apply(
        select(
            Event.event_id,
            Event.designator_code,
            col(Designator.name).label("designator_name"),
            Event.group_id,
            col(Group.name).label("group_name"),
            Event.name_as_listed,
            Event.event_type,
            Event.category,
            Event.formality,
            Event.decision_date,
            Event.publication_date,
            Event.entry_into_force_date,
            col(Authority.name).label("authority"),
            col(Authority.kind).label("authority_kind"),
            Event.legal_reference,
            Event.scope,
            Event.notes,
        )
        .join(Designator, col(Designator.code) == col(Event.designator_code))
        .join(Group, col(Group.group_id) == col(Event.group_id))
        .outerjoin(Authority, col(Authority.authority_id) == col(Event.authority_id))
    ).order_by(col(Event.act_date_earliest), col(Event.designator_code), col(Event.event_id))
    frame = _frame(engine, statement)
    urls = event_sources(engine, filters).groupby("event_id")["url"].agg(" ".join).to_dict()
    frame["source_urls"] = [urls.get(event_id, "") for event_id in frame["event_id"]]
    return frame[EVENT_COLUMNS_V1]


def groups_v1(engine: Engine, group_ids: list[str] | None = None) -> pd.DataFrame:
    """Return groups in the groups.csv v1 layout: other names '; '-joined, UN reference numbers."""
    groups = _frame(engine, select(Group).order_by(col(Group.group_id)))
    names = _frame(engine, select(GroupName.group_id, GroupName.name).order_by(col(GroupName.name)))
    ids = _frame(
        engine,
        select(GroupIdentifier.group_id, GroupIdentifier.value)
        .where(col(GroupIdentifier.scheme) == "un_reference")
        .order_by(col(GroupIdentifier.value)),
    )
    if group_ids is not None:
        groups = groups[groups["group_id"].isin(group_ids)]
    aliases = names.drop_duplicates().groupby("group_id")["name"].agg("; ".join).to_dict()
    references = ids.groupby("group_id")["value"].agg("; ".join).to_dict()
    groups = groups.assign(
        aliases=[aliases.get(group_id, "") for group_id in groups["group_id"]],
        un_reference=[references.get(group_id, "") for group_id in groups["group_id"]],
    )
    return groups[GROUP_COLUMNS_V1].reset_index(drop=True)


def designators(engine: Engine, codes: list[str] | None = None) -> pd.DataFrame:
    """Return designators (all, or the given codes) with their region columns."""
    frame = _frame(engine, select(Designator).order_by(col(Designator.code)))
    if codes is not None:
        frame = frame[frame["code"].isin(codes)].reset_index(drop=True)
    return frame


def sources(engine: Engine, source_ids: list[str] | None = None) -> pd.DataFrame:
    """Return sources (all, or the given ids)."""
    frame = _frame(engine, select(Source).order_by(col(Source.source_id)))
    if source_ids is not None:
        frame = frame[frame["source_id"].isin(source_ids)].reset_index(drop=True)
    return frame


def coverage(engine: Engine) -> pd.DataFrame:
    """Return what is tracked per designator and since when."""
    return _frame(engine, select(Coverage).order_by(col(Coverage.designator_code), col(Coverage.group_id)))


def event_count(engine: Engine, filters: EventFilter = EventFilter()) -> int:
    """Return the number of events matching the filter."""
    with engine.connect() as connection:
        return connection.execute(filters.apply(select(func.count()).select_from(Event))).scalar_one()


def group_choices(engine: Engine) -> pd.DataFrame:
    """Return group ids and names, for pickers."""
    return _frame(engine, select(Group.group_id, Group.name).order_by(col(Group.name)))


def designator_choices(engine: Engine) -> pd.DataFrame:
    """Return the designators that have at least one event, for pickers."""
    statement = (
        select(Designator.code, Designator.name)
        .where(col(Designator.code).in_(select(Event.designator_code).distinct()))
        .order_by(col(Designator.name))
    )
    return _frame(engine, statement)
