"""Every page under AppTest: URL parameters in, the data shown (rows, traces) out, and no URL can make it raise."""

import json
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.build import build_database
from model.db import PROJECT_ROOT, make_engine
from model.queries import event_count

IS = "g-573fed31"
PAGES = ("explore", "timeline", "compare", "map", "group", "designator", "data")


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'app.db'}"
    build_database(Path("data"), url)
    return url


@pytest.fixture(autouse=True)
def use_database(database: str, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database)


def _run(name: str | None = None, **params: str) -> AppTest:
    """Run the whole app (name None) or one page on its own, with URL parameters."""
    path = PROJECT_ROOT / ("app.py" if name is None else f"app_pages/{name}.py")
    app = AppTest.from_file(str(path), default_timeout=60)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    return app


def _chart_specs(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def test_the_bare_address_opens_explore_with_all_events():
    app = _run()
    engine = make_engine(os.environ["DATABASE_URL"], read_only=True)
    total = event_count(engine)
    engine.dispose()
    assert len(app.dataframe[0].value) == total
    assert f"**{total:,} events** match." in [m.value for m in app.markdown]
    assert [b.proto.label for b in app.get("download_button")] == ["Download CSV", "Download CSV for Excel"]


def test_explore_filters_come_from_the_url():
    app = _run("explore", designator="KZ", group=IS)
    table = app.dataframe[0].value
    assert table["designator_code"].tolist() == ["KZ"]
    assert table[["decision_date", "publication_date"]].values.tolist() == [["2015-10-15", "2015-11-02"]]
    assert set(_run("explore", designator="KZ").dataframe[0].value["designator_code"]) == {"KZ"}


def test_explore_widget_change_updates_rows_and_url():
    app = _run("explore")
    app.sidebar.multiselect(key="filter_designator").set_value(["RU", "TJ"]).run()
    assert set(app.dataframe[0].value["designator_code"]) == {"RU", "TJ"}
    assert app.query_params["designator"] == "RU,TJ"


@pytest.mark.parametrize(
    ("params", "designators"),
    [
        ({"region": "Central Asia", "group": IS}, {"KG", "KZ", "TJ", "UZ"}),
        (
            {"bloc": "CSTO", "group": IS},
            {"KG", "KZ", "RU", "TJ", "UZ"},
        ),  # Uzbekistan was a member 1992-1999 and 2006-2012
        ({"bloc": "CSTO", "designator": "KZ,US"}, {"KZ"}),
        ({"event_type": "amendment", "group": IS, "designator": "UN,US,RU,KZ"}, {"UN", "US"}),
        ({"from": "2015", "to": "2015", "group": IS, "bloc": "CIS"}, {"KG", "KZ", "TJ", "UZ"}),
    ],
)
def test_region_bloc_type_and_date_filters(params, designators):
    assert set(_run("explore", **params).dataframe[0].value["designator_code"]) == designators


def test_timeline_draws_the_seed_case():
    specs = _chart_specs(_run("timeline", group=IS))
    traces = {trace["name"]: trace for trace in specs[0]["data"]}
    assert traces["reported"]["y"] == ["Uzbekistan"]
    assert "Kazakhstan" in traces["published"]["y"] and "Kyrgyzstan" in traces["in force"]["y"]


def test_compare_tells_the_lag_with_citations():
    app = _run("compare", group=IS, reference="RU")
    text = " ".join(m.value for m in app.markdown)
    assert (
        "**Kazakhstan**: court decision 15 October 2015 (published 2 November 2015), 290 days after the "
        "Supreme Court of the Russian Federation (29 December 2014)."
    ) in text
    titles = [spec["layout"]["title"]["text"] for spec in _chart_specs(app)]
    assert len(titles) == 1 and titles[0].startswith("Islamic State")  # only the open tab's chart is drawn


@pytest.mark.parametrize(("tab", "title"), [("Diffusion", "Diffusion"), ("Matrix", "First designation")])
def test_compare_opens_the_chart_its_address_names(tab: str, title: str):
    titles = [spec["layout"]["title"]["text"] for spec in _chart_specs(_run("compare", chart=tab))]
    assert len(titles) == 1 and titles[0].startswith(title)


def test_compare_warns_about_an_unknown_chart_and_opens_the_first():
    app = _run("compare", chart="Pie")
    assert any("Ignoring unknown chart 'Pie'" in w.value for w in app.warning)
    titles = [spec["layout"]["title"]["text"] for spec in _chart_specs(app)]
    assert len(titles) == 1 and "lag behind" in titles[0]


def test_map_shows_status_on_the_chosen_date():
    spec = json.dumps(_chart_specs(_run("map", group=IS, as_of="2015-06-01")))
    assert "Kazakhstan: not listed" in spec and "Russian Federation: listed since 29 December 2014" in spec
    later = _run("map", group=IS, as_of="2016-01-01")
    spec = json.dumps(_chart_specs(later))
    assert "Kazakhstan: listed since 15 October 2015" in spec and "Uzbekistan: reported since 4 November 2015" in spec
    assert [m.value for m in later.metric] == ["listed", "no data"]  # UN listed; the EU is not tracked yet


def test_group_profile_lists_names_in_original_scripts():
    app = _run("group", group=IS)
    assert app.title[0].value == "Islamic State"
    names = app.dataframe[0].value
    assert "القاعده في العراق" in set(names["name"]) and "Исламское государство" in set(names["name"])


def test_designator_profile_lists_authorities_and_coverage():
    app = _run("designator", designator="KZ")
    assert "Esil District Court of Astana" in app.dataframe[0].value["name"].tolist()
    assert IS in app.dataframe[-1].value["group_id"].tolist()


def test_data_page_shows_coverage_sources_and_dictionary():
    app = _run("data")
    coverage = app.dataframe[0].value
    assert {"KG", "KZ", "RU", "TJ", "UN", "US", "UZ", "GB"} <= set(coverage["designator_code"])
    tracked = dict(zip(coverage["designator_code"], coverage["tracked"]))
    assert "Islamic State since 2004-10-18" in tracked["KZ"] and "g-573fed31" not in tracked["KZ"]
    assert "whole list since" in tracked["GB"]
    assert tracked["CA"].startswith("whole list since 2002-07-23; ")  # before the groups tracked beside it
    dictionary = app.dataframe[2].value
    assert {"events.csv", "event_sources.csv"} <= set(dictionary["file"])
    assert app.get("download_button")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "params",
    [
        {"designator": "ZZ,<script>alert(1)</script>", "from": "2015-13", "to": "x" * 5000},
        {"group": "'; DROP TABLE events; --", "as_of": "yesterday", "reference": "<b>XX</b>"},
        {"region": "Atlantis", "bloc": "NOPE", "event_type": "listing,bogus", "category": "x" * 3000},
    ],
)
def test_hostile_urls_warn_and_never_raise(page, params):
    app = _run(page, **params)
    assert app.warning, "an invalid parameter gives a visible warning"


