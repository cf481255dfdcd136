"""Read queries: filtered events and the tables of an export, as DataFrames (no Streamlit here)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Boolean, Engine, Select, case, func, or_, select
from sqlmodel import col

from model.dates import parse_date
from model.tables import (
    Authority,
    Bloc,
    BlocMember,
    Coverage,
    Designator,
    DesignatorSummary,
    DesignatorYear,
    Event,
    EventSource,
    Group,
    GroupIdentifier,
    GroupName,
    GroupSummary,
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
    event_types: tuple[str, ...] = field(default_factory=tuple)
    categories: tuple[str, ...] = field(default_factory=tuple)
    event_ids: tuple[str, ...] = field(default_factory=tuple)

    def apply(self, statement: Select) -> Select:
        """Add the filter's conditions; a date range keeps events whose act date may fall inside it."""
        if self.designators:
            statement = statement.where(col(Event.designator_code).in_(self.designators))
        if self.groups:
            statement = statement.where(col(Event.group_id).in_(self.groups))
        if self.event_ids:
            statement = statement.where(col(Event.event_id).in_(self.event_ids))
        if self.event_types:
            statement = statement.where(col(Event.event_type).in_(self.event_types))
        if self.categories:
            statement = statement.where(col(Event.category).in_(self.categories))
        if self.date_from:
            earliest = parse_date(self.date_from).earliest.isoformat()
            statement = statement.where(col(Event.act_date_latest) >= earliest)
        if self.date_to:
            latest = parse_date(self.date_to).latest.isoformat()
            statement = statement.where(col(Event.act_date_earliest) <= latest)
        return statement


def _frame(engine: Engine, statement: Select) -> pd.DataFrame:
    """Run `statement` and return its rows as an object-dtype frame (SQL NULL stays None).

    Rows come straight from the driver's cursor (SQLAlchemy's per-row processing costs more than the
    query on large results); the only conversion needed, SQLite's 0/1 booleans, is done per column.
    """
    with engine.connect() as connection:
        result = connection.execute(statement)
        columns = list(result.keys())
        frame = pd.DataFrame(result.cursor.fetchall(), columns=columns, dtype=object)
        result.close()
    for column in statement.selected_columns:
        if isinstance(column.type, Boolean) and column.name in frame:
            frame[column.name] = [None if value is None else bool(value) for value in frame[column.name]]
    return frame


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


def v1_statement(*extra) -> Select:
    """The events.csv v1 columns (names joined in, source addresses as built), then `extra` columns."""
    return (
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
            func.coalesce(col(Event.source_urls), "").label("source_urls"),
            Event.notes,
            *extra,
        )
        .join(Designator, col(Designator.code) == col(Event.designator_code))
        .join(Group, col(Group.group_id) == col(Event.group_id))
        .outerjoin(Authority, col(Authority.authority_id) == col(Event.authority_id))
    )


ACT_DATE_ORDER = (col(Event.act_date_earliest), col(Event.designator_code), col(Event.event_id))


def events_v1(engine: Engine, filters: EventFilter = EventFilter(), limit: int | None = None) -> pd.DataFrame:
    """Return the filtered events in the events.csv v1 layout, ordered by act date (the first `limit` only)."""
    statement = filters.apply(v1_statement()).order_by(*ACT_DATE_ORDER)
    if limit is not None:
        statement = statement.limit(limit)
    frame = _frame(engine, statement)
    return frame[EVENT_COLUMNS_V1]


# Where a spreadsheet would start a formula (loaders.safe_csv neutralises such cells).
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


def events_v1_rows(engine: Engine, filters: EventFilter = EventFilter(), batch: int = 10_000):
    """Yield the filtered events in the v1 layout as tuples, in batches, straight from the database.

    Each tuple ends with a flag that is true when one of its text cells starts like a formula, so the
    writer neutralises only those rows.
    """
    text_columns = [
        col(Designator.name),
        col(Group.name),
        col(Event.name_as_listed),
        col(Event.decision_date),
        col(Event.publication_date),
        col(Event.entry_into_force_date),
        col(Authority.name),
        col(Event.legal_reference),
        col(Event.scope),
        col(Event.notes),
        col(Event.event_id),
        col(Event.group_id),
        col(Event.source_urls),
    ]
    risky = or_(*(func.substr(c, 1, 1).in_(FORMULA_STARTS) for c in text_columns))
    statement = filters.apply(v1_statement(case((risky, 1), else_=0).label("is_risky"))).order_by(*ACT_DATE_ORDER)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            # SQLite hands rows over as the query steps, so the driver's plain tuples stream as they are.
            result = connection.execute(statement)
            while rows := result.cursor.fetchmany(batch):
                yield rows
        else:
            # Elsewhere a server-side cursor keeps memory flat; SQLAlchemy buffers its first rows itself.
            result = connection.execution_options(yield_per=batch).execute(statement)
            yield from result.partitions()
        result.close()


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
    """Return sources (all, or the given ids) with the columns of sources.csv."""
    columns = [c for c in Source.__table__.columns if c.name != "cited_by"]
    frame = _frame(engine, select(*columns).order_by(col(Source.source_id)))
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


