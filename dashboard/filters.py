"""The dashboard's filters, their URL form, and applying them to the events frame.

One place maps filters to query parameters and back (as datasette's url_builder does), so a
copied link always reproduces the view and `clashmap export` takes the same keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache

import pandas as pd

# Several actors or places in one URL value: names may hold commas ("Washington, D.C."), not bars.
NAME_SEP = "|"


def _one(params, key: str) -> str | None:
    """One query value; `st.query_params` and plain dicts give strings, some mappings lists."""
    value = params.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    return value or None


def _names(params, key: str, sep: str = NAME_SEP) -> list[str]:
    return [v.strip() for v in (_one(params, key) or "").split(sep) if v.strip()]


def _as_list(value) -> list[str]:
    """A filter given as one string (an old link, a script) or as a list of strings."""
    if value is None or value == "":
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]


def _count(params, key: str) -> int | None:
    try:
        value = int(_one(params, key) or "")
    except ValueError:
        return None
    return value if value > 0 else None


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from store.export import load_codes

    return {code: row["country"] for code, row in load_codes().countries.items() if row.get("country")}


def country_name(code: str | None) -> str:
    """"AM" -> "Armenia" (ACLED's country names, data/acled_countries.csv); the code when unknown."""
    if not isinstance(code, str) or not code:
        return ""
    return _country_names().get(code, code)


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
    actor: list[str] = field(default_factory=list)  # any of them, on either side
    country: list[str] = field(default_factory=list)  # ISO 3166-1 alpha-2 codes
    place: list[str] = field(default_factory=list)
    outlet: str | None = None
    q: str | None = None
    sub_type: list[str] = field(default_factory=list)
    contested: str | None = None  # "yes" | "no" | None (both)
    min_fatalities: int | None = None  # events with at least this many reported killed

    def __post_init__(self) -> None:
        self.actor, self.country, self.place = _as_list(self.actor), _as_list(self.country), _as_list(self.place)

    @staticmethod
    def query_keys() -> list[str]:
        return [f.name for f in fields(Filters)]

    @classmethod
    def from_query(cls, params) -> Filters:
        """From `st.query_params` (or any mapping of strings); bad values are ignored, not fatal."""
        raw_types = _one(params, "type")
        return cls(start=_day(params, "start"), end=_day(params, "end"),
                   type=[t for t in raw_types.split(",") if t] if raw_types else [],
                   actor=_names(params, "actor"), country=_names(params, "country", ","), place=_names(params, "place"),
                   outlet=_one(params, "outlet"), q=_one(params, "q"),
                   sub_type=[t for t in (_one(params, "sub_type") or "").split(",") if t],
                   contested=_one(params, "contested") if _one(params, "contested") in ("yes", "no") else None,
                   min_fatalities=_count(params, "min_fatalities"))

    def to_query(self) -> dict[str, str]:
        out = {}
        for key in self.query_keys():
            value = getattr(self, key)
            if not value:
                continue
            sep = NAME_SEP if key in ("actor", "place") else ","
            out[key] = sep.join(value) if isinstance(value, list) else value.isoformat() if isinstance(value, date) else str(value)
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
        mask &= events["actor1"].isin(f.actor) | events["actor2"].isin(f.actor)
    if f.country:
        mask &= events["country_code"].isin(f.country)
    if f.place:
        mask &= events["place"].isin(f.place)
    if f.min_fatalities:
        mask &= pd.to_numeric(events["fatalities"], errors="coerce").fillna(0) >= f.min_fatalities
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


# --- The sidebar's widgets (Streamlit). Their keys are the session-state names map_page keeps across pages. ---

CONTESTED_LABELS = {"yes": "Contested only", "no": "Uncontested only"}


def fatalities_total(events: pd.DataFrame) -> int:
    """Reported killed over the events (best estimates; an event without a figure counts 0)."""
    if events.empty:
        return 0
    return int(pd.to_numeric(events["fatalities"], errors="coerce").fillna(0).sum())


def seed_widgets(ss, f: Filters, lo: date | None, hi: date | None) -> None:
    """The widgets' state from a link's filters (a session's first run)."""
    ss["f_dates"] = (f.start or lo, f.end or hi) if lo else ()
    ss["f_type"] = list(f.type)
    ss["f_sub"] = list(f.sub_type)
    ss["f_actor"], ss["f_country"], ss["f_place"] = list(f.actor), list(f.country), list(f.place)
    ss["f_outlet"] = f.outlet or ""
    ss["f_contested"] = CONTESTED_LABELS.get(f.contested or "", "Either")
    ss["f_q"] = f.q or ""
    ss["f_min_fat"] = int(f.min_fatalities or 0)


def reset_view(lo: date | None, hi: date | None) -> None:
    """The reset button: every filter, the selection (a span from a link too) and the map's view to the default."""
    import streamlit as st

    ss = st.session_state
    seed_widgets(ss, Filters(), lo, hi)
    ss["sel"] = Selection()
    ss["map_mode"], ss["map_cluster"], ss["map_size"] = "Markers", True, "Size: events"
    for key in ("_map_view", "_link_view", "_places_cache"):
        ss.pop(key, None)
    ss["_link_state"] = {}
    ss["_map_generation"] = ss.get("_map_generation", 0) + 1  # a new map widget: see map_page._map_key


def _opts(values: list[str], chosen: list[str]) -> list[str]:
    """The facet's values, plus chosen ones no longer in the store (a link's), so the widget keeps them."""
    return list(values) + [c for c in chosen if c not in set(values)]


def _date_bounds(events: pd.DataFrame) -> tuple[date | None, date | None]:
    dates = events["event_date"].dropna()
    return (dates.min().date(), dates.max().date()) if len(dates) else (None, None)


def _keep_full_range(ss, lo: date | None, hi: date | None) -> None:
    """The whole range stays the whole range when the store grows: events stored after the page opened (dated
    after its last day) are not cut off by a range the editor never chose."""
    full = ss.get("_f_dates_full")
    if lo and full and tuple(ss.get("f_dates") or ()) == full and full != (lo, hi):
        ss["f_dates"] = (lo, hi)
    ss["_f_dates_full"] = (lo, hi) if lo else None


def filters_from_state(ss, lo: date | None, hi: date | None) -> Filters:
    """The filters the sidebar's widgets hold (their keys in `ss`), whether or not this run draws them."""
    picked = ss.get("f_dates") or ()
    start = picked[0] if len(picked) >= 1 else None
    end = picked[1] if len(picked) == 2 else None
    if start and end and lo and start <= lo and end >= hi:
        start = end = None  # the full range is "no date filter": the URL stays short
    return Filters(start=start, end=end, type=list(ss["f_type"]), actor=list(ss["f_actor"]),
                   country=list(ss["f_country"]), place=list(ss["f_place"]), outlet=ss["f_outlet"] or None,
                   q=(ss["f_q"] or "").strip() or None, sub_type=list(ss["f_sub"]),
                   contested={v: k for k, v in CONTESTED_LABELS.items()}.get(ss["f_contested"]),
                   min_fatalities=int(ss.get("f_min_fat") or 0) or None)


def current_filters(events: pd.DataFrame) -> Filters:
    """The filters in force, without drawing the sidebar (a new tab's map-first run, see map_page): the same
    `Filters` that `sidebar` returns for the same session state."""
    import streamlit as st

    lo, hi = _date_bounds(events)
    _keep_full_range(st.session_state, lo, hi)
    return filters_from_state(st.session_state, lo, hi)


def sidebar(events: pd.DataFrame, facets: dict) -> Filters:
    """Draw the filters in the sidebar and return them."""
    import streamlit as st

    ss = st.session_state
    sb = st.sidebar
    lo, hi = _date_bounds(events)
    head, button = sb.columns([3, 2], vertical_alignment="bottom")
    head.header("Filters")
    button.button("Reset", key="f_reset", on_click=reset_view, args=(lo, hi),
                  help="Back to the default view: no filter, no selection, the map around all events")
    _keep_full_range(ss, lo, hi)
    if lo:
        sb.date_input("Date range", key="f_dates", min_value=min(lo, *(d for d in ss["f_dates"] if d)),
                      max_value=max(hi, *(d for d in ss["f_dates"] if d)))
    sb.multiselect("Event type", sorted(set(facets["type"]) | set(ss["f_type"])), key="f_type")
    subs = {s for t, subs in facets["sub_by_type"].items() if not ss["f_type"] or t in ss["f_type"] for s in subs}
    sb.multiselect("Sub-type", sorted(subs | set(ss["f_sub"])), key="f_sub")
    sb.multiselect("Actors", _opts(facets["actor"], ss["f_actor"]), key="f_actor", placeholder="Any actor")
    sb.multiselect("Countries", _opts(facets["country"], ss["f_country"]), key="f_country", format_func=country_name,
                   placeholder="Any country")
    sb.multiselect("Places", _opts(facets["place"], ss["f_place"]), key="f_place", placeholder="Any place")
    sb.number_input("At least this many killed", min_value=0, step=1, key="f_min_fat",
                    help="Events whose reports give at least this many fatalities (0: every event)")
    outlets = [""] + facets["outlet"] + ([ss["f_outlet"]] if ss["f_outlet"] and ss["f_outlet"] not in facets["outlet"] else [])
    sb.selectbox("Source outlet", outlets, key="f_outlet", format_func=lambda v: v or "Any")
    sb.radio("Contested", ["Either", *CONTESTED_LABELS.values()], key="f_contested", horizontal=True)
    sb.text_input("Free text", key="f_q", placeholder="words in the evidence, actors, places")
    return filters_from_state(ss, lo, hi)


def _cell(value):
    if isinstance(value, (dict, list, tuple, set)):
        return value if value else ""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return value


def readable_cells(table: pd.DataFrame) -> pd.DataFrame:
    """A table as people read it: an empty cell, never "None", "nan", "NaT" or "{}"; counts as whole numbers."""
    out = table.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_float_dtype(series) or (series.dtype == object and column in ("fatalities",)):
            numbers = pd.to_numeric(series, errors="coerce")
            out[column] = numbers.map(lambda v: "" if pd.isna(v) else str(int(v)))
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            out[column] = series.astype(object).map(_cell)
    return out


def empty_state(events: pd.DataFrame) -> None:
    """Said in words when the filters leave no event (instead of a blank map and chart)."""
    import streamlit as st

    box = st.empty()  # always drawn: the elements after it keep their place, so the map is not remounted
    if events.empty:
        box.info("No event matches these filters. Widen the dates, remove a filter, or press **Reset** "
                "(top of the filters) to see every event again.", icon="🔎")
