"""The events benchmark's matching rule: the gold's time precision widens the date window, and the
gold set splits into a tuning half and a held-out half by article number."""

from __future__ import annotations

from datetime import date

import pytest

from bench.bench_events import HALVES, half_of, matches, score_article
from events.model import ExtractedEvent
from geo.gazetteer import PlaceRecord


def _place(lat: float, lon: float) -> PlaceRecord:
    import dataclasses

    values = {f.name: None for f in dataclasses.fields(PlaceRecord)}
    values.update(id="x", name="Somewhere", lat=lat, lon=lon)
    return PlaceRecord(**values)


def _event(day: str, kind: str = "Battles", lat: float = 40.0, lon: float = 46.0) -> ExtractedEvent:
    return ExtractedEvent(event_date=date.fromisoformat(day), time_precision=1, event_type=kind,
                          sub_event_type="Armed clash", place=_place(lat, lon), geo_precision=1,
                          text="", start=0, end=0, paragraph=0)


def _gold(day: str, precision: int = 1, **extra) -> dict:
    return {"date": day, "time_precision": precision, "event_type": "Battles", "lat": 40.0, "lon": 46.0, **extra}


@pytest.mark.parametrize(("gold_day", "precision", "found_day", "expected"), [
    ("2020-11-08", 1, "2020-11-09", True),
    ("2020-11-08", 1, "2020-11-10", False),
    ("2020-11-25", 2, "2020-11-19", True),     # "last week": anywhere in that week
    ("2020-11-25", 2, "2020-11-17", False),
    ("2020-07-30", 3, "2020-07-01", True),     # "In July": any day of July
    ("2020-07-31", 3, "2020-08-01", True),     # still a day apart
    ("2020-07-05", 3, "2020-08-05", False),    # another month
])
def test_the_gold_time_precision_sets_the_date_window(gold_day, precision, found_day, expected):
    assert matches(_gold(gold_day, precision), _event(found_day)) is expected


def test_type_and_distance_still_decide():
    assert not matches(_gold("2020-07-30", 3), _event("2020-07-30", kind="Protests"))
    assert not matches(_gold("2020-07-30", 3), _event("2020-07-30", lat=41.0))  # about 110 km north


def test_a_vague_extraction_gets_no_slack_from_its_own_precision():
    found = _event("2020-07-01")
    found.time_precision = 3
    assert not matches(_gold("2020-07-30", 1), found)


def test_optional_gold_neither_misses_nor_counts_extra():
    scored = score_article("07-x", [_gold("2020-07-30", 3, optional=True), _gold("2020-08-10")],
                           [_event("2020-07-02"), _event("2020-08-10")])
    assert (len(scored.tp), len(scored.fp), len(scored.fn) + len(scored.fn_place)) == (1, 0, 0)


def test_odd_articles_tune_even_ones_are_held_out():
    assert half_of("01-karabakh-war-begins") == HALVES[0]
    assert half_of("22-lachin-handover") == HALVES[1]
