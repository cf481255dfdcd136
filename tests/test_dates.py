"""The date grammar: precision kept, windows right, comparisons honest about uncertainty."""

from datetime import date

import pytest

from model.dates import DateGrammarError, compare_dates, days_between, format_date, parse_date


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision"),
    [
        ("2015", date(2015, 1, 1), date(2015, 12, 31), "year"),
        ("2015-05", date(2015, 5, 1), date(2015, 5, 31), "month"),
        ("2016-02", date(2016, 2, 1), date(2016, 2, 29), "month"),
        ("2015-10-15", date(2015, 10, 15), date(2015, 10, 15), "day"),
        ("2015-03-01/2015-03-27", date(2015, 3, 1), date(2015, 3, 27), "interval"),
        ("2015-03/2015-04", date(2015, 3, 1), date(2015, 4, 30), "interval"),
    ],
)
def test_parse_keeps_precision_and_window(text, earliest, latest, precision):
    parsed = parse_date(text)
    assert (parsed.text, parsed.earliest, parsed.latest, parsed.precision) == (text, earliest, latest, precision)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " 2015",
        "2015-13",
        "2015-02-30",
        "2015-5",
        "15.10.2015",
        "2015-10-15T00:00",
        "2015/2014",
        "2015-03-27-04:00",
        "0999",
        "2015-04-01/2015-03-01",
    ],
)
def test_parse_rejects_what_is_not_in_the_grammar(text):
    with pytest.raises(DateGrammarError):
        parse_date(text)


def test_compare_is_uncertain_when_windows_overlap():
    assert compare_dates(parse_date("2014-12-29"), parse_date("2015-03")) == "before"
    assert compare_dates(parse_date("2015-05"), parse_date("2015-03")) == "after"
    assert compare_dates(parse_date("2015-05"), parse_date("2015-05-12")) == "uncertain"
    assert compare_dates(parse_date("2015"), parse_date("2015-05")) == "uncertain"
    assert compare_dates(parse_date("2015-05-12"), parse_date("2015-05-12")) == "same"


def test_days_between_gives_the_range_the_precision_allows():
    assert days_between(parse_date("2014-12-29"), parse_date("2015-10-15")) == (290, 290)
    assert days_between(parse_date("2014-12-29"), parse_date("2015-05")) == (123, 153)


def test_format_date_speaks_at_the_recorded_precision():
    assert format_date("2015-10-15") == "15 October 2015"
    assert format_date("2015-05") == "May 2015"
    assert format_date("2015") == "2015"
    assert format_date("2015-03-01/2015-03-27") == "between 1 March 2015 and 27 March 2015"
    assert format_date(None) == ""
