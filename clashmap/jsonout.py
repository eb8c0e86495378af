"""The `clashmap extract --format json` contract of DESIGN.md: one object per input file."""

from __future__ import annotations

from geo.gazetteer import PlaceRecord
from events.model import Reading


def place_json(place: PlaceRecord | None) -> dict | None:
    if place is None:
        return None
    return {"name": place.name, "country_code": place.country_code, "lat": round(place.lat, 5),
            "lon": round(place.lon, 5), "geonameid": place.id if place.id > 0 else None, "kind": place.kind,
            "source": "gazetteer" if place.source in ("geonames", "countryinfo", "curated") or
            place.source.startswith("dump") else place.source}


def reading_json(reading: Reading, source: str) -> dict:
    article = reading.article
    made: dict[int, dict | None] = {}

    def placed(place: PlaceRecord | None) -> dict | None:
        """`place_json(place)`, made once per place object (the dicts are only printed): a long text's mentions
        of one name in one piece share their place (100,000 mentions in a 1 MB list of names)."""
        key = id(place)
        if key not in made:
            made[key] = place_json(place)
        return made[key]

    out = {
        "source": source,
        "id": article.id,
        "published": article.published.isoformat() if article.published else None,
        "outlet": article.outlet,
        "title": article.title,
        "dateline": ({"text": article.dateline, "place": place_json(reading.dateline.place if reading.dateline else None)}
                     if article.dateline else None),
        "places": [
            {"text": r.toponym.text, "start": r.toponym.start, "end": r.toponym.end, "role": r.toponym.role,
             "place": placed(r.place), "resolver": r.resolver}
            for r in reading.mentions
        ],
        "events": [
            {"date": e.event_date.isoformat() if e.event_date else None, "time_precision": e.time_precision,
             "event_type": e.event_type, "sub_event_type": e.sub_event_type, "actor1": e.actor1, "actor2": e.actor2,
             "place": placed(e.place), "geo_precision": e.geo_precision, "fatalities": e.fatalities,
             "losses": e.losses, "claimed_by": e.claimed_by, "contested": e.contested,
             "text": e.text, "start": e.start, "end": e.end,
             "evidence": {k: [list(s) for s in v] for k, v in e.evidence.items()}}
            for e in reading.events
        ],
    }
    if reading.read_as:  # (only then: an article read in full gives the same object as before)
        out["read_as"] = reading.read_as
    return out
