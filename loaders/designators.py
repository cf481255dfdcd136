"""The designators table, generated from pycountry (ISO 3166-1 and 3166-3), bodies.csv and M49 regions."""

from __future__ import annotations

import pandas as pd
import pycountry

DESIGNATOR_COLUMNS = [
    "code",
    "name",
    "kind",
    "is_former",
    "m49_code",
    "region",
    "sub_region",
    "intermediate_region",
]


def designator_frame(bodies: pd.DataFrame, m49_regions: pd.DataFrame) -> pd.DataFrame:
    """Return one row per designator: current states, former states (4-letter ISO 3166-3), bodies."""
    states = [
        {"code": c.alpha_2, "name": getattr(c, "common_name", None) or c.name, "kind": "state", "is_former": False}
        for c in pycountry.countries
    ]
    former = [
        {"code": c.alpha_4, "name": c.name, "kind": "state", "is_former": True} for c in pycountry.historic_countries
    ]
    frame = pd.DataFrame(states + former)
    regions = m49_regions.rename(columns={"alpha2": "code"})
    frame = frame.merge(regions, on="code", how="left")
    body_rows = bodies[["code", "name", "kind"]].assign(is_former=False)
    frame = pd.concat([frame, body_rows], ignore_index=True)
    for column in ("m49_code", "region", "sub_region", "intermediate_region"):
        frame[column] = frame[column].fillna("").astype("str")
    return frame[DESIGNATOR_COLUMNS].sort_values("code", ignore_index=True)