# What dating an act needs: who, what kind, and its three dates (no joins).
ACT_COLUMNS = (
    Event.event_id,
    Event.designator_code,
    Event.group_id,
    Event.event_type,
    Event.formality,
    Event.decision_date,
    Event.publication_date,
    Event.entry_into_force_date,
)


def status_events(engine: Engine, filters: EventFilter = EventFilter()) -> pd.DataFrame:
    """The matching events with only the columns status intervals need (no joins, no sources)."""
    statement = filters.apply(select(*ACT_COLUMNS, Event.name_as_listed, Event.category, Event.scope))
    return _frame(engine, statement)


def designator_years(engine: Engine, designator_code: str) -> pd.DataFrame:
    """How many groups the designator had of each status at some point of each year (built with the data)."""
    statement = (
        select(DesignatorYear.year, DesignatorYear.status, DesignatorYear.groups)
        .where(col(DesignatorYear.designator_code) == designator_code)
        .order_by(col(DesignatorYear.year), col(DesignatorYear.status))
    )
    return _frame(engine, statement)


def group_event_counts(engine: Engine, filters: EventFilter = EventFilter()) -> pd.Series:
    """Number of matching events per group id, most first (ties by id)."""
    count = func.count().label("events")
    statement = filters.apply(select(Event.group_id, count).group_by(col(Event.group_id)))
    frame = _frame(engine, statement.order_by(count.desc(), col(Event.group_id)))
    return pd.Series(frame["events"].to_numpy(dtype=int), index=frame["group_id"].tolist(), dtype=int)


def _ranked_first_listings(filters: EventFilter):
    """A subquery of the matching formal listings with their rank within each (group, designator) by act date."""
    rank = (
        func.row_number()
        .over(
            partition_by=(col(Event.group_id), col(Event.designator_code)),
            order_by=(col(Event.act_date_earliest), col(Event.act_date_latest), col(Event.event_id)),
        )
        .label("rank")
    )
    return filters.apply(
        select(*ACT_COLUMNS, rank).where(col(Event.event_type) == "listing", col(Event.formality) == "formal")
    ).subquery()


def _only_who(filters: EventFilter) -> bool:
    """True when the filter names only designators and groups, so the build's first-listing flag answers."""
    return filters == EventFilter(designators=filters.designators, groups=filters.groups)


def first_formal_listings(engine: Engine, filters: EventFilter = EventFilter()) -> pd.DataFrame:
    """Each (group, designator)'s first formal listing among the matching events, ranked in SQL.

    The same rows model.analysis.first_designations_of_all keeps, so it can finish the job on far fewer rows.
    Without a date, type, category or id filter the build's precomputed flag answers; otherwise SQL ranks.
    """
    if _only_who(filters):
        statement = filters.apply(select(*ACT_COLUMNS).where(col(Event.is_first_formal_listing)))
        return _frame(engine, statement.order_by(col(Event.group_id), col(Event.designator_code)))
    ranked = _ranked_first_listings(filters)
    statement = select(*[c for c in ranked.c if c.name != "rank"]).where(ranked.c.rank == 1)
    return _frame(engine, statement.order_by(ranked.c.group_id, ranked.c.designator_code))


def first_listing_counts(engine: Engine, filters: EventFilter = EventFilter()) -> pd.Series:
    """How many designators formally listed each group among the matching events, most first (ties by id)."""
    designators = func.count().label("designators")
    if filters == EventFilter():  # the whole database: counted by the build
        statement = select(GroupSummary.group_id, GroupSummary.designators).order_by(
            col(GroupSummary.designators).desc(), col(GroupSummary.group_id)
        )
    elif _only_who(filters):
        statement = filters.apply(
            select(Event.group_id, designators).where(col(Event.is_first_formal_listing)).group_by(col(Event.group_id))
        ).order_by(designators.desc(), col(Event.group_id))
    else:
        ranked = _ranked_first_listings(filters)
        statement = (
            select(ranked.c.group_id, designators)
            .where(ranked.c.rank == 1)
            .group_by(ranked.c.group_id)
            .order_by(designators.desc(), ranked.c.group_id)
        )
    frame = _frame(engine, statement)
    return pd.Series(frame["designators"].to_numpy(dtype=int), index=frame["group_id"].tolist(), dtype=int)


def source_list(engine: Engine, limit: int | None = None) -> pd.DataFrame:
    """Every cited source once (the `limit` most cited), with the number of events citing it, most cited first."""
    statement = (
        select(
            Source.source_id,
            Source.title,
            Source.publisher,
            Source.publication_date,
            Source.url,
            col(Source.cited_by).label("events"),
        )
        .where(col(Source.cited_by) > 0)
        .order_by(col(Source.cited_by).desc(), col(Source.source_id))
    )
    return _frame(engine, statement if limit is None else statement.limit(limit))


