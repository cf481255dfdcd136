"""Chart builders: DataFrames in, Plotly figures out (no Streamlit, no SQL)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from model.analysis import act_date, most_designated_groups, records, status_intervals
from model.dates import format_date, parse_date

# The charts' margins: room for the title, little else.
_MARGIN = {"l": 10, "r": 10, "t": 50, "b": 10}
# Okabe-Ito colours (colour-blind safe).
STATUS_COLOURS = {"listed": "#0072B2", "reported": "#E69F00", "suspended": "#999999"}
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
        for event in records(events):
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


def timeline_figure(events: pd.DataFrame, today: date | None = None, title: str = "") -> go.Figure:
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
        events.assign(_first=[act_date(row).earliest for row in records(events)])
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
        rows_as_records = records(rows)
        windows = [act_date(row) for row in rows_as_records]
        starts = pd.to_datetime([w.earliest for w in windows])
        widths = np.array(
            [(w.latest - w.earliest + timedelta(days=1)).days * 86_400_000 if not w.is_exact else 0 for w in windows]
        )
        # Numbers and numpy arrays pass plotly's validation in bulk; per-point lists of strings do not.
        figure.add_trace(
            go.Scatter(
                name=event_type,
                mode="markers",
                y=np.array([names[c] for c in rows["designator_code"]], dtype=object),
                x=starts,
                marker={
                    "symbol": symbol,
                    "size": 11,
                    "color": (rows["formality"] == "formal").to_numpy(dtype=float),  # 1 filled, 0 hollow
                    "colorscale": [[0, "#fff"], [1, "#444"]],
                    "cmin": 0,
                    "cmax": 1,
                    "line": {"width": 1.5, "color": "#222"},
                },
                error_x={
                    "type": "data",
                    "array": widths,
                    "arrayminus": np.zeros(len(widths)),
                    "symmetric": False,
                    "thickness": 3,
                    "width": 0,
                },
                hovertext=np.array([_hover(row) for row in rows_as_records], dtype=object),
                hoverinfo="text",
            )
        )
    _add_later_dates(figure, events, names)
    figure.update_layout(
        title=title,
        barmode="overlay",
        height=140 + 45 * len(order),
        xaxis={"type": "date", "title": "date of the act"},
        yaxis={"categoryorder": "array", "categoryarray": labels[::-1], "title": ""},
        legend={"orientation": "h", "y": -0.25},
        margin=_MARGIN,
    )
    return figure


def _plain_figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from plain trace and layout dicts, without Plotly's per-property validation.

    Validation cost up to a third of a page's time (25 diffusion traces cost more than the rest of the
    page). Without it, Plotly does not expand shorthands such as title="...", so the dicts are written out
    in full; tests/test_charts.py checks each such figure against a validated copy.
    """
    return go.Figure(data=traces, layout=layout, _validate=False)


def lag_figure(lags: pd.DataFrame, title: str = "") -> go.Figure:
    """Ranked horizontal bars of each designator's lag in days, with the range imprecise dates allow."""
    ordered = lags.sort_values(["lag_min_days", "lag_max_days"])
    uncertain = ordered["lag_max_days"] - ordered["lag_min_days"]
    bars = {
        "type": "bar",
        "orientation": "h",
        "y": ordered["designator_name"].tolist(),
        "x": ordered["lag_min_days"].tolist(),
        "marker": {"color": ["#0072B2" if u == 0 else "#56B4E9" for u in uncertain]},
        "error_x": {
            "type": "data",
            "array": uncertain.tolist(),
            "arrayminus": [0] * len(uncertain),
            "symmetric": False,
        },
        "hovertext": [
            f"{name}: {low:,} days" if low == high else f"{name}: {low:,} to {high:,} days (imprecise date)"
            for name, low, high in zip(ordered["designator_name"], ordered["lag_min_days"], ordered["lag_max_days"])
        ],
        "hoverinfo": "text",
    }
    reference = ordered["reference_code"].iloc[0]
    layout = {
        "title": {"text": title or f"Lag behind {reference} (days)"},
        "height": 160 + 40 * len(ordered),
        "xaxis": {"title": {"text": f"days after the reference ({reference}); negative = before"}},
        "yaxis": {
            "categoryorder": "array",
            "categoryarray": ordered["designator_name"].tolist()[::-1],
            "title": {"text": ""},
        },
        "margin": _MARGIN,
    }
    return _plain_figure([bars], layout)


def designator_years_figure(counts: pd.DataFrame, title: str = "") -> go.Figure:
    """Stacked bars of a designator's groups per year, one colour per status (listed, reported, suspended)."""
    traces = [
        {
            "type": "bar",
            "name": status,
            "x": rows["year"].tolist(),
            "y": rows["groups"].tolist(),
            "marker": {"color": colour},
            "hovertemplate": f"{status}<br>year %{{x}}: %{{y}} groups<extra></extra>",
        }
        for status, colour in STATUS_COLOURS.items()
        if not (rows := counts[counts["status"] == status]).empty
    ]
    layout = {
        "title": {"text": title},
        "barmode": "relative",
        "xaxis": {"title": {"text": "year"}},
        "yaxis": {"title": {"text": "number of groups"}},
        "showlegend": True,  # also for one status, so that its colour is named
        "legend": {"title": {"text": "status"}},
        "margin": _MARGIN,
    }
    return _plain_figure(traces, layout)


