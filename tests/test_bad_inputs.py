"""The bad-input corpus (tests/bad_inputs/): every case fails naming file, line and field, and changes nothing."""

import hashlib
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.base import ValidationFailed
from loaders.build import build_database
from loaders.importers.base import ImportFailed
from loaders.importing import import_snapshot
from loaders.validate import validate_package
from model.dates import DateGrammarError, parse_date
from model.db import DEFAULT_DATA_DIR

CORPUS = Path(__file__).parent / "bad_inputs"
CURATED_CASES = sorted(p.name for p in (CORPUS / "curated").iterdir())
IMPORTER_CASES = sorted(p.name for p in (CORPUS / "importers").iterdir() if not p.name.endswith(".expected.txt"))


def test_the_corpus_has_at_least_forty_cases():
    assert len(CURATED_CASES) + len(IMPORTER_CASES) >= 40


@pytest.fixture(scope="module")
def curated_only(tmp_path_factory) -> Path:
    """The curated package without the raw snapshots (validation never reaches them)."""
    target = tmp_path_factory.mktemp("curated") / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=shutil.ignore_patterns("raw", "sources"))
    return target


@pytest.fixture(scope="module")
def built_db(tmp_path_factory, curated_only: Path) -> tuple[str, Path]:
    path = tmp_path_factory.mktemp("db") / "designations.db"
    build_database(curated_only, f"sqlite:///{path}")
    return f"sqlite:///{path}", path


def _apply_case(case: Path, data_dir: Path) -> int:
    """Apply a case to a data copy; return the first appended line of its main file (for {line})."""
    first_line = 1
    for path in sorted(case.iterdir()):
        if path.name == "expected.txt":
            continue
        if path.name.endswith(".append"):
            target = data_dir / path.name.removesuffix(".append")
            existing = target.read_bytes()
            if target.name != "event_sources.csv" or first_line == 1:
                first_line = existing.count(b"\n") + 1
            target.write_bytes(existing + path.read_bytes())
        else:
            (data_dir / path.name).write_bytes(path.read_bytes())
    return first_line


@pytest.mark.parametrize("name", CURATED_CASES)
def test_curated_case_fails_clearly_and_leaves_the_database(name: str, curated_only: Path, built_db, tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(curated_only, data_dir)
    events_lines = (data_dir / "events.csv").read_bytes().count(b"\n")
    case = CORPUS / "curated" / name
    main_file = next(
        p.name.removesuffix(".append")
        for p in sorted(case.iterdir())
        if p.name != "expected.txt"
        and not p.name.startswith("event_sources")
        or p.name == "event_sources.csv.append"
        and len(list(case.iterdir())) == 2
    )
    _apply_case(case, data_dir)
    original_lines = events_lines if main_file == "events.csv" else (curated_only / main_file).read_bytes().count(b"\n")
    expected = (case / "expected.txt").read_text(encoding="utf-8").strip().replace("{line}", str(original_lines + 1))
    with pytest.raises(ValidationFailed) as failure:
        validate_package(data_dir)
    assert expected in str(failure.value), str(failure.value)[:2000]
    url, path = built_db
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(ValidationFailed):
        build_database(data_dir, url)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("name", IMPORTER_CASES)
def test_importer_case_fails_clearly_and_stores_nothing(name: str, data_copy: Path):
    slug, expected = (CORPUS / "importers" / f"{name}.expected.txt").read_text(encoding="utf-8").splitlines()
    raw_before = sorted(str(p) for p in (data_copy / "raw").rglob("*"))
    with pytest.raises(ImportFailed) as failure:
        import_snapshot(slug, CORPUS / "importers" / name, data_copy, snapshot_date="2020-01-01")
    assert name in str(failure.value) and expected in str(failure.value)
    assert sorted(str(p) for p in (data_copy / "raw").rglob("*")) == raw_before


@settings(max_examples=300)
@given(text=st.text(max_size=40))
def test_any_text_is_a_date_or_the_projects_own_error(text: str):
    try:
        parsed = parse_date(text)
    except DateGrammarError:
        return
    assert parsed.earliest <= parsed.latest and parsed.text == text


EVENT_COLUMNS = [
    "event_id",
    "designator_code",
    "group_id",
    "name_as_listed",
    "event_type",
    "category",
    "formality",
    "decision_date",
    "publication_date",
    "entry_into_force_date",
    "authority_id",
    "legal_reference",
    "scope",
    "notes",
]
cells = st.one_of(
    st.sampled_from(
        [
            "",
            "RU",
            "g-573fed31",
            "listing",
            "terrorist",
            "formal",
            "2015",
            "2015-13",
            "e-0000cc01",
            "2015-05/2015-04",
            " x",
            "un-sc-1267-committee",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cells, min_size=1, max_size=16), min_size=1, max_size=3))
def test_arbitrary_rows_are_accepted_or_raise_the_projects_own_error(rows, curated_only: Path, tmp_path_factory):
    import csv
    import io

    data_dir = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(curated_only, data_dir)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    with (data_dir / "events.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write(buffer.getvalue())
    try:
        validate_package(data_dir)
    except ValidationFailed as failure:
        assert failure.errors and all(error.file for error in failure.errors)
