"""The dashboard's filters, their URL form, and applying them to the events frame.

One place maps filters to query parameters and back (as datasette's url_builder does), so a
copied link always reproduces the view and `clashmap export` takes the same keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

import pandas as pd


@dataclass
class Filters:
    start: date | None = None
    end: date | None = None
    type: list[str] = field(default_factory=list)
    actor: str | None = None
    country: str | None = None
    place: str | None = None
    outlet: str | None = None
    q: str | None = None

    @staticmethod
    def query_keys() -> list[str]:
        return [f.name for f in fields(Filters)]

    @classmethod
    def from_query(cls, params) -> Filters:
        """From `st.query_params` (or any mapping of strings); bad values are ignored, not fatal."""
        def one(key):
            value = params.get(key)
            if isinstance(value, list):
                value = value[0] if value else None
            return value or None

        def day(key):
            try:
                return date.fromisoformat(one(key)) if one(key) else None
            except ValueError:
                return None

        raw_types = one("type")
        return cls(start=day("start"), end=day("end"),
                   type=[t for t in raw_types.split(",") if t] if raw_types else [],
                   actor=one("actor"), country=one("country"), place=one("place"), outlet=one("outlet"), q=one("q"))

    def to_query(self) -> dict[str, str]:
        out = {}
        for key in self.query_keys():
            value = getattr(self, key)
            if not value:
                continue
            out[key] = ",".join(value) if isinstance(value, list) else value.isoformat() if isinstance(value, date) else str(value)
        return out


def apply_filters(events: pd.DataFrame, f: Filters) -> pd.DataFrame:
    mask = pd.Series(True, index=events.index)
    if f.start:
        mask &= events["event_date"] >= pd.Timestamp(f.start)
    if f.end:
        mask &= events["event_date"] <= pd.Timestamp(f.end)
    if f.type:
        mask &= events["event_type"].isin(f.type)
    if f.actor:
        mask &= (events["actor1"] == f.actor) | (events["actor2"] == f.actor)
    if f.country:
        mask &= events["country_code"] == f.country
    if f.place:
        mask &= events["place"] == f.place
    if f.outlet:
        mask &= events["outlets"].map(lambda xs: f.outlet in xs)
    if f.q:
        needle = f.q.casefold()
        mask &= events["evidence"].fillna("").str.casefold().str.contains(needle, regex=False)
    return events[mask]
