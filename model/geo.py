"""Status of every state on a date, shaped for a world map (ISO alpha-3 codes from pycountry)."""

from __future__ import annotations

import pandas as pd
import pycountry

from model.dates import format_date


def map_statuses(statuses: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """One row per current ISO 3166-1 state: iso3, code, name, status, is_uncertain, label.

    `statuses` is model.analysis.as_of_status's answer; states it does not mention are 'no_data'.
    """
    known = {
        code: (status, uncertain, since)
        for code, status, uncertain, since in zip(
            statuses["designator_code"], statuses["status"], statuses["is_uncertain"], statuses["since"]
        )
    }
    rows = []
    for country in pycountry.countries:
        code = country.alpha_2
        status, uncertain, since = known.get(code, ("no_data", False, None))
        label = f"{names.get(code, code)}: {status.replace('_', ' ')}"
        if since:
            label += f" since {format_date(since)}"
        if uncertain:
            label += " (uncertain: the date falls inside an imprecise event date)"
        rows.append(
            {
                "iso3": country.alpha_3,
                "code": code,
                "name": names.get(code, code),
                "status": status,
                "is_uncertain": bool(uncertain),
                "label": label,
            }
        )
    return pd.DataFrame(rows)


def body_statuses(statuses: pd.DataFrame) -> dict[str, str]:
    """Status of the bodies (UN, EU) in as_of_status's answer, for display beside the map."""
    known = statuses.set_index("designator_code")
    return {code: (known.loc[code, "status"] if code in known.index else "no_data") for code in ("UN", "EU")}
