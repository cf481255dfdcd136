"""The app under AppTest: it starts, builds its database if needed and shows the events table."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.build import build_database
from model.db import PROJECT_ROOT


@pytest.fixture
def database(tmp_path: Path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    build_database(Path("data"), url)
    return url


@pytest.fixture
def app(database: str) -> AppTest:
    return AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)


def _page(name: str) -> AppTest:
    """A page run on its own (AppTest cannot switch st.navigation pages by URL path)."""
    return AppTest.from_file(str(PROJECT_ROOT / "app_pages" / f"{name}.py"), default_timeout=60)


def test_explore_shows_all_events(app: AppTest):
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    events_in_file = len(Path("data/events.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert len(table) == events_in_file
    assert f"**{events_in_file:,} events** match." in [m.value for m in app.markdown]
    assert app.get("download_button")


def test_explore_restores_filters_from_the_url(app: AppTest):
    app.query_params["designator"] = "UN"
    app.run()
    assert not app.exception
    assert set(app.dataframe[0].value["designator_code"]) == {"UN"}
    assert app.multiselect[0].value == ["UN"]


def test_explore_warns_on_a_bad_date_and_unknown_codes(app: AppTest):
    app.query_params["from"] = "2015-13"
    app.query_params["designator"] = "ZZ,<script>"
    app.run()
    assert not app.exception
    warnings = [w.value for w in app.warning]
    assert any("Ignoring the 'from' date" in w for w in warnings)
    assert any("Ignoring unknown designator or group codes in the address: ZZ, <script>" in w for w in warnings)


def test_timeline_page_draws_the_seed_case(database: str):
    app = _page("timeline")
    app.query_params["group"] = "g-573fed31"
    app.run()
    assert not app.exception
    spec = app.get("plotly_chart")[0].proto.spec
    assert "Uzbekistan" in spec and "Kazakhstan" in spec


def test_compare_page_writes_the_lag_sentences(database: str):
    app = _page("compare")
    app.query_params["group"] = "g-573fed31"
    app.query_params["reference"] = "RU"
    app.run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "290 days after the Supreme Court of the Russian Federation (29 December 2014)" in text


def test_compare_page_warns_on_an_unknown_reference(database: str):
    app = _page("compare")
    app.query_params["reference"] = "<b>XX</b>"
    app.run()
    assert not app.exception
    assert any("Ignoring unknown reference" in w.value for w in app.warning)