RANDOM_VALUES = [
    "",
    " ",
    "%00",
    "\u202e\u0000x",
    "2015-02-30",
    "9999-99-99/0000",
    "1e308",
    "-1",
    "RU,,KZ,",
    "g-573fed31," * 200,
    "ИГИЛ",
    "داعش",
    "<img src=x onerror=alert(1)>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "x" * 20_000,
]
PARAMS = ["designator", "region", "bloc", "group", "event_type", "category", "from", "to", "as_of", "reference"]


@pytest.mark.parametrize("seed", range(6))
def test_random_query_parameters_never_raise(seed):
    """Random mixes of parameters and values on every page: nothing raises, and nothing is echoed as HTML."""
    import random

    rng = random.Random(seed)
    for page in PAGES:
        params = {key: rng.choice(RANDOM_VALUES) for key in rng.sample(PARAMS, rng.randint(1, 5))}
        app = _run(page, **params)
        assert not any(m.proto.allow_html for m in app.markdown), "no markdown may render raw HTML"
        assert not app.error, [e.value for e in app.error]


def test_compare_opens_on_the_group_listed_by_the_most_designators():
    from model.queries import first_formal_listings

    engine = make_engine(os.environ["DATABASE_URL"], read_only=True)
    listed_by = first_formal_listings(engine).groupby("group_id")["designator_code"].nunique()
    engine.dispose()
    app = _run("compare")
    chosen = app.selectbox[0].value
    assert listed_by[chosen] == listed_by.max() >= listed_by[IS]
