"""Charts and sentences built from the real seed case: traces, hover text, honest ranges."""

from pathlib import Path

import pytest

from loaders.build import build_database
from model import queries
from model.analysis import lag_behind_reference
from model.charts import lag_figure, timeline_figure
from model.db import make_engine
from model.narrative import describe_lag, lag_sentences

IS = "g-573fed31"


@pytest.fixture(scope="module")
def all_events(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('charts') / 'c.db'}"
    build_database(Path("data"), url)
    engine = make_engine(url, read_only=True)
    try:
        return queries.events_v1(engine, queries.EventFilter())
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def events(all_events):
    return all_events[all_events["group_id"] == IS].reset_index(drop=True)


def test_timeline_draws_formal_and_reported_status_differently(events):
    figure = timeline_figure(events)
    traces = {trace.name: trace for trace in figure.data}
    assert {"listed", "reported", "listing", "amendment", "published", "in force"} <= set(traces)
    assert list(traces["reported"].y) == ["Uzbekistan"]
    assert traces["reported"].marker.pattern.shape == "/"
    assert traces["listed"].marker.pattern.shape == ""
    rows = list(figure.layout.yaxis.categoryarray)[::-1]
    seed = [
        "United States",
        "United Nations Security Council",
        "Russian Federation",
        "Kyrgyzstan",
        "Tajikistan",
        "Kazakhstan",
        "Uzbekistan",
    ]
    assert [row for row in rows if row in seed] == seed  # ordered by first act


def test_timeline_hover_carries_dates_authority_reference_and_source(events):
    listing = next(t for t in timeline_figure(events).data if t.name == "listing")
    kazakhstan = next(h for h in listing.hovertext if h.startswith("<b>Kazakhstan</b>"))
    assert "Decision: 15 October 2015" in kazakhstan and "Published: 2 November 2015" in kazakhstan
    assert "Authority: Esil District Court of Astana" in kazakhstan and "Source: http" in kazakhstan
    published = next(t for t in timeline_figure(events).data if t.name == "published")
    assert "Kazakhstan: published 2 November 2015 (act 15 October 2015)" in published.hovertext


def test_imprecise_dates_are_drawn_as_windows(events):
    listing = next(t for t in timeline_figure(events).data if t.name == "listing")
    tajikistan = list(listing.y).index("Tajikistan")
    assert listing.error_x.array[tajikistan] == 61 * 86_400_000  # April and May 2015
    assert listing.error_x.array[list(listing.y).index("Kazakhstan")] == 0


def test_lag_chart_and_sentences(events):
    seed = events[events["designator_code"].isin(["US", "UN", "RU", "KG", "TJ", "KZ", "UZ"])]
    lags = lag_behind_reference(seed, IS, "RU")
    figure = lag_figure(lags)
    assert list(figure.data[0].y) == [
        "United States",
        "United Nations Security Council",
        "Russian Federation",
        "Kyrgyzstan",
        "Tajikistan",
        "Kazakhstan",
    ]
    sentences = lag_sentences(lags)
    assert sentences[-1].startswith(
        "**Kazakhstan**: court decision 15 October 2015 (published 2 November 2015), 290 days after the Supreme "
        "Court of the Russian Federation (29 December 2014)."
    )
    assert "between 93 and 153 days after" in next(s for s in sentences if s.startswith("**Tajikistan**"))
    assert all("[source](http" in s for s in sentences)


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        (290, 290, "290 days after"),
        (93, 153, "between 93 and 153 days after"),
        (-3724, -3724, "3,724 days before"),
        (0, 0, "the same day as"),
        (-10, 20, "between 10 days before and 20 days after"),
    ],
)
def test_describe_lag(low, high, text):
    assert describe_lag(low, high) == text


def test_reported_bans_are_hollow_markers_and_formal_acts_filled(events):
    figure = timeline_figure(events)
    listing = next(trace for trace in figure.data if trace.name == "listing")
    colour = dict(zip(listing.y, listing.marker.color))
    assert colour["Uzbekistan"] == 0 and colour["Kazakhstan"] == 1
    assert listing.marker.colorscale[0][1] == "#fff" and listing.marker.colorscale[-1][1] == "#444"


def _validated(figure):
    """Plotly's fully validated copy of a figure built without validation (raises on any invalid property)."""
    import plotly.graph_objects as go

    return go.Figure(figure.to_dict())


def test_figures_built_without_validation_are_valid_and_drawn_the_same(events):
    """The compare page's three charts and the designator page's skip Plotly's validation for speed: a
    validated copy accepts every property and keeps the same data, titles and sizes."""
    import json

    from loaders.build import designator_years
    from model.analysis import diffusion_curves, first_designation_matrix, first_designations_of_all
    from model.charts import designator_years_figure, diffusion_figure, matrix_figure

    firsts = first_designations_of_all(events[(events["event_type"] == "listing") & (events["formality"] == "formal")])
    coverage = events[["designator_code"]].drop_duplicates().assign(group_id="*")
    figures = [
        lag_figure(lag_behind_reference(events, IS, "RU")),
        diffusion_figure(diffusion_curves(firsts), {IS: "Islamic State"}),
        matrix_figure(first_designation_matrix(firsts, coverage), {IS: "Islamic State"}, {"RU": "Russia"}),
        designator_years_figure(designator_years(events, 2025), "Groups on the list each year"),
    ]
    for figure in figures:
        checked = _validated(figure)
        assert json.loads(checked.to_json())["data"] == json.loads(figure.to_json())["data"]
        assert checked.layout.title.text == figure.layout.title.text and figure.layout.title.text
        assert checked.layout.height == figure.layout.height


@pytest.mark.parametrize(("code", "statuses"), [("RU", {"listed", "suspended"}), ("LK", {"listed", "reported"})])
def test_designator_years_are_stacked_by_status_in_their_colours(all_events, code, statuses):
    from loaders.build import designator_years
    from model.charts import STATUS_COLOURS, designator_years_figure

    counts = designator_years(all_events, 2025)
    expected = counts[counts["designator_code"] == code]
    assert statuses <= set(expected["status"])
    figure = designator_years_figure(expected, code)
    assert figure.layout.barmode == "relative" and figure.layout.title.text == code
    drawn = {trace.name: (list(trace.x), list(trace.y), trace.marker.color) for trace in figure.data}
    assert set(drawn) == set(expected["status"])
    for status, rows in expected.groupby("status"):
        assert drawn[status] == (rows["year"].tolist(), rows["groups"].tolist(), STATUS_COLOURS[status])
