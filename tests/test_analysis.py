"""Derived logic on the real seed case: intervals, status on a date, first designations and lag."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.build import build_database
from model import queries
from model.analysis import (
    as_of_status,
    count_spans,
    first_designations,
    groups_per_year,
    lag_behind_reference,
    status_intervals,
    status_spans,
)
from model.db import make_engine

IS = "g-573fed31"
SEED = ["US", "UN", "RU", "KG", "TJ", "KZ", "UZ"]


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    url = f"sqlite:///{tmp_path_factory.mktemp('seed') / 'seed.db'}"
    build_database(Path("data"), url)
    engine = make_engine(url, read_only=True)
    try:
        return queries.events_v1(engine), queries.coverage(engine)
    finally:
        engine.dispose()


def test_us_listing_is_split_by_each_rename(seed):
    events, _ = seed
    intervals = status_intervals(events[(events["designator_code"] == "US") & (events["group_id"] == IS)])
    assert intervals[["status", "start_date", "end_date", "end_reason", "name_as_listed"]].values.tolist() == [
        ["listed", "2004-10-15", "2004-12-17", "amended", "Jama'at al-Tawhid wa'al-Jihad"],
        ["listed", "2004-12-17", "2012-01-26", "amended", "Jam'at al Tawhid wa'al-Jihad"],
        ["listed", "2012-01-26", "2012-12", "amended", "al-Qa'ida in Iraq"],
        ["listed", "2012-12", "2014-05-14", "amended", "al-Qa'ida in Iraq"],
        ["listed", "2014-05-14", "2015-09-30", "amended", "Islamic State of Iraq and the Levant"],
        ["listed", "2015-09-30", "2019-03-22", "amended", "Islamic State of Iraq and the Levant"],
        [
            "listed",
            "2019-03-22",
            None,
            None,
            "Islamic State of Iraq and Syria (ISIS) and other aliases: Amaq News Agency; Al Hayat Media Center",
        ],
    ]


def test_reported_ban_and_entry_into_force_shape_the_intervals(seed):
    events, _ = seed
    seed = events[events["designator_code"].isin(["KG", "UZ"]) & (events["group_id"] == IS)]
    intervals = status_intervals(seed).set_index("designator_code")
    assert intervals.loc["KG", "start_date"] == "2015-03-16"  # entry into force, not the ruling
    assert intervals.loc["UZ", "status"] == "reported"


def test_delisting_suspension_and_relisting():
    rows = [
        ("e-1", "listing", "2001-01-10", None),
        ("e-2", "suspension", "2003-05", None),
        ("e-3", "listing", "2004", None),
        ("e-4", "delisting", "2010-06-01", None),
        ("e-5", "listing", "2012-02-02", "military wing only"),
    ]
    events = pd.DataFrame(
        [
            {
                "event_id": i,
                "designator_code": "GB",
                "group_id": "g-1",
                "category": "terrorist",
                "event_type": t,
                "formality": "formal",
                "decision_date": d,
                "publication_date": None,
                "entry_into_force_date": None,
                "name_as_listed": "X",
                "scope": s,
            }
            for i, t, d, s in rows
        ]
    )
    intervals = status_intervals(events)
    assert intervals[["status", "start_date", "end_date", "end_reason", "scope"]].values.tolist() == [
        ["listed", "2001-01-10", "2003-05", "suspended", None],
        ["suspended", "2003-05", "2004", "resumed", None],
        ["listed", "2004", "2010-06-01", "delisting", None],
        ["listed", "2012-02-02", None, None, "military wing only"],
    ]
    coverage = pd.DataFrame(
        [
            {
                "designator_code": "GB",
                "group_id": "*",
                "tracked_from": "2000",
                "tracked_to": None,
                "last_verified": "2026-11-24",
            }
        ]
    )
    status = lambda day: as_of_status(events, coverage, "g-1", day).iloc[0][["status", "is_uncertain"]].tolist()  # noqa: E731
    assert status(date(2000, 6, 1)) == ["not_listed", False]
    assert status(date(2003, 5, 10)) == ["suspended", True]  # some day in May 2003
    assert status(date(2003, 8, 1)) == ["suspended", False]
    assert status(date(2004, 6, 1)) == ["listed", True]  # resumed some day in 2004: the later state, flagged
    assert status(date(2011, 1, 1)) == ["delisted", False]
    assert status(date(2013, 1, 1)) == ["listed", False]


def test_status_on_a_date_separates_not_listed_from_no_data(seed):
    events, coverage = seed

    def statuses(day: date) -> dict[str, tuple[str, bool]]:
        frame = as_of_status(events, coverage, IS, day)
        return {
            row.designator_code: (row.status, row.is_uncertain)
            for row in frame.itertuples()
            if row.designator_code in SEED
        }

    assert statuses(date(2010, 1, 1)) == {
        "UN": ("listed", False),
        "US": ("listed", False),
        "RU": ("not_listed", False),
        "KG": ("not_listed", False),
        "TJ": ("not_listed", False),
        "KZ": ("not_listed", False),
        "UZ": ("not_listed", False),
    }
    on_1_may_2015 = statuses(date(2015, 5, 1))
    assert on_1_may_2015["RU"] == ("listed", False)
    assert on_1_may_2015["KG"] == ("listed", False)
    assert on_1_may_2015["TJ"] == ("listed", True)  # decided some day in April or May 2015
    assert statuses(date(2015, 3, 1))["KG"] == ("not_listed", False)  # ruled in February, in force 16 March
    assert statuses(date(2016, 1, 1))["UZ"] == ("reported", False)
    assert statuses(date(2004, 1, 1))["UN"] == ("no_data", False)  # before coverage starts


def test_lag_behind_russia_in_days_with_honest_ranges(seed):
    events, _ = seed
    lag = lag_behind_reference(events, IS, "RU").set_index("designator_code")
    assert lag.loc["KZ", ["act_date", "lag_min_days", "lag_max_days", "order"]].tolist() == [
        "2015-10-15",
        290,
        290,
        "after",
    ]
    assert lag.loc["KG", ["lag_min_days", "lag_max_days"]].tolist() == [46, 46]
    assert lag.loc["TJ", ["act_date", "lag_min_days", "lag_max_days", "order"]].tolist() == [
        "2015-04/2015-05",
        93,
        153,
        "after",
    ]
    assert lag.loc["UN", ["lag_min_days", "order"]].tolist() == [-3724, "before"]
    assert "UZ" not in lag.index  # a reported ban is not a formal designation


def test_first_designations_order_and_reported_bans(seed):
    events, _ = seed
    firsts = first_designations(events, IS)
    assert [c for c in firsts["designator_code"] if c in SEED] == ["US", "UN", "RU", "KG", "TJ", "KZ"]
    with_reported = first_designations(events, IS, include_reported=True)
    assert [c for c in with_reported["designator_code"] if c in SEED][-1] == "UZ"
    first_anywhere = lag_behind_reference(events, IS, "first")
    assert first_anywhere["reference_code"].unique().tolist() == ["US"]
    with pytest.raises(ValueError, match="UZ has no listing"):
        lag_behind_reference(events, IS, "UZ")


def test_the_seed_case_in_the_diffusion_curves_and_the_matrix(seed):
    events, coverage = seed
    from model.analysis import diffusion_curves, first_designation_matrix

    curves = diffusion_curves(events[events["group_id"] == IS], aligned=True)
    firsts = first_designations(events, IS)
    assert curves["designator_code"].tolist() == firsts["designator_code"].tolist()
    assert curves["count"].tolist() == list(range(1, len(firsts) + 1))
    assert curves["x"].iloc[0] == 0 and curves["x"].is_monotonic_increasing
    kz = curves[curves["designator_code"] == "KZ"].iloc[0]
    assert kz["act_date"] == "2015-10-15"
    assert kz["x"] == (date(2015, 10, 15) - firsts["act_earliest"].iloc[0]).days

    matrix = first_designation_matrix(events, coverage)
    assert matrix.at[IS, "KZ"] == "2015" and matrix.at[IS, "RU"] == "2014"
    assert matrix.at[IS, "UZ"] != "2015"  # a reported ban is not a formal designation
    assert set(matrix.loc[IS]) >= {"2004", "2014", "2015"}


def test_imprecise_windows_across_years_and_tracked_but_not_designated():
    from model.analysis import diffusion_curves, first_designation_matrix, most_designated_groups
    from model.charts import diffusion_figure, matrix_figure

    def event(event_id, code, group, decision, event_type="listing", formality="formal"):
        return {
            "event_id": event_id,
            "designator_code": code,
            "group_id": group,
            "event_type": event_type,
            "formality": formality,
            "decision_date": decision,
            "publication_date": "",
            "entry_into_force_date": "",
        }

    events = pd.DataFrame(
        [
            event("e-1", "AA", "g-1", "2015-12/2016-01"),
            event("e-2", "BB", "g-1", "2014-03-02"),
            event("e-3", "BB", "g-1", "2016-01-01"),  # a later listing by the same designator is not a first
            event("e-4", "AA", "g-2", "2010"),
            event("e-5", "CC", "g-2", "2011-05", formality="reported"),
        ]
    )
    coverage = pd.DataFrame([{"designator_code": "BB", "group_id": "*"}, {"designator_code": "CC", "group_id": "g-1"}])
    matrix = first_designation_matrix(events, coverage)
    assert matrix.loc["g-1"].to_dict() == {"AA": "2015-2016", "BB": "2014", "CC": "not designated"}
    assert matrix.loc["g-2"].to_dict() == {"AA": "2010", "BB": "not designated", "CC": "no data"}
    curves = diffusion_curves(events)
    assert curves[["group_id", "designator_code", "count"]].values.tolist() == [
        ["g-1", "BB", 1],
        ["g-1", "AA", 2],
        ["g-2", "AA", 1],
    ]
    assert most_designated_groups(matrix, 1) == ["g-1"]
    figure = matrix_figure(matrix, {}, {}, max_groups=1)
    assert list(figure.data[0].y) == ["g-1"] and "1 most designated of 2 groups" in figure.layout.title.text
    figure = diffusion_figure(curves, {}, max_groups=1)
    assert [trace.name for trace in figure.data] == ["g-1"]


def test_groups_per_year_counts_each_group_once_per_status_and_year():
    from model.analysis import groups_per_year

    def interval(group, status, start, end):
        return {
            "group_id": group,
            "status": status,
            "start_earliest": date(*start),
            "end_latest": None if end is None else date(*end),
        }

    intervals = pd.DataFrame(
        [
            interval("g-1", "listed", (2014, 12, 29), (2015, 3, 1)),  # a rename: two intervals, one group
            interval("g-1", "listed", (2015, 3, 1), None),
            interval("g-2", "reported", (2015, 11, 4), (2016, 6, 30)),
            interval("g-2", "listed", (2016, 6, 30), None),
        ]
    )
    counts = groups_per_year(intervals, 2017).set_index(["year", "status"])["groups"]
    assert counts[(2014, "listed")] == 1 and counts[(2015, "listed")] == 1
    assert counts[(2016, "listed")] == 2 and counts[(2017, "listed")] == 2
    assert counts[(2015, "reported")] == 1 and counts[(2016, "reported")] == 1 and counts[(2017, "reported")] == 0
    assert counts[(2016, "suspended")] == 0
    assert sorted(set(counts.index.get_level_values("year"))) == [2014, 2015, 2016, 2017]


def test_fast_intervals_and_yearly_counts_match_the_row_by_row_oracle(tmp_path):
    """The build's and the app's interval walk and per-year counts equal the first, row-by-row versions,
    on the real events and on a synthetic package with every event type and date precision."""
    from interval_oracle import slow_groups_per_year, slow_status_intervals

    from bench.generate import generate_package
    from loaders.validate import validate_package
    from model.analysis import groups_per_year
    from model.db import DEFAULT_DATA_DIR

    generate_package(tmp_path / "data", 4000)
    for folder in (DEFAULT_DATA_DIR, tmp_path / "data"):
        events = validate_package(folder).tables["events"].replace("", None)
        fast, slow = status_intervals(events), slow_status_intervals(events)
        assert len(fast) > 100
        pd.testing.assert_frame_equal(fast, slow)
        for code, own in fast.groupby("designator_code"):
            expected = slow_groups_per_year(own, 2026).astype({"year": int, "groups": int})
            got = groups_per_year(own, 2026).astype({"year": int, "groups": int})
            pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True), obj=code)
        by_designator = groups_per_year(fast, 2026, by=("designator_code",))
        assert set(by_designator["designator_code"]) == set(fast["designator_code"])
        from_spans = count_spans(status_spans(events, 2026), 2026, by=("designator_code",))
        pd.testing.assert_frame_equal(from_spans, by_designator, check_dtype=False)


_KINDS = ["listing", "renewal", "amendment", "suspension", "delisting", "expiry", "annulment"]


@settings(max_examples=200, deadline=None)
@given(
    acts=st.lists(
        st.tuples(
            st.sampled_from(["RU", "KZ"]),
            st.sampled_from(["g-1", "g-2"]),
            st.sampled_from(["terrorist", "extremist"]),
            st.sampled_from(_KINDS),
            st.sampled_from(["formal", "reported"]),
            st.sampled_from(["2014", "2014-12", "2014-12-29", "2015-03", "2015-05-14", "2016", "2016/2018"]),
        ),
        max_size=12,
    )
)
def test_the_build_s_status_spans_count_as_the_interval_walk(acts):
    """Any sequence of acts: yearly counts from the array-step spans equal those from the interval walk."""
    events = pd.DataFrame(
        [
            {
                "event_id": f"e-{i:08x}",
                "designator_code": code,
                "group_id": group,
                "category": category,
                "event_type": kind,
                "formality": formality,
                "decision_date": day,
                "publication_date": None,
                "entry_into_force_date": None,
                "name_as_listed": "x",
                "scope": None,
            }
            for i, (code, group, category, kind, formality, day) in enumerate(acts)
        ],
        columns=["event_id", "designator_code", "group_id", "category", "event_type", "formality", "decision_date"]
        + ["publication_date", "entry_into_force_date", "name_as_listed", "scope"],
    )
    expected = groups_per_year(status_intervals(events), 2020, by=("designator_code",))
    got = count_spans(status_spans(events, 2020), 2020, by=("designator_code",))
    if expected.empty:
        assert got.empty
    else:
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_the_built_yearly_counts_are_those_of_each_designators_own_events(tmp_path):
    """designator_years, stored by the build, equals the per-year count of the designator's events."""
    from model.analysis import groups_per_year

    url = f"sqlite:///{tmp_path / 'years.db'}"
    build_database(Path("data"), url)
    engine = make_engine(url, read_only=True)
    try:
        for code in ("RU", "KZ", "UN", "US"):
            stored = queries.designator_years(engine, code).astype({"year": int, "status": str, "groups": int})
            own = queries.status_events(engine, queries.EventFilter(designators=(code,)))
            expected = groups_per_year(status_intervals(own), date.today().year)
            expected = expected[expected["groups"] > 0].astype({"year": int, "status": str, "groups": int})
            assert not stored.empty
            pd.testing.assert_frame_equal(
                stored.sort_values(["year", "status"], ignore_index=True),
                expected[["year", "status", "groups"]].sort_values(["year", "status"], ignore_index=True),
            )
    finally:
        engine.dispose()
