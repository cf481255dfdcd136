"""Plain-language sentences about lags, with the precision and the sources of their dates."""

from __future__ import annotations

import pandas as pd

from model.analysis import records
from model.dates import format_date

ACT_NOUNS = {
    "supreme_court": "court decision",
    "lower_court": "court decision",
    "military_court": "court decision",
    "executive": "executive decision",
    "legislature": "law",
    "intergovernmental_committee": "listing",
    "council": "council decision",
}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def describe_act(row: pd.Series) -> str:
    """'court decision 15 October 2015 (published 2 November 2015)' at each date's own precision."""
    noun = "reported ban" if row["formality"] == "reported" else ACT_NOUNS.get(_text(row.get("authority_kind")), "act")
    decision, publication = _text(row.get("decision_date")), _text(row.get("publication_date"))
    in_force = _text(row.get("entry_into_force_date"))
    if decision:
        text = f"{noun} {format_date(decision)}"
        extras = [
            f"published {format_date(publication)}" if publication else "",
            f"in force {format_date(in_force)}" if in_force else "",
        ]
    elif publication:
        text = f"{noun} made public {format_date(publication)}"
        extras = [f"in force {format_date(in_force)}" if in_force else ""]
    else:
        text = f"{noun} in force {format_date(in_force)}"
        extras = []
    extras = [e for e in extras if e]
    return text + (f" ({', '.join(extras)})" if extras else "")


def describe_lag(low: int, high: int) -> str:
    """'290 days after', 'between 93 and 153 days after', '3,724 days before', 'the same day'."""
    if low == high == 0:
        return "the same day as"
    if low >= 0:
        return f"{low:,} days after" if low == high else f"between {low:,} and {high:,} days after"
    if high <= 0:
        return f"{-high:,} days before" if low == high else f"between {-high:,} and {-low:,} days before"
    return f"between {-low:,} days before and {high:,} days after"


def lag_sentences(lags: pd.DataFrame) -> list[str]:
    """One Markdown sentence per designator, citing the first source of each act.

    `lags` is lag_behind_reference() output joined with the v1 event columns (designator_name,
    authority, authority_kind, source_urls).
    """
    reference = lags[lags["designator_code"] == lags["reference_code"].iloc[0]].iloc[0]
    authority = _text(reference["authority"])
    reference_text = (f"the {authority}" if authority else f"{reference['designator_name']}'s act") + (
        f" ({format_date(reference['act_date'])})"
    )
    sentences = []
    for row in records(lags):
        if row["designator_code"] == reference["designator_code"]:
            continue
        source = _text(row.get("source_urls")).split(" ")[0]
        citation = f" [source]({source})" if source else ""
        sentences.append(
            f"**{row['designator_name']}**: {describe_act(row)}, "
            f"{describe_lag(int(row['lag_min_days']), int(row['lag_max_days']))} {reference_text}.{citation}"
        )
    return sentences
