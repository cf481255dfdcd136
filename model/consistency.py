"""Logical consistency of the events: what `check` reports beyond the schema (plain pandas, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from model.analysis import SAME_DAY_ORDER, effective_date
from model.dates import parse_date

DATE_COLUMNS = ("decision_date", "publication_date", "entry_into_force_date")
OPENING = ("listing", "renewal")
CLOSING = ("delisting", "expiry", "annulment")


@dataclass(frozen=True)
class Finding:
    """One consistency problem: an error fails `check`, a warning is printed and counted."""

    level: str  # "error" or "warning"
    event_id: str
    field: str
    message: str


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def future_dates(events: pd.DataFrame, today: date) -> list[Finding]:
    """A date that certainly lies after today is an error (a typo, or a planned act recorded too early)."""
    findings = []
    for column in DATE_COLUMNS:
        values = events[column].map(_text)
        for text in values[values != ""].unique():
            if parse_date(text).earliest > today:
                for event_id in events.loc[values == text, "event_id"]:
                    findings.append(Finding("error", event_id, column, f"{text} is in the future"))
    return findings


def publication_before_decision(events: pd.DataFrame) -> list[Finding]:
    """Published certainly before it was decided: usually an announcement recorded as publication."""
    findings = []
    both = events[(events["decision_date"].map(_text) != "") & (events["publication_date"].map(_text) != "")]
    for event_id, decision, publication in both[["event_id", "decision_date", "publication_date"]].itertuples(
        index=False
    ):
        if parse_date(publication).latest < parse_date(decision).earliest:
            findings.append(
                Finding(
                    "warning",
                    event_id,
                    "publication_date",
                    f"published ({publication}) before it was decided ({decision})",
                )
            )
    return findings


def sequence_problems(events: pd.DataFrame) -> list[Finding]:
    """Per designator, group and category: a delisting with no earlier listing; a listing while still listed."""
    findings = []
    ordered = events.assign(
        _when=[effective_date(row).earliest for _, row in events.iterrows()],
        _rank=events["event_type"].map(SAME_DAY_ORDER),
    ).sort_values(["designator_code", "group_id", "category", "_when", "_rank", "event_id"])
    for _, rows in ordered.groupby(["designator_code", "group_id", "category"], sort=False):
        listed_by: str | None = None
        listed_formality = ""
        for event in rows.itertuples(index=False):
            if event.event_type == "listing":
                # A reported ban followed by a formal act is not a second listing.
                if listed_by is not None and event.formality == "formal" and listed_formality == "formal":
                    findings.append(
                        Finding(
                            "warning",
                            event.event_id,
                            "event_type",
                            f"a second listing while still listed (since {listed_by})",
                        )
                    )
                listed_by, listed_formality = event.event_id, event.formality
            elif event.event_type == "renewal" and listed_by is None:
                # A renewal keeps a group listed, as the status intervals read it: after an annulment (the
                # Council re-listing a group a court had struck off), or when the first listing is not sourced.
                listed_by, listed_formality = event.event_id, event.formality
            elif event.event_type in CLOSING:
                if listed_by is None:
                    findings.append(
                        Finding(
                            "warning",
                            event.event_id,
                            "event_type",
                            f"{_article(event.event_type)} {event.event_type} with no earlier listing",
                        )
                    )
                listed_by, listed_formality = None, ""
    return findings


def duplicate_acts(events: pd.DataFrame) -> list[Finding]:
    """The same act recorded twice (e.g. from two sources): same designator, group, type and exact act date."""
    act = events["decision_date"].map(_text)
    act = act.where(act != "", events["publication_date"].map(_text))
    act = act.where(act != "", events["entry_into_force_date"].map(_text))
    keyed = events.assign(_act=act)
    keyed = keyed[keyed["_act"].str.len() == 10]  # exact days only: imprecise dates are not evidence of a duplicate
    findings = []
    for _, rows in keyed.groupby(["designator_code", "group_id", "event_type", "_act"]):
        if len(rows) > 1:
            first, *others = rows["event_id"].tolist()
            for event_id in others:
                findings.append(
                    Finding(
                        "warning",
                        event_id,
                        "event_id",
                        f"same designator, group, type and date as {first}: the same act twice? "
                        "Merge them and keep both sources.",
                    )
                )
    return findings


def unreviewed_groups(events: pd.DataFrame, groups: pd.DataFrame) -> list[Finding]:
    """Events of groups an importer created and no curator has matched yet."""
    unreviewed = set(groups.loc[groups["is_reviewed"].astype(str).str.lower().isin(["false", "0"]), "group_id"])
    flagged = events[events["group_id"].isin(unreviewed)]
    return [
        Finding("warning", e, "group_id", f"group {g} is unreviewed (imported, not yet matched)")
        for e, g in flagged[["event_id", "group_id"]].itertuples(index=False)
    ]


def consistency_findings(events: pd.DataFrame, groups: pd.DataFrame, today: date | None = None) -> list[Finding]:
    """Every consistency finding, errors first."""
    today = today or date.today()
    findings = (
        future_dates(events, today)
        + publication_before_decision(events)
        + sequence_problems(events)
        + duplicate_acts(events)
        + unreviewed_groups(events, groups)
    )
    return sorted(findings, key=lambda f: (f.level != "error", f.event_id))


def _article(word: str) -> str:
    return "an" if word[:1] in ("a", "e", "i", "o", "u") else "a"
