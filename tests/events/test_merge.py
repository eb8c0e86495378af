"""Several outlets reporting one event become one stored event with all its sources."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from articles.reader import read_text
from clashmap.pipeline import Reading
from events.merge import same_event
from events.model import ExtractedEvent
from geo.gazetteer import PlaceRecord

BARDA = PlaceRecord(587057, "Barda", "AZ", "Barda", "city", "PPLA", 40.37, 47.13, 37000, "geonames")
TARTAR = PlaceRecord(585566, "Terter", "AZ", "Tartar", "city", "PPLA", 40.34, 46.93, 18000, "geonames")


def _event(day: int, place=BARDA, kind="Explosions/Remote violence", actor1="Military Forces of Armenia",
           actor2=None) -> ExtractedEvent:
    return ExtractedEvent(date(2020, 10, day), 1, kind, "Shelling/artillery/missile attack", place, 1,
                          "Rockets hit Barda.", 0, 18, 0, actor1=actor1, actor2=actor2)


def test_one_day_apart_same_place_and_type_is_one_event():
    assert same_event(_event(28), _event(27))
    assert same_event(_event(28, actor2="Civilians (AZ)"), _event(28))  # one outlet names the victims too
    assert same_event(_event(28, actor2="Civilians (AZ)"), _event(28, actor2="Civilians"))


def test_two_days_apart_another_place_type_or_side_are_different_events():
    assert not same_event(_event(28), _event(26))
    assert not same_event(_event(28), _event(28, place=TARTAR))
    assert not same_event(_event(28), _event(28, kind="Battles"))
    assert not same_event(_event(28), _event(28, actor1="Military Forces of Azerbaijan"))
    assert not same_event(_event(28, place=None), _event(28, place=None))  # no place: no tolerant merge


def _reading(text: str, events: list[ExtractedEvent]) -> Reading:
    article = read_text(text, source="test")
    return Reading(article, [], events)


def test_store_merges_reports_from_two_outlets_but_not_two_days_of_one_article(sessions):
    from store.ingest import store_reading
    from store.schema import Event, EventSource

    first = _reading("date 2020-10-28 BAKU, AZERBAIJAN – Rockets hit Barda on Wednesday.", [_event(28)])
    # the second outlet dates the same strike to the night before, and also reports the day before it
    second = _reading("date 2020-10-29 BAKU, AZERBAIJAN – Rockets hit Barda overnight. Barda was also hit on Tuesday.",
                      [_event(27), _event(28)])
    assert store_reading(sessions, first) and store_reading(sessions, second)
    with sessions() as session:
        events = session.scalars(select(Event).order_by(Event.event_date)).all()
        sources = sorted((e.event_date.day, session.scalar(select(func.count()).select_from(EventSource)
                                                   .where(EventSource.event_id == e.id))) for e in events)
    assert sources == [(27, 1), (28, 2)]
