"""The size of the real data: floors that a careless edit cannot silently lower."""

from pathlib import Path

import pytest
from sqlalchemy import text

from loaders.build import build_database
from model.db import make_engine

# Counts at the last data review; raise them when data is added, never lower them without a reason.
FLOORS = {"designators": 55, "reviewed_groups": 578, "curated_events": 1701, "events": 2445, "wikidata_qids": 81}


@pytest.fixture(scope="module")
def counts(tmp_path_factory) -> dict[str, int]:
    url = f"sqlite:///{tmp_path_factory.mktemp('coverage') / 'c.db'}"
    build_database(Path("data"), url)
    engine = make_engine(url, read_only=True)
    queries = {
        "designators": "SELECT COUNT(DISTINCT designator_code) FROM events",
        "reviewed_groups": "SELECT COUNT(*) FROM groups WHERE is_reviewed",
        "curated_events": "SELECT COUNT(*) FROM events WHERE origin = 'curated'",
        "events": "SELECT COUNT(*) FROM events",
        "wikidata_qids": "SELECT COUNT(*) FROM groups WHERE wikidata_qid IS NOT NULL",
        "unsourced_events": "SELECT COUNT(*) FROM events WHERE event_id NOT IN (SELECT event_id FROM event_sources)",
        "designators_without_coverage": "SELECT COUNT(DISTINCT designator_code) FROM events "
        "WHERE origin = 'curated' AND designator_code NOT IN (SELECT designator_code FROM coverage)",
    }
    try:
        with engine.connect() as connection:
            return {name: connection.execute(text(sql)).scalar_one() for name, sql in queries.items()}
    finally:
        engine.dispose()


def test_the_data_meets_the_coverage_targets(counts):
    assert counts["designators"] >= 25
    assert counts["reviewed_groups"] >= 300
    assert counts["events"] >= 1500


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_counts_never_shrink_silently(counts, name):
    assert counts[name] >= FLOORS[name], f"{name} fell to {counts[name]} (floor {FLOORS[name]})"


def test_every_event_is_sourced_and_every_designator_has_coverage(counts):
    assert counts["unsourced_events"] == 0
    assert counts["designators_without_coverage"] == 0
