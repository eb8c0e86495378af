"""geopy interface over the offline gazetteer, and the persistent cache in front of it."""

from __future__ import annotations

import time

from geopy.location import Location

from store.geocache import cached_geocoder
from geo.geocoders import GazetteerGeocoder
from store.db import open_store


def test_offline_geocoder_speaks_geopy(gazetteer):
    location = GazetteerGeocoder(gazetteer).geocode("Shushi")
    assert isinstance(location, Location)
    assert location.raw["id"] == 147105 and location.raw["country_code"] == "AZ"
    assert abs(location.latitude - 39.76) < 0.05 and abs(location.longitude - 46.75) < 0.05


def test_country_outranks_namesake_towns(gazetteer):
    assert GazetteerGeocoder(gazetteer).geocode("Lebanon").raw["kind"] == "country"


def test_country_filter(gazetteer):
    locations = GazetteerGeocoder(gazetteer).geocode("Barda", exactly_one=False, country_codes=["RU"])
    assert locations and {loc.raw["country_code"] for loc in locations} == {"RU"}


def test_gazetteer_cold_start_is_cheap(gazetteer_index):
    from geo.gazetteer import Gazetteer

    started = time.perf_counter()
    Gazetteer(gazetteer_index).lookup("Ganja")
    # not a speed target (that is in `make bench`): proves no package JSON is parsed on start
    assert time.perf_counter() - started < 5


def test_cache_answers_the_second_time_and_remembers_misses(store_url, gazetteer):
    url = store_url
    first = cached_geocoder(GazetteerGeocoder(gazetteer), open_store(url))
    assert first.geocode("Ganja").raw["country_code"] == "AZ"
    assert first.geocode("Qwertyville Zzz") is None
    assert first.computed == 2

    second = cached_geocoder(GazetteerGeocoder(gazetteer), open_store(url))
    assert second.geocode("ganja").raw["country_code"] == "AZ"
    assert second.geocode("Qwertyville Zzz") is None
    assert second.computed == 0, "both answers, the miss included, came from the persistent cache"
