"""The seed article's events against ../shared/examples/shushi-2020-11-09.expected.json, with DESIGN.md's matching."""

from __future__ import annotations

from pipeline_fixtures import pipeline  # noqa: F401 (pytest fixture)

import json
from pathlib import Path

import pytest

SEED = Path(__file__).parents[2] / ".." / "shared" / "examples" / "shushi-2020-11-09.txt"


@pytest.fixture(scope="module")
def seed(pipeline):
    if not SEED.exists():
        pytest.skip(f"the seed example is not here ({SEED.resolve()}): ../shared is absent in this checkout")
    from articles.reader import read_file

    expected = json.loads(SEED.with_name("shushi-2020-11-09.expected.json").read_text(encoding="utf-8"))
    return pipeline.read(read_file(SEED)[0]), expected


def _near_shushi(event) -> bool:
    from geopy.distance import great_circle

    return event.place is not None and great_circle((event.place.lat, event.place.lon), (39.7601, 46.7499)).km <= 50


def test_every_required_expected_event_is_found(seed):
    from datetime import date

    reading, expected = seed
    for gold in expected["events"]:
        if gold.get("optional"):
            continue
        day = date.fromisoformat(gold["date"])
        found = [e for e in reading.events if e.event_type == gold["event_type"]
                 and abs((e.event_date - day).days) <= 1 and _near_shushi(e)]
        assert found, f"missing: {gold['what']}"


def test_the_saturday_battle_carries_the_ministry_claim_and_losses(seed):
    reading, _ = seed
    battle = [e for e in reading.events if e.event_date.isoformat() == "2020-11-07" and e.event_type == "Battles"]
    assert len(battle) == 1
    assert battle[0].claimed_by == "Armenian Ministry of Defense"
    assert battle[0].losses == {"tanks": 4, "armored vehicles": 20, "soft-skinned vehicles": 11, "UAVs": 2}
    assert battle[0].place.id == 147105


def test_the_sunday_assault_names_both_sides(seed):
    reading, _ = seed
    storm = [e for e in reading.events if e.event_date.isoformat() == "2020-11-08"
             and e.sub_event_type == "Armed clash"]
    assert storm and {storm[0].actor1, storm[0].actor2} == {"Military Forces of Azerbaijan", "Artsakh Defense Army"}
    text = reading.article.text
    assert [text[s:e] for s, e in storm[0].evidence["date"]][0] == "Sunday"


def test_an_undated_sentence_points_at_the_date_the_story_gave(seed):
    reading, _ = seed
    shelling = [e for e in reading.events if e.event_type == "Explosions/Remote violence"]
    text = reading.article.text
    assert shelling and [text[s:e] for s, e in shelling[0].evidence["date"]] == ["Sunday"]


def test_aliyevs_announcement_is_contested_by_local_sources(seed):
    reading, _ = seed
    claim = [e for e in reading.events if e.claimed_by == "Ilham Aliyev"]
    assert claim and claim[0].contested and claim[0].event_type == "Strategic developments"
    assert claim[0].actor1 == "Military Forces of Azerbaijan"
    text = reading.article.text
    assert "still in firm control" in [text[s:e] for s, e in claim[0].evidence["contested"]]  # the contrary account


def test_the_background_date_is_resolved_in_the_year_of_publication(seed):
    reading, _ = seed
    background = [e for e in reading.events if e.event_date.isoformat() == "2020-09-27"]
    assert background and background[0].geo_precision == 3 and background[0].place.kind == "region"


def test_no_event_at_the_dateline_and_none_after_publication(seed):
    reading, _ = seed
    assert all(e.place is None or e.place.name != "Beirut" for e in reading.events)
    assert all(e.event_date <= reading.article.published for e in reading.events)