MAX_DIFFUSION_GROUPS = 25
MAX_MATRIX_GROUPS = 60


def diffusion_figure(
    curves: pd.DataFrame, group_names: dict[str, str], *, aligned: bool = False, max_groups: int = MAX_DIFFUSION_GROUPS
) -> go.Figure:
    """Step lines of the cumulative number of designators per group (the most designated groups only)."""
    totals = curves.groupby("group_id")["count"].max().sort_values(ascending=False, kind="stable")
    curves = curves[curves["group_id"].isin(totals.index[:max_groups])]
    shown = f" (the {max_groups} most designated of {len(totals):,} groups)" if len(totals) > max_groups else ""
    traces = [
        {
            "type": "scatter",
            "name": group_names.get(group_id, group_id),
            "x": rows["x"].tolist(),
            "y": rows["count"].tolist(),
            "mode": "lines+markers",
            "line": {"shape": "hv"},
            "hovertext": [
                f"{code}: {format_date(d)} (designator #{n})"
                for code, d, n in zip(rows["designator_code"], rows["act_date"], rows["count"])
            ],
            "hoverinfo": "text",
        }
        for group_id, rows in curves.groupby("group_id", sort=True)
    ]
    layout = {
        "title": {"text": f"Diffusion: designators that have formally listed each group{shown}"},
        "xaxis": {"title": {"text": "days since the group's first listing anywhere" if aligned else "date of the act"}},
        "yaxis": {"title": {"text": "number of designators"}},
        "legend": {"title": {"text": "group"}},
        "margin": _MARGIN,
    }
    return _plain_figure(traces, layout)


MATRIX_NO_DATA, MATRIX_NOT_DESIGNATED = "no data", "not designated"


def matrix_figure(
    matrix: pd.DataFrame,
    group_names: dict[str, str],
    designator_names: dict[str, str],
    max_groups: int = MAX_MATRIX_GROUPS,
) -> go.Figure:
    """Heatmap of groups x designators: year of first designation; 'not designated' and 'no data' differ.

    Only the `max_groups` most designated groups are drawn; the page's download holds the whole matrix.
    """
    total = len(matrix)
    matrix = matrix.loc[most_designated_groups(matrix, max_groups)]
    shown = f" ({max_groups} most designated of {total:,} groups)" if total > max_groups else ""

    cells = matrix.to_numpy(dtype=object)
    no_data, not_designated = cells == MATRIX_NO_DATA, cells == MATRIX_NOT_DESIGNATED
    z = np.where(no_data, 0.0, np.where(not_designated, 1.0, 2.0))  # arrays: plotly checks them in bulk
    text = np.where(not_designated, "·", np.where(no_data, "", cells)).astype(object)
    heatmap = {
        "type": "heatmap",
        "z": z,
        "x": [designator_names.get(c, c) for c in matrix.columns],
        "y": [group_names.get(g, g) for g in matrix.index],
        "text": text,
        "texttemplate": "%{text}",
        "zmin": 0,
        "zmax": 2,
        "showscale": False,
        "colorscale": [
            [0, "#ffffff"],
            [0.33, "#ffffff"],
            [0.34, "#e0e0e0"],
            [0.66, "#e0e0e0"],
            [0.67, "#0072B2"],
            [1, "#0072B2"],
        ],
        "customdata": cells,
        "hovertemplate": "%{y} / %{x}: %{customdata}<extra></extra>",
        "xgap": 2,
        "ygap": 2,
    }
    layout = {
        "title": {"text": f"First designation (year){shown}; grey · = tracked, not designated; white = no data"},
        "xaxis": {"title": {"text": "designator"}},
        "yaxis": {"title": {"text": "group"}},
        "margin": _MARGIN,
        "height": max(450, 200 + 20 * len(matrix)),  # a readable row and label per group
    }
    return _plain_figure([heatmap], layout)


MAP_COLOURS = {
    "listed": "#0072B2",
    "reported": "#E69F00",
    "suspended": "#999999",
    "delisted": "#CC79A7",
    "not_listed": "#F0E442",
    "no_data": "#FFFFFF",
}


def status_map_figure(statuses: pd.DataFrame, title: str) -> go.Figure:
    """World map of each state's status; `statuses` has iso3, name, status, label (hover text)."""
    figure = go.Figure()
    for status, colour in MAP_COLOURS.items():
        rows = statuses[statuses["status"] == status]
        if rows.empty:
            continue
        figure.add_trace(
            go.Choropleth(
                locations=rows["iso3"],
                z=[1] * len(rows),
                locationmode="ISO-3",
                name=status.replace("_", " "),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                showlegend=True,
                marker_line_color="#666",
                marker_line_width=0.4,
                hovertext=rows["label"],
                hoverinfo="text",
            )
        )
    figure.update_layout(
        title=title,
        legend_title="status",
        margin={"l": 0, "r": 0, "t": 50, "b": 0},
        height=520,
        geo={"showframe": False, "showcoastlines": False, "projection_type": "natural earth"},
    )
    return figure
