"""The app under AppTest: it starts, builds its database if needed and shows the events table."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.build import build_database
from model.db import PROJECT_ROOT


@pytest.fixture
def app(tmp_path: Path, monkeypatch) -> AppTest:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    build_database(Path("data"), url)
    return AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)


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
