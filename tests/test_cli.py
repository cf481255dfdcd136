"""The command line as a user runs it, and the README's promises about it."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from model.db import PROJECT_ROOT


def _run(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["export"], ["new-id"]])
def test_every_command_has_help(command):
    result = _run(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: python -m loaders")


def test_check_on_the_real_data_passes():
    result = _run("check")
    assert result.returncode == 0, result.stderr
    assert "no errors" in result.stdout


def test_check_all_lists_every_warning_the_default_only_counts():
    default, every = _run("check"), _run("check", "--all")
    total = int(re.search(r"warnings: (\d+)", every.stdout).group(1))
    assert every.stdout.count("  warning: ") == total
    assert default.stdout.count("  warning: ") < total
    assert "more warnings of the same kinds" in default.stdout and "more warnings" not in every.stdout


def test_build_then_export_gives_the_seed_case(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    built = _run("build", "--db", url)
    assert built.returncode == 0, built.stderr
    assert "loading events" in built.stderr  # progress
    events_in_file = len(Path("data/events.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert re.search(rf"events\s+{events_in_file:,}\s+[\d,]+\s+0", built.stdout)  # read, loaded, rejected
    assert "un_sc_consolidated: 4 snapshot(s)" in built.stderr
    exported = _run(
        "export", "--out", str(tmp_path / "x"), "--db", url, "--designator", "KZ,RU", "--group", "g-573fed31"
    )
    assert exported.returncode == 0, exported.stderr
    lines = (tmp_path / "x" / "events.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert ",2014-12-29,,," in lines[1] and ",2015-10-15,2015-11-02,," in lines[2]


def test_export_refuses_a_bad_date_argument(tmp_path: Path):
    result = _run("export", "--out", str(tmp_path), "--from", "15.10.2015")
    assert result.returncode == 2
    assert "is not a date" in result.stderr


def test_new_ids_are_opaque_and_fresh():
    first, second = _run("new-id", "group").stdout.strip(), _run("new-id", "group").stdout.strip()
    assert re.fullmatch(r"g-[0-9a-f]{8}", first) and first != second


def test_readme_commands_are_the_ones_ci_runs():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(python3 -m venv[^\n]+)\n```", readme)
    assert len(commands) == 2, "the README gives exactly two set-up commands"
    assert "streamlit run app.py" in commands[0]
    assert commands[1] in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
