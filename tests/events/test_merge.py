"""Several outlets reporting one event become one stored event with all its sources."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from articles.reader import read_text
from events.model import Reading
from events.merge import lock_cells, merge_fatalities, merge_losses, same_event
from events.model import ExtractedEvent
from geo.gazetteer import PlaceRecord
from store.schema import Place

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


GARAYUSIFLI = PlaceRecord(-1068, "Garayusifli", "AZ", None, "village", None, 40.36, 47.15, 0, "curated")
STEPANAKERT = PlaceRecord(174875, "Stepanakert", "AZ", None, "city", "PPLA", 39.8177, 46.7528, 55000, "geonames")
SHUSHI = PlaceRecord(586523, "Shushi", "AZ", None, "city", "PPL", 39.7601, 46.7499, 4000, "geonames")


def _report(day: int, place, geo_precision=1, actor1="Military Forces of Armenia", actor2=None,
            fatalities=None, losses=None, sub="Shelling/artillery/missile attack", text="Rockets hit Barda.") -> ExtractedEvent:
    return ExtractedEvent(date(2020, 10, day), 1, "Explosions/Remote violence", sub, place, geo_precision,
                          text, 0, len(text), 0, actor1=actor1, actor2=actor2, fatalities=fatalities,
                          losses=losses or {})


def test_a_village_by_the_town_or_the_district_around_it_is_the_same_place():
    assert same_event(_report(27, BARDA), _report(27, GARAYUSIFLI))  # 2.6 km apart
    assert same_event(_report(27, BARDA, geo_precision=3), _report(27, TARTAR))  # "the Barda district": 17 km
    assert not same_event(_report(27, BARDA), _report(27, TARTAR))  # two towns 17 km apart: two strikes
    assert not same_event(_report(28, STEPANAKERT), _report(28, SHUSHI))  # 6 km apart, both towns by name


def test_vaguer_dates_widen_the_window():
    week = _report(20, BARDA)
    week.time_precision = 2  # "last week"
    assert same_event(week, _report(25, BARDA)) and not same_event(_report(20, BARDA), _report(25, BARDA))


def test_merged_counts_follow_the_conservative_rule():
    assert merge_fatalities({"low": 21, "best": 21, "high": 21}, {"low": 19, "best": 19, "high": 19}) == \
        {"low": 19, "best": 19, "high": 21}
    assert merge_fatalities(None, {"low": 5, "best": 5, "high": None}) == {"low": 5, "best": 5, "high": None}
    assert merge_losses({"tanks": 3}, {"tanks": 5, "UAVs": 2}) == {"tanks": 5, "UAVs": 2}


def test_writers_whose_reports_can_merge_share_a_lock_cell():
    # either side of a grid line (47.0 E): the two writers must still queue behind one lock
    west, east = (40.37, 46.95), (40.37, 47.05)
    assert lock_cells(*west) & lock_cells(*east)
    assert (40, 46) in lock_cells(*west) and len(lock_cells(*west)) <= 4


_OUTLET_A = ("source: Caspian Courier\ndate 2020-10-28 BAKU, AZERBAIJAN – Rockets fired by Armenian forces "
             "hit the centre of Barda on Wednesday, killing 21 civilians, prosecutors said.")
_OUTLET_B = ("source: Kura Valley Times\ndate 2020-10-28 BARDA, AZERBAIJAN – Cluster rockets struck the Barda "
             "district today; officials counted 19 dead, and residents of the village of Garayusifli said "
             "shells had also fallen there the day before.")


def test_two_outlets_reporting_one_shelling_share_one_event_with_both_sources(sessions):
    from store.ingest import store_reading
    from store.schema import Event

    first = _reading(_OUTLET_A, [_report(28, BARDA, fatalities={"low": 21, "best": 21, "high": 21},
                                         actor2="Civilians (AZ)", text=_OUTLET_A[-100:])])
    # the second outlet gives only the district for today's strike, and tells a village's strike the day before
    second = _reading(_OUTLET_B, [_report(28, BARDA, geo_precision=3, actor1=None,
                                          fatalities={"low": 19, "best": 19, "high": 19}, text=_OUTLET_B[-150:]),
                                  _report(27, GARAYUSIFLI, actor1=None, text=_OUTLET_B[-80:])])
    assert store_reading(sessions, second) and store_reading(sessions, first)
    with sessions() as session:
        events = {e.event_date.day: e for e in session.scalars(select(Event))}
        assert sorted(events) == [27, 28]
        barda = events[28]
        assert {s.article_id for s in barda.sources} == {first.article.id, second.article.id}
        assert {s.article_id for s in events[27].sources} == {second.article.id}
        # the town beats the district; the named attacker is kept; the lower count is the best estimate
        assert (barda.place_id, barda.geo_precision) == (BARDA.id, 1)
        assert (barda.actor1, barda.actor2) == ("Military Forces of Armenia", "Civilians (AZ)")
        assert (barda.fatalities_low, barda.fatalities_best, barda.fatalities_high) == (19, 19, 21)


def test_strikes_on_one_town_on_consecutive_days_in_one_article_stay_two(sessions):
    from store.ingest import store_reading
    from store.schema import Event

    text = ("date 2020-10-29 BAKU, AZERBAIJAN – Rockets hit Tartar on Tuesday. On Wednesday Tartar was shelled "
            "again.")
    # the second article tells the village strike first: the best pair (same day, same place) still wins
    other = ("date 2020-10-29 GANJA, AZERBAIJAN – Shells fell near Garayusifli on Tuesday and on Barda on "
             "Wednesday.")
    assert store_reading(sessions, _reading(text, [_report(27, TARTAR), _report(28, TARTAR)]))
    assert store_reading(sessions, _reading("date 2020-10-28 – Rockets hit Barda on Wednesday.", [_report(28, BARDA)]))
    assert store_reading(sessions, _reading(other, [_report(27, GARAYUSIFLI, geo_precision=2), _report(28, BARDA)]))
    with sessions() as session:
        counts = sorted((e.event_date.day, session.get(Place, e.place_id).name, len(e.sources))
                        for e in session.scalars(select(Event)))
    assert counts == [(27, "Garayusifli", 1), (27, "Terter", 1), (28, "Barda", 2), (28, "Terter", 1)]
