"""The dashboard's filters, their URL form, and applying them to the events frame.

One place maps filters to query parameters and back (as datasette's url_builder does), so a
copied link always reproduces the view and `clashmap export` takes the same keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

import pandas as pd


def _one(params, key: str) -> str | None:
    """One query value; `st.query_params` and plain dicts give strings, some mappings lists."""
    value = params.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    return value or None


def _day(params, key: str) -> date | None:
    """An ISO date from the URL, or None for a missing or mistyped one (a bad link still opens)."""
    try:
        return date.fromisoformat(_one(params, key)) if _one(params, key) else None
    except ValueError:
        return None


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
    sub_type: list[str] = field(default_factory=list)
    contested: str | None = None  # "yes" | "no" | None (both)

    @staticmethod
    def query_keys() -> list[str]:
        return [f.name for f in fields(Filters)]

    @classmethod
    def from_query(cls, params) -> Filters:
        """From `st.query_params` (or any mapping of strings); bad values are ignored, not fatal."""
        raw_types = _one(params, "type")
        return cls(start=_day(params, "start"), end=_day(params, "end"),
                   type=[t for t in raw_types.split(",") if t] if raw_types else [],
                   actor=_one(params, "actor"), country=_one(params, "country"), place=_one(params, "place"),
                   outlet=_one(params, "outlet"), q=_one(params, "q"),
                   sub_type=[t for t in (_one(params, "sub_type") or "").split(",") if t],
                   contested=_one(params, "contested") if _one(params, "contested") in ("yes", "no") else None)

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
    if f.sub_type:
        mask &= events["sub_event_type"].isin(f.sub_type)
    if f.contested in ("yes", "no"):
        mask &= events["contested"].astype(bool) == (f.contested == "yes")
    if f.q:
        needle = f.q.casefold()
        text = events["evidence"].fillna("")
        for column in ("place", "actor1", "actor2", "claimed_by"):
            text = text + "\n" + events[column].fillna("").astype(str)
        mask &= text.str.casefold().str.contains(needle, regex=False)
    return events[mask]


@dataclass
class Selection:
    """What the user picked on the page: a timeline span, a place on the map, rows of the table.

    It narrows the other views (not the one it was made on) and lives in the URL beside the filters.
    """

    span_start: date | None = None
    span_end: date | None = None
    place_id: int | None = None
    events: list[int] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> Selection:
        try:
            place_id = int(_one(params, "sel_place")) if _one(params, "sel_place") else None
        except ValueError:
            place_id = None
        ids = [int(x) for x in (_one(params, "sel_events") or "").split(",") if x.strip().lstrip("-").isdigit()]
        return cls(span_start=_day(params, "sel_start"), span_end=_day(params, "sel_end"), place_id=place_id, events=ids)

    def to_query(self) -> dict[str, str]:
        out = {}
        if self.span_start and self.span_end:
            out["sel_start"], out["sel_end"] = self.span_start.isoformat(), self.span_end.isoformat()
        if self.place_id is not None:
            out["sel_place"] = str(self.place_id)
        if self.events:
            out["sel_events"] = ",".join(str(i) for i in self.events)
        return out


def apply_span(events: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    if sel.span_start and sel.span_end:
        return events[(events["event_date"] >= pd.Timestamp(sel.span_start))
                      & (events["event_date"] <= pd.Timestamp(sel.span_end))]
    return events


def apply_place(events: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    if sel.place_id is not None:
        return events[events["place_id"] == sel.place_id]
    return events


def apply_rows(events: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    if sel.events:
        return events[events["event_id"].isin(sel.events)]
    return events