def cited_source_count(engine: Engine) -> int:
    """How many sources at least one event cites."""
    with engine.connect() as connection:
        return connection.execute(select(func.count()).where(col(Source.cited_by) > 0)).scalar_one()


def group_choices(engine: Engine) -> pd.DataFrame:
    """Return group ids and names, for pickers."""
    return _frame(engine, select(Group.group_id, Group.name).order_by(col(Group.name)))


def designator_choices(engine: Engine) -> pd.DataFrame:
    """Return the designators that have at least one event, for pickers."""
    statement = (
        select(Designator.code, Designator.name)
        .where(col(Designator.code).in_(select(DesignatorSummary.designator_code)))  # those with events
        .order_by(col(Designator.name))
    )
    return _frame(engine, statement)


def region_members(engine: Engine) -> dict[str, set[str]]:
    """Map each M49 region and sub-region name to the designator codes in it."""
    frame = _frame(engine, select(Designator.code, Designator.region, Designator.sub_region))
    members: dict[str, set[str]] = {}
    for code, region, sub_region in frame.itertuples(index=False):
        for name in (region, sub_region):
            if name:
                members.setdefault(name, set()).add(code)
    return members


def bloc_members(engine: Engine) -> dict[str, set[str]]:
    """Map each bloc to the designators that have ever been members (dates in bloc_members)."""
    frame = _frame(engine, select(BlocMember.bloc, BlocMember.designator_code))
    members: dict[str, set[str]] = {}
    for bloc, code in frame.itertuples(index=False):
        members.setdefault(bloc, set()).add(code)
    return members


def bloc_names(engine: Engine) -> dict[str, str]:
    """Map bloc codes to their names."""
    return dict(_frame(engine, select(Bloc.bloc, Bloc.name).order_by(col(Bloc.bloc))).itertuples(index=False))


def group_names(engine: Engine, group_id: str) -> pd.DataFrame:
    """Other names of one group, with the source each was seen in."""
    statement = (
        select(
            GroupName.name,
            GroupName.name_type,
            GroupName.language,
            GroupName.script,
            GroupName.valid_from,
            GroupName.valid_to,
            col(Source.url).label("source_url"),
        )
        .outerjoin(Source, col(Source.source_id) == col(GroupName.source_id))
        .where(col(GroupName.group_id) == group_id)
        .order_by(col(GroupName.name_type), col(GroupName.name))
    )
    return _frame(engine, statement)


def group_identifiers(engine: Engine, group_id: str) -> pd.DataFrame:
    """External ids of one group."""
    statement = (
        select(GroupIdentifier.scheme, GroupIdentifier.value)
        .where(col(GroupIdentifier.group_id) == group_id)
        .order_by(col(GroupIdentifier.scheme), col(GroupIdentifier.value))
    )
    return _frame(engine, statement)


def group_profile(engine: Engine, group_id: str) -> dict[str, object]:
    """The group's own row (name, Wikidata QID, description), or an empty dict."""
    frame = _frame(engine, select(Group).where(col(Group.group_id) == group_id))
    return frame.iloc[0].to_dict() if not frame.empty else {}


def authorities(engine: Engine, designator_code: str) -> pd.DataFrame:
    """The authorities of one designator, with how many of its events each issued."""
    issued = (
        select(Event.authority_id, func.count().label("events"))
        .where(col(Event.designator_code) == designator_code)
        .group_by(col(Event.authority_id))
        .subquery()
    )
    statement = (
        select(
            Authority.name,
            Authority.name_original,
            Authority.kind,
            func.coalesce(issued.c.events, 0).label("events"),
        )
        .outerjoin(issued, issued.c.authority_id == col(Authority.authority_id))
        .where(col(Authority.designator_code) == designator_code)
        .order_by(col(Authority.name), col(Authority.authority_id))
    )
    return _frame(engine, statement)


def coverage_summary(engine: Engine) -> pd.DataFrame:
    """Per designator with events: event count, first and last act dates, and what coverage says."""
    statement = (
        select(
            DesignatorSummary.designator_code,
            col(Designator.name).label("designator_name"),
            DesignatorSummary.events,
            DesignatorSummary.first_act,
            DesignatorSummary.last_act,
        )
        .join(Designator, col(Designator.code) == col(DesignatorSummary.designator_code))
        .order_by(col(Designator.name))
    )
    summary = _frame(engine, statement)
    # A whole list is named before the single groups tracked beside it.
    tracked = coverage(engine).sort_values("group_id", key=lambda g: g != "*", kind="stable")
    names = dict(_frame(engine, select(Group.group_id, Group.name)).itertuples(index=False))
    described = (
        tracked.assign(
            what=[
                ("whole list" if g == "*" else names.get(g, g)) + f" since {f}"
                for g, f in zip(tracked["group_id"], tracked["tracked_from"])
            ]
        )
        .groupby("designator_code")
        .agg(
            tracked=("what", "; ".join),
            method=("method", lambda m: "; ".join(sorted(set(m)))),
            last_verified=("last_verified", "max"),
        )
    )
    return summary.merge(described, left_on="designator_code", right_index=True, how="left")
