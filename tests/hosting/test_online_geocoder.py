"""Nominatim through geopy against a stand-in server on 127.0.0.1: answers, cache, politeness, outages."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from geo.online import NominatimSettings, nominatim_record, nominatim_with_fallback, recent_failures
from store.geocache import SqlAnswers
from nominatim_standin import PLACES, standin_settings
from store.schema import GeocodeCache


def _settings(standin, **overrides) -> NominatimSettings:
    return standin_settings(standin, "hosting tests", **overrides)


def test_answer_is_a_gazetteer_shaped_record(standin, sessions, gazetteer):
    geocoder = nominatim_with_fallback(gazetteer, SqlAnswers(sessions), _settings(standin))
    found = geocoder.geocode("Shusha", exactly_one=False)
    record = found[0].raw
    assert record == {"id": -(3 * 10**12 + 5548761), "name": "Shusha", "country_code": "AZ", "admin1": "AZ-SUS",
                      "kind": "town", "feature_code": "PPL", "lat": 39.7583, "lon": 46.7487, "population": 4064,
                      "source": "nominatim"}
    assert (found[0].latitude, found[0].longitude) == (39.7583, 46.7487)
    sent = standin.searches("Shusha")[0]
    assert sent["format"] == "json" and sent["addressdetails"] == "1"
    assert standin.requests[0][3].startswith("clashmap-test/")


def test_records_for_every_kind_of_place():
    assert nominatim_record(PLACES["azerbaijan"] | {"address": PLACES["azerbaijan"]["address"]})["kind"] == "country"
    barda = nominatim_record(PLACES["barda"])
    assert barda["population"] == 41000 and barda["kind"] == "city" and barda["id"] == -(10**12 + 2553419786)


def test_a_query_is_sent_once_across_processes_and_a_miss_is_remembered(standin, sessions, gazetteer):
    settings = _settings(standin)
    first = nominatim_with_fallback(gazetteer, SqlAnswers(sessions), settings)
    assert first.geocode("Barda").raw["name"] == "Barda"
    assert first.geocode("Nowhereville") is None
    # a second geocoder on the same store (another process, another editor) asks nothing again
    second = nominatim_with_fallback(gazetteer, SqlAnswers(sessions), settings)
    assert second.geocode("Barda").raw["name"] == "Barda"
    assert second.geocode("Nowhereville") is None
    assert len(standin.searches("Barda")) == 1
    assert len(standin.searches("Nowhereville")) == 1


def test_a_remembered_miss_expires(standin, sessions, gazetteer):
    settings = _settings(standin, miss_ttl=timedelta(days=30))
    assert nominatim_with_fallback(gazetteer, SqlAnswers(sessions), settings).geocode("Nowhereville") is None
    with sessions.begin() as session:
        session.execute(update(GeocodeCache).where(GeocodeCache.provider == "nominatim")
                        .values(fetched_at=datetime.now(timezone.utc) - timedelta(days=31)))
    assert nominatim_with_fallback(gazetteer, SqlAnswers(sessions), settings).geocode("Nowhereville") is None
    assert len(standin.searches("Nowhereville")) == 2


def test_requests_are_at_least_one_second_apart(standin, sessions, gazetteer):
    geocoder = nominatim_with_fallback(gazetteer, SqlAnswers(sessions), _settings(standin, min_delay=1.0))
    for name in ("Shusha", "Barda", "Azerbaijan"):
        geocoder.geocode(name)
    times = [t for t, path, _, _ in standin.requests if path == "/search"]
    assert len(times) == 3
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.95


def test_default_settings_name_the_deployment(monkeypatch):
    monkeypatch.delenv("CLASHMAP_USER_AGENT", raising=False)
    monkeypatch.setenv("CLASHMAP_DEPLOYMENT", "newsroom.example")
    monkeypatch.setenv("CLASHMAP_NOMINATIM_URL", "https://geo.newsroom.example/nominatim")
    settings = NominatimSettings.from_env()
    assert settings.user_agent.startswith("clashmap/") and "(newsroom.example)" in settings.user_agent
    from geo.online import NominatimGeocoder

    geocoder = NominatimGeocoder(settings)
    assert geocoder.nominatim.api == "https://geo.newsroom.example/nominatim/search"
    assert geocoder.limited.min_delay_seconds == 1.0


@pytest.mark.parametrize("mode", ["slow", "429", "500"])
def test_an_outage_falls_back_to_the_gazetteer_and_is_not_cached(mode, standin, sessions, gazetteer, caplog):
    standin.mode = mode
    standin.delay = 5.0
    started = datetime.now(timezone.utc)
    geocoder = nominatim_with_fallback(gazetteer, SqlAnswers(sessions), _settings(standin, timeout=0.5))
    clock = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="geo.online"):
        answer = geocoder.geocode("Shusha", exactly_one=False)
        also = geocoder.geocode("Barda")  # the service rests after a failure: answered offline at once
    elapsed = time.monotonic() - clock
    assert elapsed < 3.0, f"an outage must not hang the ingest ({elapsed:.1f} s)"
    assert answer and answer[0].raw["source"] != "nominatim" and answer[0].raw["country_code"] == "AZ"
    assert also is not None and also.raw["source"] != "nominatim"
    assert len(standin.searches()) == 1
    # logged, and visible to editors
    assert any("Shusha" in r.getMessage() for r in caplog.records)
    failures = recent_failures(since=started)
    assert [f.query for f in failures] == ["Shusha"] == [f.query for f in geocoder.failures]
    assert standin.url in failures[0].service
    # nothing cached as "not found" under Nominatim: the next run asks again once the service is back
    with sessions() as session:
        assert session.scalars(select(GeocodeCache).where(GeocodeCache.provider == "nominatim")).all() == []
    standin.mode = "ok"
    fresh = nominatim_with_fallback(gazetteer, SqlAnswers(sessions), _settings(standin))
    assert fresh.geocode("Shusha").raw["source"] == "nominatim"


def test_an_unreachable_service_falls_back(sessions, gazetteer):
    from store.pgcluster import free_port

    settings = NominatimSettings(url=f"http://127.0.0.1:{free_port()}", user_agent="clashmap-test (unreachable)",
                                 timeout=1.0, min_delay=0.05)
    answer = nominatim_with_fallback(gazetteer, SqlAnswers(sessions), settings).geocode("Shusha")
    assert answer is not None and answer.raw["source"] != "nominatim" and answer.raw["country_code"] == "AZ"


def test_pipeline_uses_nominatim_when_configured(standin, sessions, gazetteer, monkeypatch):
    from articles.reader import read_text
    from clashmap.pipeline import Pipeline

    monkeypatch.setenv("CLASHMAP_GEOCODER", "nominatim")
    monkeypatch.setenv("CLASHMAP_NOMINATIM_URL", standin.url)
    monkeypatch.setenv("CLASHMAP_USER_AGENT", "clashmap-test (pipeline)")
    reading = Pipeline(sessions, gazetteer=gazetteer).read(read_text(
        "date 2020-11-08 BAKU, AZERBAIJAN – Azerbaijani forces entered the town of Shusha on Sunday, "
        "the Ministry of Defense said.\n", "x.txt"))
    shusha = [r for r in reading.mentions if r.toponym.text == "Shusha"]
    assert shusha and shusha[0].place is not None and shusha[0].place.source == "nominatim"
    assert all(agent == "clashmap-test (pipeline)" for _, _, _, agent in standin.requests)


def test_a_slow_answer_within_the_timeout_is_used(standin, sessions, gazetteer):
    standin.mode, standin.delay = "slow", 0.4
    geocoder = nominatim_with_fallback(gazetteer, SqlAnswers(sessions), _settings(standin, timeout=2.0))
    answer = geocoder.geocode("Shusha")
    assert answer.raw["source"] == "nominatim" and not geocoder.failures
