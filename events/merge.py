"""Decide when two reports are one event, so an event carries every outlet that reports it.

Outlets disagree by a day at the edges of the night ("overnight", "on Saturday evening" filed
after midnight), name actors more or less fully, and place one incident at the town, at a
village on its edge or at the district around it, so an exact key (date, place, type, actors)
splits one event into several. The tolerant rule, after ACLED's practice of one event per
incident coded at its most precise known place and day:

- the same ACLED event type (sub-event types may differ: outlets describe one strike differently),
  and for Strategic developments the same sub-event type too (an agreement and a deployment it
  brings are two pieces of news);
- dates within one day, or within the week / the same month when either report gives no more
  (time_precision 2 / 3);
- the same resolved place, or points close enough for the vaguer report's precision: 5 km when
  both name a town (one town under two gazetteer entries, a neighbourhood), 10 km when either is
  "near or part of" a town (geo_precision 2), 25 km when either is a district or region (3).
  Two named towns farther apart than that are two events, even on one day by one side;
- actors that do not contradict: one side's armed actors a subset of the other's, or one side
  names none (victims are named too loosely to decide).

Events with no resolved place merge only on the exact key: "somewhere" is not a place two
reports can share. The store never merges two events of one article (store.ingest), so two
strikes on one town on consecutive days told by one article stay two.

The functions take anything with `event_date`, `event_type`, `actor1`, `actor2` and either a
`place` (an `ExtractedEvent`) or a `place_id` (a stored row); `report_of(row, place)` adds a
stored row's coordinates so the distance rules apply to it too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

from geo.distance import km_between

MAX_DAYS_APART = 1
WEEK_DAYS = 7
# how far apart two points may be for one event, by the vaguer report's geo_precision
PLACE_KM = {1: 5.0, 2: 10.0, 3: 25.0}
LOCK_KM = max(PLACE_KM.values())  # the widest reach of a match: what a writer's locks must cover

# a catch-all type whose sub-types are different kinds of news (an agreement, arrests, a base set up)
SUB_TYPE_DECIDES = frozenset({"Strategic developments"})

@dataclass(frozen=True)
class Report:
    """What identifies an event across articles."""

    event_date: date | None
    time_precision: int
    event_type: str
    sub_event_type: str | None
    place_id: int | None
    lat: float | None
    lon: float | None
    geo_precision: int
    actors: frozenset[str]


def report_of(event, place=None) -> Report:
    """The merge view of an extracted event, or of a stored row together with its `place` row."""
    if isinstance(event, Report):
        return event
    place = place if place is not None else getattr(event, "place", None)
    place_id = getattr(event, "place_id", None)
    if place_id is None and place is not None:
        place_id = place.id
    # victims are named more or less precisely ("civilians", "Civilians (AZ)"): the armed actors decide
    actors = frozenset(a for a in (event.actor1, event.actor2) if a and not a.startswith("Civilians"))
    return Report(event.event_date, getattr(event, "time_precision", None) or 1, event.event_type,
                  getattr(event, "sub_event_type", None), place_id,
                  getattr(place, "lat", None), getattr(place, "lon", None),
                  getattr(event, "geo_precision", None) or 1, actors)


def place_distance(a: Report, b: Report) -> float | None:
    """0 for the same place, the km between them when both have coordinates, else None (unknown)."""
    if a.place_id is not None and a.place_id == b.place_id:
        return 0.0
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    return km_between(a.lat, a.lon, b.lat, b.lon)


def _places_agree(a: Report, b: Report) -> bool:
    if a.place_id is None or b.place_id is None:
        return False
    gap = place_distance(a, b)
    return gap is not None and gap <= PLACE_KM.get(max(a.geo_precision, b.geo_precision), LOCK_KM)


def _dates_agree(a: Report, b: Report, days: int) -> bool:
    if a.event_date is None or b.event_date is None:
        return False
    vaguer = a if a.time_precision >= b.time_precision else b
    if vaguer.time_precision >= 3:
        other = b if vaguer is a else a
        return (other.event_date.year, other.event_date.month) == (vaguer.event_date.year, vaguer.event_date.month)
    window = WEEK_DAYS if vaguer.time_precision == 2 else days
    return abs(a.event_date - b.event_date) <= timedelta(days=window)


def same_event(a, b, days: int = MAX_DAYS_APART) -> bool:
    """True when `a` and `b` are reports of one event under the tolerant rule above."""
    sa, sb = report_of(a), report_of(b)
    if sa.event_type != sb.event_type or not _places_agree(sa, sb) or not _dates_agree(sa, sb, days):
        return False
    if sa.event_type in SUB_TYPE_DECIDES and sa.sub_event_type and sb.sub_event_type \
            and sa.sub_event_type != sb.sub_event_type:
        return False
    return not sa.actors or not sb.actors or sa.actors <= sb.actors or sb.actors <= sa.actors


def date_window(event, days: int = MAX_DAYS_APART) -> tuple[date, date] | None:
    """The dates a stored event may have to be the same as `event` (None: no date, no window).

    Wide enough for a stored report vaguer than this one (a week, a month) to be a candidate."""
    if event.event_date is None:
        return None
    reach = timedelta(days=max(days, 31))
    day = event.event_date
    # clamped at the calendar's ends: a date near 0001-01-01 or 9999-12-31 must not overflow
    low = day - reach if day - date.min >= reach else date.min
    high = day + reach if date.max - day >= reach else date.max
    return low, high


def match_rank(a, b) -> tuple[int, int, float, int]:
    """Lower is a better match: nearer in time, then the same place, then nearer, then more shared actors."""
    sa, sb = report_of(a), report_of(b)
    gap = place_distance(sa, sb)
    return (abs((sa.event_date - sb.event_date).days), int(sa.place_id != sb.place_id),
            gap if gap is not None else LOCK_KM, -len(sa.actors & sb.actors))


def assign(reports: Sequence, candidates: Sequence, days: int = MAX_DAYS_APART) -> list[int | None]:
    """For the events of one article, the index of the candidate each merges into (None: a new event).

    One article's events are distinct, so each candidate takes at most one of them; the best pairs
    (same day, same place) are settled first, so a one-day-off match cannot take an event from the
    report that matches it exactly, whatever order the article tells them in.
    """
    pairs = sorted((match_rank(r, c), i, j) for i, r in enumerate(reports) for j, c in enumerate(candidates)
                   if same_event(r, c, days))
    chosen: list[int | None] = [None] * len(reports)
    taken: set[int] = set()
    for _, i, j in pairs:
        if chosen[i] is None and j not in taken:
            chosen[i] = j
            taken.add(j)
    return chosen


def lock_cells(lat: float, lon: float, reach_km: float = LOCK_KM) -> set[tuple[int, int]]:
    """The one-degree grid cells a match around (lat, lon) can reach.

    A writer locks every cell its reports can reach; two reports that can match lie within reach of
    each other, so the cell of either is among the other's and the two writers share a lock.
    """
    dlat = reach_km / 111.0
    dlon = reach_km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
    lats = range(math.floor(lat - dlat), math.floor(lat + dlat) + 1)
    lons = range(math.floor(lon - dlon), math.floor(lon + dlon) + 1)
    return {(la, (lo + 180) % 360 - 180) for la in lats for lo in lons}


def merge_fatalities(a: dict | None, b: dict | None) -> dict | None:
    """ACLED's conservative reading of two counts: the lower as low and best, the higher as high.

    The same rule as the gold set's (two sources with counts A < B give low = best = A, high = B);
    equal counts stay as they are, and a figure on one side only is kept."""
    a, b = a or {}, b or {}
    if not any(v is not None for v in a.values()):
        return dict(b) or None
    if not any(v is not None for v in b.values()):
        return dict(a)
    bests = [f["best"] for f in (a, b) if f.get("best") is not None]
    lows = [f["low"] for f in (a, b) if f.get("low") is not None] + bests
    highs = [f["high"] for f in (a, b) if f.get("high") is not None]
    if len(set(bests)) > 1:
        highs += bests
    return {"low": min(lows) if lows else None, "best": min(bests) if bests else None,
            "high": max(highs) if highs else None}


def merge_losses(a: dict | None, b: dict | None) -> dict:
    """Every kind either report claims, at the higher figure (later claims restate earlier ones)."""
    merged = dict(a or {})
    for kind, count in (b or {}).items():
        merged[kind] = max(merged.get(kind, count), count)
    return merged
