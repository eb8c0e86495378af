"""Pick the right place for each name, using what the whole article says.

A name alone is ambiguous ("Barda" is a town in Azerbaijan and in Russia); the story is not:
its demonyms, its unambiguous places and its dateline point to the countries it is about, and
a candidate in those countries wins over a bigger namesake elsewhere.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from geo.gazetteer import PlaceRecord
from geo.names import normalize_name
from geo.toponyms import Toponym

FOCUS_WEIGHT = 4.0       # how much the article's countries outweigh raw population (log10 units)
DATELINE_HINT = 0.5      # the dateline tells where the reporter sat, only weakly where things happened


@dataclass
class Resolution:
    """A toponym with its chosen place (None when unresolved) and the candidates considered."""

    toponym: Toponym
    place: PlaceRecord | None
    score: float | None
    resolver: str
    candidates: list[PlaceRecord] = field(default_factory=list)


def _record(location) -> PlaceRecord:
    return PlaceRecord(**location.raw) if isinstance(location.raw, dict) and "kind" in location.raw \
        else PlaceRecord(id=int(location.raw.get("place_id", 0)), name=location.address.split(",")[0],
                         country_code=None, admin1=None, kind="city", feature_code=None,
                         lat=location.latitude, lon=location.longitude, population=0,
                         source="nominatim")


def candidates_for(geocoder, name: str) -> list[PlaceRecord]:
    found = geocoder.geocode(name, exactly_one=False) or []
    return [_record(loc) for loc in found]


def focus_countries(candidate_sets: list[list[PlaceRecord]], demonym_countries: list[str],
                    dateline_country: str | None) -> Counter:
    """Evidence per country: demonyms, names that can only mean one country, countries named."""
    focus: Counter = Counter()
    for code in demonym_countries:
        focus[code] += 1.0
    for cands in candidate_sets:
        countries = {c.country_code for c in cands if c.country_code}
        if len(countries) == 1:
            focus[countries.pop()] += 2.0
        elif cands and cands[0].kind in ("country", "region") and cands[0].country_code:
            focus[cands[0].country_code] += 1.0
    if dateline_country:
        focus[dateline_country] += DATELINE_HINT
    return focus


def score(candidate: PlaceRecord, focus: Counter) -> float:
    from geo.geocoders import prior

    total = sum(focus.values()) or 1.0
    return math.log10(prior(candidate)) + FOCUS_WEIGHT * focus.get(candidate.country_code, 0.0) / total


def resolve_all(toponyms: list[Toponym], geocoder, *, demonym_countries: list[str] = (),
                dateline_country: str | None = None,
                corrections: dict[str, PlaceRecord | None] | None = None) -> list[Resolution]:
    """Resolve every toponym of one article together (same name, same place within an article)."""
    corrections = corrections or {}
    keys = {normalize_name(t.text) for t in toponyms}
    cands = {key: candidates_for(geocoder, key) for key in keys}
    focus = focus_countries(list(cands.values()), list(demonym_countries), dateline_country)
    chosen: dict[str, tuple[PlaceRecord | None, float | None, str]] = {}
    for key, options in cands.items():
        if key in corrections:
            chosen[key] = (corrections[key], None, "correction")
        elif options:
            best = max(options, key=lambda c: score(c, focus))
            chosen[key] = (best, round(score(best, focus), 3), "gazetteer+context")
        else:
            chosen[key] = (None, None, "unresolved")
    results = []
    for toponym in toponyms:
        key = normalize_name(toponym.text)
        place, value, resolver = chosen[key]
        if toponym.role == "dateline" and dateline_country:
            in_country = [c for c in cands[key] if c.country_code == dateline_country]
            if in_country and key not in corrections:
                place = max(in_country, key=lambda c: score(c, focus))
        results.append(Resolution(toponym, place, value, resolver, cands[key]))
    return results
