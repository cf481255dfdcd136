"""Derived logic on events (pure pandas): status intervals, status on a date, first designations, lag."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from model.dates import FuzzyDate, compare_dates, days_between, parse_date

INTERVAL_COLUMNS = [
    "designator_code",
    "group_id",
    "category",
    "status",
    "start_date",
    "start_earliest",
    "start_latest",
    "end_date",
    "end_earliest",
    "end_latest",
    "end_reason",
    "name_as_listed",
    "scope",
    "opening_event_id",
    "closing_event_id",
]
# Above this many rows, sort_rows takes its columns in parallel threads.
PARALLEL_TAKE_ROWS = 200_000
# On the same day, an act that ends a listing comes first (a revocation and a new designation on one
# day, as when a wing's listing is replaced by the whole organisation's), then listings, then changes.
SAME_DAY_ORDER = {
    "annulment": 0,
    "expiry": 0,
    "delisting": 0,
    "listing": 1,
    "renewal": 2,
    "amendment": 3,
    "suspension": 4,
}


def records(frame: pd.DataFrame) -> list[dict]:
    """The frame's rows as plain dicts (faster than to_dict("records") on object columns)."""
    columns = list(frame.columns)
    return [dict(zip(columns, row)) for row in frame.itertuples(index=False, name=None)]


