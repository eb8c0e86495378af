"""The seed article through the real `clashmap extract` command, checked against the reading we expect."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from core_samples import REPO


def _km(a_lat, a_lon, b_lat, b_lon) -> float:
    from geopy.distance import geodesic

    return geodesic((a_lat, a_lon), (b_lat, b_lon)).km


@pytest.fixture(scope="module")
def seed_json(request):
    from core_samples import SEED

    if not SEED.exists():
        pytest.skip(f"the seed example is not here ({SEED}): ../shared is absent in this checkout")
    out = subprocess.run([sys.executable, "-m", "clashmap", "extract", str(SEED), "--format", "json"],
                         cwd=REPO, capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert len(lines) == 1, "one JSON object per input file"
    return json.loads(lines[0]), SEED.read_text(encoding="utf-8")


def test_publication_date_and_dateline(seed_json):
    reading, _ = seed_json
    assert reading["published"] == "2020-11-09"
    assert reading["dateline"]["text"] == "BEIRUT, LEBANON"
    place = reading["dateline"]["place"]
    assert (place["name"], place["country_code"]) == ("Beirut", "LB")


def test_every_shushi_is_shusha_in_azerbaijan(seed_json):
    reading, text = seed_json
    shushi = [p for p in reading["places"] if p["text"] == "Shushi"]
    assert len(shushi) == text.count("Shushi"), "every mention, #Shushi included"
    for mention in shushi:
        assert text[mention["start"] : mention["end"]] == "Shushi"
        assert mention["place"]["geonameid"] == 147105
        assert mention["role"] == "event"
        assert _km(mention["place"]["lat"], mention["place"]["lon"], 39.7601, 46.7499) < 5


def test_karabakh_is_the_region_and_beirut_the_dateline(seed_json):
    reading, _ = seed_json
    karabakh = [p for p in reading["places"] if p["text"] == "Karabakh"]
    assert karabakh and karabakh[0]["place"]["kind"] == "region"
    assert _km(karabakh[0]["place"]["lat"], karabakh[0]["place"]["lon"], 39.92, 46.74) < 161
    roles = {p["text"]: p["role"] for p in reading["places"]}
    assert roles.get("BEIRUT") == "dateline"


def test_demonyms_and_actor_names_are_not_event_places(seed_json):
    reading, _ = seed_json
    texts = {p["text"] for p in reading["places"]}
    assert "Artsakh" not in texts
    # "Azerbaijani forces": the demonym names its country, as a mention (geo.demonym_places), never an event place
    for p in reading["places"]:
        if p["text"] in ("Azerbaijani", "Armenian"):
            assert p["role"] == "mention" and p["place"]["kind"] == "country"


def _matching(events, event_type, day, near=(39.7601, 46.7499)):
    from datetime import date

    target = date.fromisoformat(day)
    return [e for e in events if e["event_type"] == event_type and e["date"]
            and abs((date.fromisoformat(e["date"]) - target).days) <= 1
            and e["place"] and _km(e["place"]["lat"], e["place"]["lon"], *near) <= 50]


def test_storming_of_shushi_on_sunday(seed_json):
    reading, _ = seed_json
    found = _matching(reading["events"], "Battles", "2020-11-08")
    assert any(e["date"] == "2020-11-08" and e["sub_event_type"] == "Armed clash"
               and e["actor1"] == "Military Forces of Azerbaijan" and e["actor2"] == "Artsakh Defense Army"
               for e in found)


def test_artillery_and_missile_strikes_on_the_city(seed_json):
    reading, _ = seed_json
    found = _matching(reading["events"], "Explosions/Remote violence", "2020-11-08")
    assert any(e["sub_event_type"] == "Shelling/artillery/missile attack" for e in found)


def test_overnight_clashes_claimed_by_the_armenian_ministry(seed_json):
    reading, text = seed_json
    found = [e for e in _matching(reading["events"], "Battles", "2020-11-07") if e["date"] == "2020-11-07"]
    assert found, "the clashes that began on Saturday evening"
    event = found[0]
    assert event["claimed_by"] == "Armenian Ministry of Defense"
    assert event["losses"] == {"tanks": 4, "armored vehicles": 20, "soft-skinned vehicles": 11, "UAVs": 2}
    assert text[event["start"] : event["end"]] == event["text"]


def test_evidence_offsets_point_into_the_file(seed_json):
    reading, text = seed_json
    for event in reading["events"]:
        assert text[event["start"] : event["end"]] == event["text"]
        for spans in event["evidence"].values():
            for start, end in spans:
                assert 0 <= start < end <= len(text)
