"""A Nominatim that answers nonsense: wrong shapes, values no store can hold, bodies trickled byte by byte.

Each hostile mode of the stand-in is run through the real geocoder and through a real ingest into a
real store (SQLite and PostgreSQL): nothing crashes, the article is stored with the offline
gazetteer's answer, nothing invalid is cached or stored, and once the server is fixed the same name
is asked again.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from geo.online import NominatimSettings, nominatim_with_fallback, recent_failures
from store.geocache import SqlAnswers
from nominatim_standin import HOSTILE_MODES, JUNK_ITEMS, standin_settings
from store.schema import GeocodeCache, Mention, Place

DEADLINE = 1.5  # seconds for a whole request in these tests
STANDIN_DELAY = 0.02  # seconds between two bytes of a trickled body: ~15 s for one answer, each read in time

ARTICLE = ("date 2020-11-08 BAKU, AZERBAIJAN – Azerbaijani forces entered the town of Shusha on Sunday, "
           "the Ministry of Defense said.\n")


def _settings(standin, **overrides) -> NominatimSettings:
    return standin_settings(standin, "hostile", **{"deadline": DEADLINE, **overrides})


def _cached(sessions) -> list[GeocodeCache]:
    with sessions() as session:
        return session.scalars(select(GeocodeCache).where(GeocodeCache.provider == "nominatim")).all()


def _storable(record: dict) -> bool:
    """What the store's columns can hold (store/schema.py), checked here independently of geo.online."""
    return (isinstance(record["id"], int) and -(2**63) <= record["id"] < 2**63
            and (record["country_code"] is None or (len(record["country_code"]) == 2
                                                    and record["country_code"].isalpha()))
            and math.isfinite(record["lat"]) and math.isfinite(record["lon"])
            and -90 <= record["lat"] <= 90 and -180 <= record["lon"] <= 180
            and 0 < len(record["name"]) <= 200 and 0 <= record["population"] < 2**31)


@pytest.mark.parametrize("mode", HOSTILE_MODES)
def test_a_hostile_answer_is_a_failure_answered_offline(mode, standin, sqlite_sessions, gazetteer, caplog):
    # the geocoder on its own, over SQLite; the ingest test below runs every mode on both databases
    sessions = sqlite_sessions
    standin.mode = mode
    started = datetime.now(timezone.utc)
    geocoder = nominatim_with_fallback(gazetteer, SqlAnswers(sessions), _settings(standin))
    clock = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="geo.online"):
        answer = geocoder.geocode("Shusha", exactly_one=False)
    elapsed = time.monotonic() - clock
    assert elapsed < DEADLINE + 1.5, f"a {mode} answer held the geocoder for {elapsed:.1f} s"
    assert answer and answer[0].raw["source"] != "nominatim" and answer[0].raw["country_code"] == "AZ"
    # a failure like a 5xx: logged, listed for editors, and nothing cached
    assert [f.query for f in geocoder.failures] == ["Shusha"]
    assert [f.query for f in recent_failures(since=started)] == ["Shusha"]
    assert any("Shusha" in r.getMessage() for r in caplog.records)
    assert _cached(sessions) == []
    # the service is fixed: the next geocoder asks again and gets the real answer
    standin.mode = "ok"
    asked = len(standin.searches("Shusha"))
    fresh = nominatim_with_fallback(gazetteer, SqlAnswers(sessions), _settings(standin)).geocode("Shusha")
    assert fresh.raw["source"] == "nominatim" and fresh.raw["name"] == "Shusha"
    assert len(standin.searches("Shusha")) == asked + 1
    assert [row.result[0]["raw"]["id"] for row in _cached(sessions)] == [-(3 * 10**12 + 5548761)]


def test_junk_around_a_good_answer_is_dropped_and_the_rest_kept(standin, sqlite_sessions, gazetteer, caplog):
    sessions = sqlite_sessions
    standin.mode = "mixed"
    geocoder = nominatim_with_fallback(gazetteer, SqlAnswers(sessions), _settings(standin))
    with caplog.at_level(logging.INFO, logger="geo.online"):
        answer = geocoder.geocode("Shusha", exactly_one=False)
    assert [loc.raw["name"] for loc in answer] == ["Shusha"] and answer[0].raw["source"] == "nominatim"
    assert not geocoder.failures
    dropped = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert len(dropped) == len(JUNK_ITEMS), dropped
    rows = _cached(sessions)
    assert len(rows) == 1 and [a["raw"]["name"] for a in rows[0].result] == ["Shusha"]
    assert all(_storable(a["raw"]) for a in rows[0].result)


