"""`store.queries.events_frame` (what the dashboard, the exports and `clashmap export` read) on a real SQLite
and a real PostgreSQL store: each value as stored, read through the driver's own rows (not SQLAlchemy's)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import pytest
from sqlalchemy import delete, select, update

from store.queries import EVENT_COLUMNS, events_frame, read_events
from store.schema import Article, Event, EventSource, Place

EARLY = datetime(2024, 3, 1, 8, 30, 5, 123456, tzinfo=timezone.utc)
LATE = datetime(2024, 3, 4, 17, 0, 0, tzinfo=timezone.utc)


def _fill(sessions) -> None:
    with sessions() as s, s.begin():
        s.add_all([Place(id=9001, name="Harbour Town", country_code="ZZ", admin1="07", kind="city", lat=10.5,
                         lon=-20.25, population=5, source="test"),
                   Place(id=9002, name="Hill Village", country_code="ZY", kind="village", lat=-1.0, lon=2.0,
                         population=0, source="test")])
        s.add_all([Article(id="art-b", source_path="b.txt", outlet="Zeta Wire", text="b", ingested_at=LATE),
                   Article(id="art-a", source_path="a.txt", outlet="Alpha Post", text="a", ingested_at=EARLY),
                   Article(id="art-c", source_path="c.txt", outlet=None, text="c", ingested_at=EARLY)])
        s.flush()
        s.add_all([
            Event(id=1, key="k1", event_date=date(2024, 3, 2), event_type="Battles", sub_event_type="Armed clash",
                  actor1="Side A", actor2="Side B", place_id=9001, fatalities_best=3,
                  losses={"tanks": 2, "drones": 1}, claimed_by="Side A", contested=True),
            Event(id=2, key="k2", event_date=None, event_type="Protests", sub_event_type="Peaceful protest",
                  place_id=None, losses={}, contested=False),
            Event(id=3, key="k3", event_date=date(2024, 3, 1), event_type="Battles", sub_event_type="Armed clash",
                  place_id=9002, fatalities_best=0, losses={"tanks": 2, "drones": 1}),
        ])
        s.flush()
        # event 1: reported by art-b first, then art-a (the order they were stored in), outlets sorted
        s.add_all([EventSource(event_id=1, article_id="art-b", text="Shelling near the harbour.", start=0, end=5),
                   EventSource(event_id=1, article_id="art-a", text="A second account.", start=0, end=5),
                   EventSource(event_id=3, article_id="art-c", text="Clash on the hill.", start=0, end=5)])


def test_events_frame_values_as_stored(sessions):
    _fill(sessions)
    frame = events_frame(sessions)
    assert list(frame.columns) == EVENT_COLUMNS
    # by date (the undated event first on SQLite, last on PostgreSQL: where each puts NULLs)
    assert [e for e in frame["event_id"].tolist() if e != 2] == [3, 1] and len(frame) == 3
    rows = {r["event_id"]: r for r in frame.to_dict("records")}
    one, two, three = rows[1], rows[2], rows[3]
    assert one["event_date"] == pd.Timestamp("2024-03-02") and pd.isna(two["event_date"])
    assert (one["place"], one["country_code"], one["admin1_code"], one["place_kind"]) == (
        "Harbour Town", "ZZ", "07", "city")
    assert (one["lat"], one["lon"], one["fatalities"]) == (10.5, -20.25, 3)
    assert one["losses"] == {"tanks": 2, "drones": 1} and two["losses"] == {} and three["losses"] == one["losses"]
    assert one["contested"] is True and two["contested"] is False and three["contested"] is False
    assert one["article_ids"] == ["art-b", "art-a"] and one["n_sources"] == 2
    assert one["outlets"] == ["Alpha Post", "Zeta Wire"] and three["outlets"] == []
    assert one["evidence"] == "Shelling near the harbour."
    assert two["article_ids"] == [] and two["n_sources"] == 0 and two["evidence"] == "" and pd.isna(two["place"])
    # the newest of its articles' ingest times, in UTC, to the microsecond
    assert one["updated_at"] == pd.Timestamp(LATE) and three["updated_at"] == pd.Timestamp(EARLY)
    assert pd.isna(two["updated_at"])
    assert str(frame["event_date"].dtype) == "datetime64[s]" and str(frame["updated_at"].dtype) == "datetime64[us, UTC]"


def test_events_frame_of_an_empty_store_and_of_events_without_sources(sessions):
    """A reader polls a store before and while ingests fill it (tests/hosting/test_concurrency.py)."""
    frame = events_frame(sessions)
    assert frame.empty and list(frame.columns) == EVENT_COLUMNS
    with sessions() as s, s.begin():
        s.add(Event(id=5, key="k5", event_date=date(2024, 1, 1), event_type="Protests", sub_event_type="Protest",
                    losses={}))
    frame = events_frame(sessions)
    assert frame["event_id"].tolist() == [5] and frame["article_ids"].tolist() == [[]]
    assert pd.isna(frame["updated_at"].iloc[0]) and frame["losses"].tolist() == [{}]


def full_read(sessions):
    from store.queries import (_OWN, EventsRead, _driver_rows, _event_select, _fingerprints, _frame, _links,
                               _source_select)

    with sessions() as session:
        rows = _driver_rows(session.connection(), _event_select())
        sources = _driver_rows(session.connection(), _source_select())
    return EventsRead(_frame(rows, sources), _fingerprints(rows, _OWN), _links(sources))


def _same_as_a_full_read(sessions, updated) -> None:
    """`updated` (read_events with a previous read) is, value for value and dtype for dtype, a full read."""
    full = full_read(sessions)
    pd.testing.assert_frame_equal(updated.frame, full.frame)
    assert updated.rows == full.rows and updated.links == full.links


def test_an_update_reads_only_what_changed_and_gives_the_frame_a_full_read_gives(sessions, monkeypatch):
    """The dashboard brings its events frame up to date after each ingest, reprocess or correction instead of
    reading 100k events again (dashboard.data): new, moved, re-sourced and deleted events all show."""
    import store.queries as queries

    monkeypatch.setattr(queries, "INCREMENTAL_SHARE", 1.0)  # a store of 3 events: never read whole
    monkeypatch.setattr(queries, "_full_read", lambda connection: pytest.fail("read whole"))
    _fill(sessions)
    first = full_read(sessions)
    assert read_events(sessions, first) is first  # nothing changed: the same read, the same frame object
    with sessions() as s, s.begin():  # an ingest: a new article, a new undated event, one more source of event 3
        s.add(Place(id=9003, name="Bay Point", country_code="ZX", kind="town", lat=1.0, lon=1.0, population=0,
                    source="test"))
        s.add(Article(id="art-d", source_path="d.txt", outlet="Delta News", text="d", ingested_at=LATE))
        s.flush()
        s.add(Event(id=7, key="k7", event_date=None, event_type="Riots", sub_event_type="Mob violence",
                    place_id=9003, fatalities_best=None, losses={"cars": 4}, contested=False))
        s.flush()
        s.add_all([EventSource(event_id=7, article_id="art-d", text="Cars burned.", start=0, end=5),
                   EventSource(event_id=3, article_id="art-d", text="The hill again.", start=0, end=5)])
        s.execute(update(Event).where(Event.id == 3).values(fatalities_best=4))
    second = read_events(sessions, first)
    assert second is not first and first.frame["event_id"].tolist() != second.frame["event_id"].tolist()
    _same_as_a_full_read(sessions, second)
    row = second.frame.set_index("event_id").loc[3]
    assert row["fatalities"] == 4 and row["outlets"] == ["Delta News"] and row["updated_at"] == pd.Timestamp(LATE)
    with sessions() as s, s.begin():  # a correction moves an event; a reprocess drops one and its sources
        s.execute(update(Event).where(Event.id == 1).values(place_id=9002))
        s.execute(delete(EventSource).where(EventSource.event_id == 7))
        s.execute(delete(Event).where(Event.id == 7))
    third = read_events(sessions, second)
    _same_as_a_full_read(sessions, third)
    assert 7 not in third.frame["event_id"].tolist()
    assert third.frame.set_index("event_id").loc[1, "place"] == "Hill Village"
    with sessions() as s, s.begin():  # an article re-stored: the same event loses one source and gains another
        s.execute(delete(EventSource).where(EventSource.article_id == "art-a"))
        s.add(EventSource(event_id=1, article_id="art-a", text="Re-read account.", start=0, end=5))
    fourth = read_events(sessions, third)
    _same_as_a_full_read(sessions, fourth)
    assert fourth.frame.set_index("event_id").loc[1, "article_ids"] == ["art-b", "art-a"]
    with sessions() as s, s.begin():  # a link deleted and its id given to the next one (as SQLite does)
        link = s.scalar(select(EventSource).where(EventSource.article_id == "art-c"))
        link_id = link.id
        s.delete(link)
        s.add(Article(id="art-e", source_path="e.txt", outlet="Echo Daily", text="e", ingested_at=EARLY))
        s.flush()
        s.add(EventSource(id=link_id, event_id=3, article_id="art-e", text="Clash on the hill.", start=0, end=5))
    fifth = read_events(sessions, fourth)
    _same_as_a_full_read(sessions, fifth)
    assert fifth.frame.set_index("event_id").loc[3, "article_ids"] == ["art-e", "art-d"]


def test_an_update_of_most_events_is_a_full_read(sessions, monkeypatch):
    import store.queries as queries

    _fill(sessions)
    first = read_events(sessions)
    full_read, full_reads = queries._full_read, []
    monkeypatch.setattr(queries, "_full_read", lambda connection: full_reads.append(1) or full_read(connection))
    with sessions() as s, s.begin():  # two events of three changed: one full read, not two thirds of one
        s.execute(update(Event).where(Event.id.in_([1, 3])).values(fatalities_best=9))
    _same_as_a_full_read(sessions, read_events(sessions, first))
    assert len(full_reads) == 1
    monkeypatch.setattr(queries, "INCREMENTAL_SHARE", 0.5)
    before = read_events(sessions)
    with sessions() as s, s.begin():
        s.execute(update(Event).where(Event.id == 3).values(fatalities_best=8))
    after = read_events(sessions, before)
    assert len(full_reads) == 2  # one event of three changed: brought up to date, not read whole
    _same_as_a_full_read(sessions, after)


def test_dateline_frames_count_articles_per_place(sessions):
    """The map's dateline layer reads two columns of the articles and a count per place made by the database."""
    from store.queries import article_datelines_frame, dateline_places_frame

    _fill(sessions)
    with sessions() as s, s.begin():
        for article_id, place_id in (("art-a", 9001), ("art-b", 9001), ("art-c", 9002)):
            s.get(Article, article_id).dateline_place_id = place_id
        s.add(Article(id="art-e", source_path="e.txt", text="e", dateline_place_id=None))
    places = dateline_places_frame(sessions)
    assert places.to_dict("records") == [
        {"place_id": 9001, "place": "Harbour Town", "lat": 10.5, "lon": -20.25, "n_articles": 2},
        {"place_id": 9002, "place": "Hill Village", "lat": -1.0, "lon": 2.0, "n_articles": 1}]
    links = article_datelines_frame(sessions)
    assert sorted(map(tuple, links.itertuples(index=False))) == [("art-a", 9001), ("art-b", 9001), ("art-c", 9002)]
