"""Chart builders: DataFrames in, Plotly figures out (no Streamlit, no SQL)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from model.analysis import act_date, status_intervals
from model.dates import format_date, parse_date

STATUS_COLOURS = {"listed": "#b2182b", "reported": "#f4a582", "suspended": "#969696"}
EVENT_SYMBOLS = {
    "listing": "circle",
    "amendment": "diamond",
    "renewal": "triangle-up",
    "suspension": "square",
    "annulment": "x",
    "expiry": "x-open",
    "delisting": "x",
}


def _hover(event: pd.Series) -> str:
    lines = [
        f"<b>{event['designator_name']}</b>: {event['event_type']} ({event['formality']}, {event['category']})",
        f"Name as listed: {event['name_as_listed']}",
    ]
    for column, label in (
        ("decision_date", "Decision"),
        ("publication_date", "Published"),
        ("entry_into_force_date", "In force"),
    ):
        if isinstance(event.get(column), str) and event[column]:
            lines.append(f"{label}: {format_date(event[column])}")
    for column, label in (("authority", "Authority"), ("legal_reference", "Reference"), ("scope", "Scope")):
        if isinstance(event.get(column), str) and event[column]:
            lines.append(f"{label}: {event[column]}")
    first_source = str(event.get("source_urls") or "").split(" ")[0]
    if first_source:
        lines.append(f"Source: {first_source[:80]}")
    return "<br>".join(lines)


LATER_DATES = {"publication_date": ("published", "line-ns"), "entry_into_force_date": ("in force", "star-open")}


def _add_later_dates(figure: go.Figure, events: pd.DataFrame, names: dict[str, str]) -> None:
    """Mark publication and entry into force where they differ from the act date, joined to it by a line."""
    for column, (label, symbol) in LATER_DATES.items():
        xs: list = []
        ys: list = []
        hovers: list = []
        for _, event in events.iterrows():
            value = event.get(column)
            act = act_date(event)
            if not isinstance(value, str) or not value or value == act.text:
                continue
            later = parse_date(value)
            name = names[event["designator_code"]]
            xs += [act.earliest, later.earliest, None]
            ys += [name, name, None]
            hovers += ["", f"{name}: {label} {format_date(value)} (act {format_date(act.text)})", ""]
        if xs:
            figure.add_trace(
                go.Scatter(
                    name=label,
                    mode="lines+markers",
                    x=xs,
                    y=ys,
                    hovertext=hovers,
                    hoverinfo="text",
                    line={"color": "#222", "width": 1, "dash": "dot"},
                    marker={"symbol": symbol, "size": 14, "color": "#222", "line": {"width": 2, "color": "#222"}},
                )
            )


def timeline_figure(events: pd.DataFrame, today: date | None = None) -> go.Figure:
    """One row per designator: status intervals as bars, every event as a marker with its date window.

    A reported ban is drawn hatched and lighter than a formal listing; an imprecise date shows as a
    marker at its first possible day with a bar over the whole window.
    """
    today = today or date.today()
    figure = go.Figure()
    if events.empty:
        return figure
    names = dict(zip(events["designator_code"], events["designator_name"]))
    order = (
        events.assign(_first=[act_date(row).earliest for _, row in events.iterrows()])
        .groupby("designator_code")["_first"]
        .min()
        .sort_values()
        .index.tolist()
    )
    labels = [names[code] for code in order]
    intervals = status_intervals(events)
    for status, colour in STATUS_COLOURS.items():
        rows = intervals[intervals["status"] == status]
        if rows.empty:
            continue
        starts = pd.DatetimeIndex(pd.to_datetime(list(rows["start_earliest"])))
        ends = pd.DatetimeIndex(pd.to_datetime([end if end is not None else today for end in rows["end_latest"]]))
        figure.add_trace(
            go.Bar(
                name=status,
                orientation="h",
                y=[names[c] for c in rows["designator_code"]],
                base=starts,
                x=list((ends - starts).total_seconds() * 1000),
                marker_color=colour,
                marker_pattern_shape="/" if status == "reported" else "",
                opacity=0.55,
                hovertext=[
                    f"{names[c]}: {status} from {format_date(s)}" + (f" to {format_date(e)}" if e else " (open)")
                    for c, s, e in zip(rows["designator_code"], rows["start_date"], rows["end_date"])
                ],
                hoverinfo="text",
            )
        )
    for event_type, symbol in EVENT_SYMBOLS.items():
        rows = events[events["event_type"] == event_type]
        if rows.empty:
            continue
        windows = [act_date(row) for _, row in rows.iterrows()]
        starts = pd.to_datetime([w.earliest for w in windows])
        widths = [
            (w.latest - w.earliest + timedelta(days=1)).days * 86_400_000 if not w.is_exact else 0 for w in windows
        ]
        figure.add_trace(
            go.Scatter(
                name=event_type,
                mode="markers",
                y=[names[c] for c in rows["designator_code"]],
                x=starts,
                marker={
                    "symbol": symbol,
                    "size": 11,
                    "color": ["#444" if f == "formal" else "#fff" for f in rows["formality"]],
                    "line": {"width": 1.5, "color": "#222"},
                },
                error_x={
                    "type": "data",
                    "array": widths,
                    "arrayminus": [0] * len(widths),
                    "symmetric": False,
                    "thickness": 3,
                    "width": 0,
                },
                hovertext=[_hover(row) for _, row in rows.iterrows()],
                hoverinfo="text",
            )
        )
    _add_later_dates(figure, events, names)
    figure.update_layout(
        barmode="overlay",
        height=140 + 45 * len(order),
        xaxis={"type": "date", "title": "date"},
        yaxis={"categoryorder": "array", "categoryarray": labels[::-1], "title": ""},
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )
    return figure


def lag_figure(lags: pd.DataFrame) -> go.Figure:
    """Ranked horizontal bars of each designator's lag in days, with the range imprecise dates allow."""
    ordered = lags.sort_values(["lag_min_days", "lag_max_days"])
    uncertain = ordered["lag_max_days"] - ordered["lag_min_days"]
    figure = go.Figure(
        go.Bar(
            orientation="h",
            y=ordered["designator_name"],
            x=ordered["lag_min_days"],
            marker_color=["#b2182b" if u == 0 else "#ef8a62" for u in uncertain],
            error_x={"type": "data", "array": list(uncertain), "arrayminus": [0] * len(uncertain), "symmetric": False},
            hovertext=[
                f"{name}: {low:,} days" if low == high else f"{name}: {low:,} to {high:,} days (imprecise date)"
                for name, low, high in zip(ordered["designator_name"], ordered["lag_min_days"], ordered["lag_max_days"])
            ],
            hoverinfo="text",
        )
    )
    figure.update_layout(
        height=140 + 40 * len(ordered),
        xaxis_title=f"days after {ordered['reference_code'].iloc[0]}",
        yaxis={"categoryorder": "array", "categoryarray": list(ordered["designator_name"])[::-1]},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )
    return figure