def test_an_old_answer_is_asked_again_and_kept_when_the_service_fails(standin, sessions, gazetteer):
    settings = _settings(standin, hit_ttl=timedelta(days=180))
    assert nominatim_with_fallback(gazetteer, SqlAnswers(sessions), settings).geocode("Shusha").raw["source"] == "nominatim"

    def age(days: float) -> None:
        with sessions.begin() as session:
            session.execute(update(GeocodeCache).where(GeocodeCache.provider == "nominatim")
                            .values(fetched_at=datetime.now(timezone.utc) - timedelta(days=days)))

    age(179)  # still fresh: not asked
    assert nominatim_with_fallback(gazetteer, SqlAnswers(sessions), settings).geocode("Shusha").raw["source"] == "nominatim"
    assert len(standin.searches("Shusha")) == 1
    age(181)  # stale: asked again, and the new answer restarts the clock
    assert nominatim_with_fallback(gazetteer, SqlAnswers(sessions), settings).geocode("Shusha").raw["source"] == "nominatim"
    assert len(standin.searches("Shusha")) == 2
    assert datetime.now(timezone.utc) - _as_utc(_cached(sessions)[0].fetched_at) < timedelta(minutes=5)
    age(181)  # stale and the service is down: the stale answer beats the gazetteer's guess
    standin.mode = "500"
    geocoder = nominatim_with_fallback(gazetteer, SqlAnswers(sessions), settings)
    answer = geocoder.geocode("Shusha")
    assert answer.raw["source"] == "nominatim" and answer.raw["id"] == -(3 * 10**12 + 5548761)
    assert len(standin.searches("Shusha")) == 3 and [f.query for f in geocoder.failures] == ["Shusha"]
    assert datetime.now(timezone.utc) - _as_utc(_cached(sessions)[0].fetched_at) > timedelta(days=180)


def test_an_invalid_answer_cached_by_an_older_version_is_asked_again(standin, sessions, gazetteer):
    bad = {"id": -(3 * 10**12 + 10**25), "name": "Shusha", "country_code": "AZ", "admin1": None, "kind": "town",
           "feature_code": "PPL", "lat": 39.7583, "lon": 46.7487, "population": 0, "source": "nominatim"}
    with sessions.begin() as session:
        session.add(GeocodeCache(provider="nominatim", query="shusha", params="",
                                 result=[{"address": "Shusha", "lat": 39.7583, "lon": 46.7487, "raw": bad}]))
    answer = nominatim_with_fallback(gazetteer, SqlAnswers(sessions), _settings(standin)).geocode("Shusha")
    assert answer.raw["id"] == -(3 * 10**12 + 5548761)
    assert len(standin.searches("Shusha")) == 1
    assert all(_storable(a["raw"]) for row in _cached(sessions) for a in row.result)


def _asked(standin, name: str) -> int:
    """Searches for `name` the stand-in received (the pipeline sends names in lower case)."""
    return sum(1 for params in standin.searches() if params.get("q", "").lower() == name.lower())


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@pytest.mark.parametrize("mode", HOSTILE_MODES)
def test_ingest_survives_a_hostile_answer_and_asks_again_when_fixed(mode, standin, sessions, gazetteer,
                                                                       monkeypatch):
    from articles.reader import read_text
    from clashmap.pipeline import Pipeline
    from clashmap.loading import ingest_articles, reprocess_stored

    monkeypatch.setenv("CLASHMAP_GEOCODER", "nominatim")
    monkeypatch.setenv("CLASHMAP_NOMINATIM_URL", standin.url)
    monkeypatch.setenv("CLASHMAP_USER_AGENT", f"clashmap-test/{time.monotonic_ns()} (hostile ingest)")
    monkeypatch.setenv("CLASHMAP_NOMINATIM_TIMEOUT", "1")
    monkeypatch.setenv("CLASHMAP_NOMINATIM_DEADLINE", str(DEADLINE))
    standin.mode = mode
    clock = time.monotonic()
    report = ingest_articles([read_text(ARTICLE, "shusha.txt")], sessions, Pipeline(sessions, gazetteer=gazetteer))
    elapsed = time.monotonic() - clock
    assert report.added == ["shusha.txt"] and not report.rejected
    # one failed request, then the service rests: the whole article costs about one deadline
    assert elapsed < DEADLINE + 5, f"a {mode} answer held the ingest for {elapsed:.1f} s"
    with sessions() as session:
        shusha = session.execute(select(Place).join(Mention, Mention.place_id == Place.id)
                                 .where(Mention.text == "Shusha")).scalars().one()
        assert shusha.source != "nominatim" and shusha.country_code == "AZ"
        places = session.scalars(select(Place)).all()
    assert places and all(_storable({c: getattr(p, c) for c in ("id", "name", "country_code", "lat", "lon",
                                                                "population")}) for p in places)
    assert _cached(sessions) == [] or all(row.result is None for row in _cached(sessions))
    # the server is fixed; re-reading the stored article asks Nominatim again and gets its answer
    standin.mode = "ok"
    asked = _asked(standin, "Shusha")
    assert reprocess_stored(sessions) == 1
    assert _asked(standin, "Shusha") == asked + 1
    with sessions() as session:
        shusha = session.execute(select(Place).join(Mention, Mention.place_id == Place.id)
                                 .where(Mention.text == "Shusha")).scalars().one()
        assert shusha.source == "nominatim" and shusha.id == -(3 * 10**12 + 5548761)


