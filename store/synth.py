"""Synthetic stores for measuring the dashboard at scale: `clashmap synth --events N [--places P]`.

    url = "sqlite:////tmp/synth.sqlite"
    synthesize(url, n_events=100_000, n_places=2_000)

Writes places, articles (one per ~4 events, a dateline among a few cities), events and their
sources straight into the store's tables with bulk inserts, so 100k events take seconds. The
data is random but shaped like the real thing: a few busy places and a long tail, dates over one
year, the six ACLED types with their sub-types, a few actors and outlets. Nothing is read by NLP.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import insert

from store.db import open_store
from store.schema import Article, Event, EventSource, Place

TYPES = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Shelling/artillery/missile attack", "Air/drone strike",
                                   "Remote explosive/landmine/IED"],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrests", "Looting/property destruction"],
}
TYPE_WEIGHTS = [35, 30, 10, 10, 5, 10]
ACTORS = ["Military Forces of Azerbaijan", "Military Forces of Armenia", "Artsakh Defense Army", "Civilians",
          "Military Forces of Russia", "Protesters", "Police Forces"]
OUTLETS = ["Synth Wire", "Caucasus Synth", "Levant Synth", "Regional Synth Daily"]
CLAIMANTS = ["Ministry of Defence", "Human rights monitor", "Local officials", None]
PLACE_ID_BASE = 9_000_000_000  # outside GeoNames ids, so a synthetic store is never mistaken for real data


def synthesize(url: str, n_events: int, n_places: int = 2_000, seed: int = 0, start: date = date(2020, 1, 1),
               days: int = 365, batch: int = 20_000) -> dict:
    """Fill the store at `url` (migrated first) with synthetic data; returns counts."""
    rng = random.Random(seed)
    sessions = open_store(url)
    n_places = max(1, min(n_places, n_events))
    places = [{"id": PLACE_ID_BASE + i, "name": f"Synthtown {i}", "country_code": rng.choice(["AZ", "AM", "GE", "SY"]),
               "admin1": None, "kind": "city", "lat": round(rng.uniform(36.0, 42.5), 5),
               "lon": round(rng.uniform(40.0, 50.0), 5), "population": rng.randint(500, 500_000), "source": "custom"}
              for i in range(n_places)]
    datelines = places[: min(8, n_places)]
    # Zipf-like: a few places carry most events, every place gets at least one.
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n_places)]
    place_of = list(range(n_places)) + rng.choices(range(n_places), weights=weights, k=n_events - n_places)
    rng.shuffle(place_of)
    type_names = list(TYPES)
    now = datetime.now(timezone.utc)
    n_articles = max(1, n_events // 4)
    articles = []
    for a in range(n_articles):
        day = start + timedelta(days=rng.randrange(days))
        dl = rng.choice(datelines)
        text = f"date {day.isoformat()} {dl['name'].upper()} – Synthetic report number {a} about fighting."
        articles.append({"id": f"synth{a:015d}", "source_path": f"synth/{a}.txt", "outlet": rng.choice(OUTLETS),
                         "url": None, "title": f"Synthetic report {a}", "published": day,
                         "dateline": dl["name"].upper(), "dateline_place_id": dl["id"], "filed_time": None,
                         "text": text, "body_start": 0, "ingested_at": now})
    events, sources = [], []
    for i in range(n_events):
        etype = rng.choices(type_names, weights=TYPE_WEIGHTS)[0]
        article = articles[i % n_articles]
        day = article["published"] - timedelta(days=rng.randrange(3))
        place = places[place_of[i]]
        events.append({"id": i + 1, "key": f"synth|{i}", "event_date": day, "time_precision": 1,
                       "event_type": etype, "sub_event_type": rng.choice(TYPES[etype]),
                       "actor1": rng.choice(ACTORS), "actor2": rng.choice(ACTORS + [None, None]),
                       "place_id": place["id"], "geo_precision": 1,
                       "fatalities_low": None, "fatalities_best": rng.choice([None, None, 0, 1, 2, 5]),
                       "fatalities_high": None, "losses": {"tanks": rng.randint(1, 4)} if rng.random() < 0.1 else {},
                       "claimed_by": rng.choice(CLAIMANTS), "contested": rng.random() < 0.1})
        sentence = f"Fighting was reported in {place['name']} (event {i})."
        sources.append({"event_id": i + 1, "article_id": article["id"], "text": sentence, "start": 0,
                        "end": len(sentence), "evidence": {}})
    with sessions.begin() as session:
        for table, rows in ((Place, places), (Article, articles), (Event, events), (EventSource, sources)):
            for k in range(0, len(rows), batch):
                session.execute(insert(table), rows[k:k + batch])
    return {"places": n_places, "articles": n_articles, "events": n_events}
