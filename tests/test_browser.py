"""One end-to-end test in a real browser: the app served by Streamlit, read in headless Chromium."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from loaders.build import build_database
from model.db import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served_app(tmp_path: Path):
    if not shutil.which(CHROMIUM):
        reason = "Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    build_database(Path(PROJECT_ROOT / "data"), url)
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


PAGE_URLS = {
    "explore": "explore?designator=KZ",
    "timeline": "timeline?group=g-573fed31",
    "compare": "compare?group=g-573fed31&reference=RU",
    "map": "map?group=g-573fed31&as_of=2016-01-01",
    "group": "group?group=g-573fed31",
    "designator": "designator?designator=KZ",
    "data": "data",
}


def _settle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30000)
    page.wait_for_timeout(1500)  # let charts and the data grid paint


def test_the_app_in_a_real_browser(served_app: str, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("SCREENSHOTS_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)

        # Explore Kazakhstan: the IS row with its decision date, and a download that matches the screen.
        page.goto(f"{served_app}/explore?designator=KZ")
        _settle(page)
        main = page.inner_text('[data-testid="stMain"]')
        assert "events match" in main
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download CSV", exact=True).click()
        rows = Path(download_info.value.path()).read_text(encoding="utf-8").splitlines()
        assert rows[0].startswith("event_id,designator_code,designator_name")
        assert len(rows) > 1 and all(",KZ,Kazakhstan," in row for row in rows[1:])
        assert any(",2015-10-15," in row for row in rows[1:])

        # Filters survive a page switch through the sidebar links.
        page.get_by_role("link", name="Timeline").click()
        _settle(page)
        assert page.url.split("?")[0].endswith("/timeline") and "designator=KZ" in page.url

        # Every page opens from its URL and keeps its filters; a screenshot of each.
        for name, path in PAGE_URLS.items():
            page.goto(f"{served_app}/{path}")
            _settle(page)
            assert page.url.split("?")[0].endswith(f"/{name}")
            for param in path.partition("?")[2].split("&"):
                if param:
                    assert param.replace(",", "%2C") in page.url or param in page.url
            assert "could not be shown" not in page.inner_text('[data-testid="stMain"]')
            page.screenshot(path=str(shots / f"{name}.png"), full_page=False)

        # The diffusion chart (plain traces, built without Plotly's validation) draws its title and lines.
        page.goto(f"{served_app}/compare")
        _settle(page)
        page.get_by_role("tab", name="Diffusion").click()
        page.wait_for_selector("text=Diffusion: designators that have formally listed each group", timeout=15000)
        assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 5
        assert "chart=Diffusion" in page.url  # the open chart is in the address, for a shared link
        page.screenshot(path=str(shots / "compare-diffusion.png"), full_page=False)
        # So does the matrix (a heatmap, also built without validation).
        page.get_by_role("tab", name="Matrix").click()
        page.wait_for_selector("text=First designation (year)", timeout=15000)
        assert page.locator(".js-plotly-plot .heatmaplayer image, .js-plotly-plot .hm image").count() >= 1
        page.screenshot(path=str(shots / "compare-matrix.png"), full_page=False)
        browser.close()