SHUSHA_ITEM = {"osm_type": "relation", "osm_id": 5548761, "lat": "39.7583", "lon": "46.7487", "type": "administrative",
               "addresstype": "town", "name": "Shusha", "display_name": "Shusha, Azerbaijan",
               "address": {"country_code": "az", "ISO3166-2-lvl4": "AZ-SUS"}, "extratags": {"population": "4064"}}


@pytest.mark.parametrize("change", [
    {"osm_type": None}, {"osm_type": "planet"}, {"osm_id": 0}, {"osm_id": -5}, {"osm_id": 10**12},
    {"osm_id": "many"}, {"osm_id": 1.5}, {"lat": "91"}, {"lon": "-180.5"}, {"lat": "inf"}, {"lon": None},
    {"name": "Shu\x00sha"}, {"name": "S" * 301}, {"name": "", "display_name": ""}, {"address": "Azerbaijan"},
    {"address": {"country_code": "a"}}, {"address": {"country_code": "1z"}}, {"type": "t" * 65},
    {"extratags": ["population", 4064]},
], ids=lambda change: repr(change)[:30])
def test_an_item_the_store_cannot_hold_is_refused(change):
    from geo.online import nominatim_record

    with pytest.raises(ValueError):
        nominatim_record({**SHUSHA_ITEM, **change})


def test_an_item_is_made_to_fit_the_columns():
    from geo.online import nominatim_record

    record = nominatim_record({**SHUSHA_ITEM, "name": "  Shusha  " + "x" * 250, "address": {"country_code": "az",
                               "ISO3166-2-lvl4": "AZ-" + "S" * 40}, "extratags": {"population": "99999999999"}})
    assert _storable(record) and record["name"].startswith("Shusha") and len(record["name"]) == 200
    assert record["admin1"] is None and record["population"] == 0 and record["country_code"] == "AZ"
    assert nominatim_record({**SHUSHA_ITEM, "lat": 39.7583, "osm_id": "5548761"})["id"] == -(3 * 10**12 + 5548761)


def _json_values():
    from hypothesis import strategies as st

    scalars = (st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
               | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30)
               | st.sampled_from(["1e999", "nan", "-inf", "500", "39.7583", "relation", "N", "az", "", "0"]))
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)


def test_fuzz_any_item_is_a_storable_record_or_refused():
    """Nominatim's item keys (and its address keys) given arbitrary JSON values: a record the store can
    hold, or ValueError; nothing else escapes."""
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    from geo.online import nominatim_record

    keys = st.sampled_from(["osm_type", "osm_id", "lat", "lon", "name", "display_name", "type", "addresstype",
                            "address", "extratags", "place_id"])
    address_keys = st.sampled_from(["country_code", "ISO3166-2-lvl4", "state"])

    @hypothesis.settings(max_examples=200, deadline=None, database=None)
    @hypothesis.given(st.dictionaries(keys, _json_values(), max_size=4),
                      st.dictionaries(address_keys, _json_values(), max_size=2))
    def check(changes, address_changes):
        item = {**SHUSHA_ITEM, "address": {**SHUSHA_ITEM["address"], **address_changes}, **changes}
        try:
            record = nominatim_record(item)
        except ValueError:
            return
        assert _storable(record), record

    check()


def test_fuzz_any_answer_is_places_or_a_failure():
    """Any JSON as a whole answer: checked places, or GeocoderParseError; cached answers likewise judged."""
    hypothesis = pytest.importorskip("hypothesis")
    from geopy.exc import GeocoderParseError
    from hypothesis import strategies as st

    from geo.online import read_answer, valid_cached_answers

    fuzzed = ("lat", "osm_id", "name")
    item = st.fixed_dictionaries({k: st.just(v) for k, v in SHUSHA_ITEM.items() if k not in fuzzed},
                                 optional={k: st.just(SHUSHA_ITEM[k]) | _json_values() for k in fuzzed})

    @hypothesis.settings(max_examples=150, deadline=None, database=None)
    @hypothesis.given(_json_values() | st.lists(item | _json_values(), max_size=4))
    def check(answer):
        try:
            locations = read_answer(answer, query="fuzz")
        except GeocoderParseError:
            return
        assert isinstance(answer, list) and all(_storable(loc.raw) for loc in locations)
        cached = [{"address": loc.address, "lat": loc.latitude, "lon": loc.longitude, "raw": loc.raw}
                  for loc in locations]
        assert valid_cached_answers(cached)
        assert valid_cached_answers(answer) in (True, False)  # never raises on junk

    check()
