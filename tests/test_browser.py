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


def test_explore_in_a_real_browser(served_app: str, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        page.goto(f"{served_app}/?designator=KZ,RU")
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30000)
        page.get_by_text("Download these events (CSV)").wait_for()
        page.wait_for_timeout(1500)  # let the data grid paint before the screenshot
        assert "2 events" in page.inner_text('[data-testid="stMain"]')
        page.screenshot(path=str(tmp_path / "explore.png"), full_page=True)
        with page.expect_download() as download_info:
            page.get_by_text("Download these events (CSV)").click()
        downloaded = Path(download_info.value.path()).read_text(encoding="utf-8").splitlines()
        assert downloaded[0].startswith("event_id,designator_code,designator_name")
        assert len(downloaded) == 3
        browser.close()