def sort_rows(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`frame` sorted by `columns`, as `sort_values(columns, ignore_index=True)` (stable, missing last).

    Arrow's sort is used because it is several times faster than pandas' on text columns at 1M rows.
    """
    keys = pa.table({str(i): _whole(as_arrow(frame[column])) for i, column in enumerate(columns)})
    order = pc.sort_indices(keys, sort_keys=[(str(i), "ascending") for i in range(len(columns))])
    if len(frame) < PARALLEL_TAKE_ROWS:
        return pd.DataFrame({name: _take(frame[name], order) for name in frame.columns})
    # Arrow's take runs without the GIL: large columns are taken on every core at once.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        taken = pool.map(lambda name: _take(frame[name], order), frame.columns)
        return pd.DataFrame(dict(zip(frame.columns, taken, strict=True)))


def _take(values: pd.Series, order: pa.Array):
    """The column's values in `order`: Arrow-backed text through Arrow's take (faster than pandas' on text)."""
    if isinstance(values.array, pd.arrays.ArrowStringArray):
        return pd.Series(type(values.array)(pc.take(_whole(values.array._pa_array), order)), dtype=values.dtype)
    return values.to_numpy()[order.to_numpy()]


def _whole(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """The values as one array when they fit in one, else as they are.

    Arrow sorts and takes from one array several times faster than across the reader's hundreds of
    chunks; one array holds up to 2 GB of text (32-bit offsets), so columns of 1 GB or more stay chunked.
    """
    if isinstance(values, pa.ChunkedArray) and values.nbytes < 1 << 30:
        return values.combine_chunks()
    return values


def as_arrow(values: pd.Series, type_: pa.DataType | None = None) -> pa.Array:
    """The column as an Arrow array: Arrow-backed text as it is, anything else from numpy (NaN as null)."""
    source = values.array if isinstance(values.dtype, pd.StringDtype) else values.to_numpy()
    return pa.array(source, type=type_, from_pandas=True)


def _text(value: object) -> str:
    """A recorded text value, with None and NaN read as empty."""
    return value if isinstance(value, str) else ""


def _first_present(row: pd.Series, columns: tuple[str, ...]) -> FuzzyDate:
    for column in columns:
        value = _text(row.get(column))
        if value:
            return parse_date(value)
    raise ValueError(f"event {row.get('event_id')!r} has none of the dates {columns}")


def act_date(row: pd.Series) -> FuzzyDate:
    """The date of the act itself: decision, else publication, else entry into force."""
    return _first_present(row, ("decision_date", "publication_date", "entry_into_force_date"))


def effective_date(row: pd.Series) -> FuzzyDate:
    """The date an act changes status: entry into force, else decision, else publication."""
    return _first_present(row, ("entry_into_force_date", "decision_date", "publication_date"))


def status_intervals(events: pd.DataFrame) -> pd.DataFrame:
    """Return one row per interval of status (listed, reported, suspended) per designator, group, category.

    A listing opens an interval; an amendment closes it and opens the next one (so renames and
    scope changes show); a suspension pauses it; a delisting, expiry or annulment closes it; a later
    listing reopens. An interval with no end is still open.
    """
    if events.empty:
        return pd.DataFrame(columns=INTERVAL_COLUMNS)
    when_text = _effective_text(events)
    dates = {text: parse_date(text) for text in when_text.unique()}
    ordered = sort_rows(
        events.assign(
            _when_text=when_text,
            _when=when_text.map({text: day.earliest for text, day in dates.items()}),
            _rank=events["event_type"].map(SAME_DAY_ORDER),
        ),
        ["designator_code", "group_id", "category", "_when", "_rank", "event_id"],
    )
    walked = zip(
        *(
            ordered[column].tolist()
            for column in (
                "designator_code",
                "group_id",
                "category",
                "event_type",
                "formality",
                "_when_text",
                "event_id",
                "name_as_listed",
                "scope",
            )
        )
    )
    rows: list[list] = []
    key = None
    current: list | None = None  # the open interval, a row in INTERVAL_COLUMNS order
    for code, group_id, category, kind, formality, when, event_id, name, scope in walked:
        if (code, group_id, category) != key:
            if current is not None:
                rows.append(current)
            key, current = (code, group_id, category), None
        day = dates[when]
        scope = scope if isinstance(scope, str) and scope else None
        closing = None
        if kind in ("listing", "renewal"):
            status = "reported" if formality == "reported" else "listed"
            if current is None:
                current = [code, group_id, category, status, when, day.earliest, day.latest, None, None, None, None]
                current += [name, scope, event_id, None]
                continue
            if current[3] != status:  # a suspension lifted, or a reported ban followed by a formal act
                closing, opening = ("resumed" if current[3] == "suspended" else "superseded"), (status, name, scope)
        elif current is None:
            continue
        elif kind == "amendment":
            closing, opening = "amended", (current[3], name, scope or current[12])
        elif kind == "suspension" and current[3] != "suspended":
            closing, opening = "suspended", ("suspended", current[11], current[12])
        elif kind in ("delisting", "expiry", "annulment"):
            closing, opening = kind, None
        if closing is None:
            continue
        current[7:11] = [when, day.earliest, day.latest, closing]
        current[14] = event_id
        rows.append(current)
        current = None
        if opening is not None:
            status, name, scope = opening
            current = [code, group_id, category, status, when, day.earliest, day.latest, None, None, None, None]
            current += [name, scope, event_id, None]
    if current is not None:
        rows.append(current)
    return pd.DataFrame(rows, columns=INTERVAL_COLUMNS, dtype=object)


def _effective_text(events: pd.DataFrame) -> pd.Series:
    """Each event's effective date as written (entry into force, else decision, else publication)."""
    when_text = _first_text(events, ("entry_into_force_date", "decision_date", "publication_date"))
    if (when_text == "").any():
        missing = events["event_id"].to_numpy()[(when_text == "").to_numpy()][0]
        raise ValueError(f"event {missing!r} has none of the dates")
    return when_text


def _first_text(events: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """Per row, the first of `columns` that holds text ("" when none does)."""
    chosen = events[columns[0]].fillna("")
    for column in columns[1:]:
        chosen = chosen.where(chosen != "", events[column].fillna(""))
    return chosen


def _place(day: date, earliest: date, latest: date) -> str:
    if day < earliest:
        return "before"
    if day >= latest:
        return "on_or_after"
    return "uncertain"


def as_of_status(events: pd.DataFrame, coverage: pd.DataFrame, group_id: str, on_date: date) -> pd.DataFrame:
    """Return each designator's status for `group_id` on `on_date`.

    status is listed, reported, suspended, delisted (any closed interval), not_listed (tracked, no
    listing yet) or no_data (not tracked then); is_uncertain says the date falls inside an imprecise
    event date, so the status may be either side of it.
    """
    intervals = status_intervals(events[events["group_id"] == group_id])
    covered = _covered_designators(coverage, group_id, on_date)
    by_designator: dict[str, list[dict]] = {}
    for interval in records(intervals):
        by_designator.setdefault(interval["designator_code"], []).append(interval)
    codes = sorted(set(by_designator) | set(coverage["designator_code"]))
    rows = []
    for code in codes:
        rows.append({"designator_code": code, **_status_of(by_designator.get(code, []), on_date, code in covered)})
    return pd.DataFrame(rows, columns=["designator_code", "status", "is_uncertain", "since", "event_id"], dtype=object)


def _covered_designators(coverage: pd.DataFrame, group_id: str, on_date: date) -> set[str]:
    covered = set()
    for row in records(coverage[coverage["group_id"].isin(["*", group_id])]):
        start = parse_date(row["tracked_from"]).earliest
        end = parse_date(_text(row["tracked_to"]) or row["last_verified"]).latest
        if start <= on_date <= end:
            covered.add(row["designator_code"])
    return covered


def _status_of(intervals: list[dict], on_date: date, is_covered: bool) -> dict:
    started = []
    for interval in intervals:
        start = _place(on_date, interval["start_earliest"], interval["start_latest"])
        if start == "before":
            continue
        if interval["end_date"] is None:
            end = "before"
        else:
            end = _place(on_date, interval["end_earliest"], interval["end_latest"])
        if end == "before":
            return {
                "status": interval["status"],
                "is_uncertain": start == "uncertain",
                "since": interval["start_date"],
                "event_id": interval["opening_event_id"],
            }
        started.append((interval, end == "uncertain"))
    if started:
        interval, is_uncertain = started[-1]
        return {
            "status": "delisted",
            "is_uncertain": is_uncertain,
            "since": interval["end_date"],
            "event_id": interval["closing_event_id"],
        }
    if not is_covered:
        return {"status": "no_data", "is_uncertain": False, "since": None, "event_id": None}
    return {"status": "not_listed", "is_uncertain": False, "since": None, "event_id": None}


def _act_windows(events: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each event's act date text (decision, else publication, else entry into force) and its window."""
    decision = events["decision_date"].fillna("")
    publication = events["publication_date"].fillna("")
    act = decision.where(decision != "", publication)
    act = act.where(act != "", events["entry_into_force_date"].fillna(""))
    windows = {text: parse_date(text) for text in act.unique()}
    earliest = act.map({text: window.earliest for text, window in windows.items()})
    latest = act.map({text: window.latest for text, window in windows.items()})
    return act, earliest, latest


def first_designations_of_all(events: pd.DataFrame, *, include_reported: bool = False) -> pd.DataFrame:
    """Each (group, designator)'s first listing, by act date; rows ordered by group, then earliest first."""
    listings = events[events["event_type"] == "listing"]
    if not include_reported:
        listings = listings[listings["formality"] == "formal"]
    if listings.empty:
        return listings.assign(act_date=[], act_earliest=[], act_latest=[])
    if not {"act_date", "act_earliest", "act_latest"} <= set(listings.columns):  # else dated by an earlier call
        act, earliest, latest = _act_windows(listings)
        listings = listings.assign(act_date=act, act_earliest=earliest, act_latest=latest)
    listings = listings.sort_values(["group_id", "act_earliest", "act_latest", "designator_code", "event_id"])
    return listings.drop_duplicates(["group_id", "designator_code"], keep="first").reset_index(drop=True)


def first_designations(events: pd.DataFrame, group_id: str, *, include_reported: bool = False) -> pd.DataFrame:
    """Return each designator's first listing of the group, by act date, earliest first."""
    return first_designations_of_all(events[events["group_id"] == group_id], include_reported=include_reported)


def lag_behind_reference(
    events: pd.DataFrame, group_id: str, reference: str = "first", *, include_reported: bool = False
) -> pd.DataFrame:
    """Return each designator's first listing with its lag in days behind the reference's first listing.

    `reference` is "first" (whoever listed the group first) or a designator code. lag_min_days and
    lag_max_days bound the lag that the two dates' precision allows (equal when both are exact days);
    order says whether the designator certainly acted before, after, the same day, or uncertain.
    Raises ValueError when the reference designator never listed the group.
    """
    firsts = first_designations(events, group_id, include_reported=include_reported)
    if firsts.empty:
        return firsts
    if reference == "first":
        reference_row = firsts.iloc[0]
    else:
        matches = firsts[firsts["designator_code"] == reference]
        if matches.empty:
            raise ValueError(f"{reference} has no listing of group {group_id}")
        reference_row = matches.iloc[0]
    reference_date = parse_date(reference_row["act_date"])
    lags = [days_between(reference_date, parse_date(text)) for text in firsts["act_date"]]
    orders = [compare_dates(parse_date(text), reference_date) for text in firsts["act_date"]]
    return firsts.assign(
        reference_code=reference_row["designator_code"],
        reference_date=reference_date.text,
        lag_min_days=[low for low, _ in lags],
        lag_max_days=[high for _, high in lags],
        order=orders,
    )


def diffusion_curves(events: pd.DataFrame, *, aligned: bool = False) -> pd.DataFrame:
    """Cumulative count of designators that formally listed each group, step by step.

    Each step is at a first listing's earliest possible day (its `act_latest` is kept so imprecision
    can be shown). With `aligned`, x is the number of days since the group's first listing anywhere.
    Returns group_id, designator_code, act_date, x, count.
    """
    columns = ["group_id", "designator_code", "act_date", "x", "count"]
    firsts = first_designations_of_all(events)
    if firsts.empty:
        return pd.DataFrame(columns=columns)
    by_group = firsts.groupby("group_id", sort=False)
    count = by_group.cumcount() + 1
    if aligned:
        origin = by_group["act_earliest"].transform("first")
        x = [(day - start).days for day, start in zip(firsts["act_earliest"], origin)]
    else:
        x = firsts["act_earliest"]
    return firsts.assign(x=x, count=count)[columns].reset_index(drop=True)


def first_designation_matrix(
    events: pd.DataFrame, coverage: pd.DataFrame, groups: list[str] | None = None
) -> pd.DataFrame:
    """Groups x designators: the year of the first formal listing, 'not designated' (tracked, none)
    or 'no data' (the designator is not tracked for that group). Rows: `groups`, else the events' groups."""
    designators = sorted(set(events["designator_code"]) | set(coverage["designator_code"]))
    groups = sorted(events["group_id"].unique()) if groups is None else list(groups)
    row_of = {group_id: row for row, group_id in enumerate(groups)}
    column_of = {code: column for column, code in enumerate(designators)}
    cells = np.full((len(groups), len(designators)), "no data", dtype=object)
    whole_lists = sorted(set(coverage.loc[coverage["group_id"] == "*", "designator_code"]))
    cells[:, [column_of[code] for code in whole_lists]] = "not designated"
    tracked = coverage[coverage["group_id"].isin(groups)]
    for group_id, code in zip(tracked["group_id"], tracked["designator_code"]):
        cells[row_of[group_id], column_of[code]] = "not designated"
    firsts = first_designations_of_all(events)
    for group_id, code, earliest, latest in zip(
        firsts["group_id"], firsts["designator_code"], firsts["act_earliest"], firsts["act_latest"]
    ):
        if group_id in row_of:
            label = str(earliest.year) if earliest.year == latest.year else f"{earliest.year}-{latest.year}"
            cells[row_of[group_id], column_of[code]] = label
    matrix = pd.DataFrame(cells, index=groups, columns=designators, dtype=object)
    return matrix


def most_listed_groups(firsts: pd.DataFrame, candidates: list[str], limit: int) -> list[str]:
    """Up to `limit` of `candidates`: those formally listed by the most designators first, then the rest in order."""
    return most_listed(firsts.groupby("group_id")["designator_code"].nunique(), candidates, limit)


def most_listed(listed_by: pd.Series, candidates: list[str], limit: int) -> list[str]:
    """Up to `limit` of `candidates`, by how many designators listed each (`listed_by`), ties in candidate order."""
    listed = listed_by.reindex(candidates, fill_value=0)
    return listed.sort_values(ascending=False, kind="stable").index[:limit].tolist()


def most_designated_groups(matrix: pd.DataFrame, limit: int) -> list[str]:
    """The `limit` groups of a first-designation matrix with the most designators, most first."""
    designated = (~matrix.isin(["no data", "not designated"])).sum(axis=1)
    return designated.sort_values(ascending=False, kind="stable").index[:limit].tolist()


def groups_per_year(intervals: pd.DataFrame, last_year: int, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """For each year and status, how many groups had an interval of that status at some point of the year.

    Returns year, status, groups for every year from the first interval to `last_year` and each of
    listed, reported, suspended (zero where none); with `by` (e.g. designator_code), one such grid
    per value of those columns, which lead. An open interval runs to `last_year`.
    """
    if intervals.empty:
        return pd.DataFrame(columns=[*by, "year", "status", "groups"])
    spans = intervals[[*by, "status", "group_id"]].assign(
        first=[day.year for day in intervals["start_earliest"]],
        last=[last_year if day is None else min(day.year, last_year) for day in intervals["end_latest"]],
    )
    return count_spans(spans, last_year, by)


def count_spans(spans: pd.DataFrame, last_year: int, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Yearly counts of groups per status from spans (by..., status, group_id, first, last years).

    A group's overlapping spans of one status are merged first, so each group counts once a year;
    then each merged span adds one from its first year to its last (a difference array).
    """
    statuses = ["listed", "reported", "suspended"]
    columns = [*by, "year", "status", "groups"]
    if spans.empty:
        return pd.DataFrame(columns=columns)
    keys = [*by, "status", "group_id"]
    spans = sort_rows(spans, [*keys, "first", "last"])
    key_codes = spans.groupby(keys, sort=False).ngroup().to_numpy()  # rising, as the rows are sorted by key
    offset = key_codes * 100_000  # keeps each key's years apart, so one running maximum serves every key
    reach = np.maximum.accumulate(spans["last"].to_numpy() + offset)
    starts_span = np.ones(len(spans), dtype=bool)
    starts_span[1:] = (key_codes[1:] != key_codes[:-1]) | (spans["first"].to_numpy()[1:] + offset[1:] > reach[:-1])
    merged = (
        spans.assign(span=np.cumsum(starts_span))
        .groupby("span", sort=False)
        .agg(**{k: (k, "first") for k in keys[:-1]}, first=("first", "min"), last=("last", "max"))
    )
    first_year = int(spans["first"].min())
    years = np.arange(first_year, last_year + 1)
    # One row of yearly counts per (by..., status): +1 where a span starts, -1 after it ends, summed along.
    outer = merged[list(by)].drop_duplicates().sort_values(list(by)) if by else pd.DataFrame(index=[0])
    grid = outer.loc[outer.index.repeat(len(statuses))].reset_index(drop=True)
    grid["status"] = statuses * len(outer)
    rows = merged.merge(grid.assign(_row=np.arange(len(grid))), on=[*by, "status"], how="left")["_row"].to_numpy()
    delta = np.zeros((len(grid), len(years) + 1), dtype=np.int64)
    np.add.at(delta, (rows, merged["first"].to_numpy(dtype=np.int64) - first_year), 1)
    np.add.at(delta, (rows, merged["last"].to_numpy(dtype=np.int64) - first_year + 1), -1)
    counts = np.cumsum(delta, axis=1)[:, :-1]
    result = grid.loc[grid.index.repeat(len(years))].reset_index(drop=True)
    result["year"] = np.tile(years, len(grid))
    result["groups"] = counts.reshape(-1)
    return result[columns].sort_values([*by, "year", "status"], key=_status_order, ignore_index=True)


STATUS_CODES = ("closed", "listed", "reported", "suspended")
OPENING = ("listing", "renewal")
CLOSING = ("delisting", "expiry", "annulment")


def status_spans(events: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """The years of each status of each designator's group, as `status_intervals` gives them, in array steps.

    Returns designator_code, status, group_id, first, last (years) for `count_spans`; the names and
    scopes that split intervals are left out, as a count of groups per status does not need them. After
    each event the status is set by the last listing, renewal or closing act of its designator, group
    and category: closed after a closing act; else suspended if a suspension came after that listing;
    else listed (or reported, for a reported ban). Amendments change no status; as in the walk, an
    imprecise one can only carry a span on to its latest possible year.
    """
    columns = ["designator_code", "status", "group_id", "first", "last"]
    if events.empty:
        return pd.DataFrame(columns=columns)
    when_text = _effective_text(events)
    # Dates repeat a lot: parse each distinct one once, then work with its number.
    date_codes, distinct = pd.factorize(when_text.to_numpy(dtype=object))
    parsed = [parse_date(text) for text in distinct]
    earliest_day = np.array([day.earliest.toordinal() for day in parsed], dtype=np.int64)
    earliest_year = np.array([day.earliest.year for day in parsed], dtype=np.int64)
    latest_year = np.array([day.latest.year for day in parsed], dtype=np.int64)
    keys = ["designator_code", "group_id", "category"]
    ordered = sort_rows(
        events[[*keys, "event_type", "formality", "event_id"]].assign(
            _date=date_codes,
            _when=earliest_day[date_codes],
            _rank=events["event_type"].map(SAME_DAY_ORDER).to_numpy(),
        ),
        [*keys, "_when", "_rank", "event_id"],
    )
    count = len(ordered)
    position = np.arange(count)
    key_codes = ordered.groupby(keys, sort=False).ngroup().to_numpy()
    key_start = np.maximum.accumulate(np.where(np.r_[True, key_codes[1:] != key_codes[:-1]], position, 0))
    kind = ordered["event_type"].to_numpy(dtype=object)
    opening, closing = np.isin(kind, OPENING), np.isin(kind, CLOSING)
    last_set = np.maximum.accumulate(np.where(opening | closing, position, -1))
    last_suspension = np.maximum.accumulate(np.where(kind == "suspension", position, -1))
    reported = ordered["formality"].to_numpy(dtype=object) == "reported"
    set_here = last_set >= key_start
    anchor = np.where(set_here, last_set, 0)
    state = np.where(
        ~set_here | closing[anchor],
        0,
        np.where(last_suspension > last_set, 3, np.where(reported[anchor], 2, 1)),
    )
    # A run of one state starts where the state changes within a key; it ends where the next run starts.
    new_run = np.r_[True, (key_codes[1:] != key_codes[:-1]) | (state[1:] != state[:-1])]
    starts = np.flatnonzero(new_run)
    ends_key = np.r_[key_codes[starts[1:]] != key_codes[starts[:-1]], True]
    when = ordered["_date"].to_numpy()
    first_year = earliest_year[when[starts]]
    next_start = np.r_[starts[1:], count - 1]
    end_year = latest_year[when[next_start]]
    # The walk also closes and reopens an interval at each amendment, ending that piece at the
    # amendment's latest possible day: an imprecise amendment can reach past the act that ends the run.
    amended_until = np.maximum.reduceat(np.where(kind == "amendment", latest_year[when], 0), starts)
    last = np.where(ends_key, last_year, np.minimum(np.maximum(end_year, amended_until), last_year))
    open_runs = state[starts] != 0
    return pd.DataFrame(
        {
            "designator_code": ordered["designator_code"].to_numpy(dtype=object)[starts][open_runs],
            "status": np.array(STATUS_CODES, dtype=object)[state[starts][open_runs]],
            "group_id": ordered["group_id"].to_numpy(dtype=object)[starts][open_runs],
            "first": first_year[open_runs],
            "last": last[open_runs],
        }
    )


def _status_order(values: pd.Series) -> pd.Series:
    order = {"listed": 0, "reported": 1, "suspended": 2}
    return values.map(order) if values.name == "status" else values
