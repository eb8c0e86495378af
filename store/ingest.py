"""Store readings: articles, mentions, places and events, idempotently.

An article is identified by the hash of its normalised text, so ingesting the same file twice
changes nothing. Each article is stored in its own transaction: a file that fails loses
nothing already stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from clashmap.pipeline import Reading
from events.merge import best_match, date_window
from store.db import run_transaction, serialize_writers
from store.places import ensure_place
from store.schema import Article, Event, EventSource, Mention, Place


@dataclass
class IngestReport:
    """Per-file outcome, for the CLI summary and the dashboard's ingest page."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


def article_exists(sessions: sessionmaker[Session], article_id: str) -> bool:
    with sessions() as session:
        return session.get(Article, article_id) is not None


def store_reading(sessions: sessionmaker[Session], reading: Reading) -> bool:
    """Store one reading; False when the article was already there (nothing is changed then).

    Safe with several ingest processes on one store: when another process stores the same article,
    event or place between our read and our insert, the transaction is replayed from scratch and then
    sees their row (the article counts as unchanged; a shared event gains this article as a source).
    """
    return run_transaction(sessions, lambda session: _write_reading(session, reading))


def replace_reading(sessions: sessionmaker[Session], reading: Reading) -> None:
    """Store a fresh reading of an article already stored, in place of the old one.

    For `clashmap reprocess`: after clashmap itself improves, stored readings would otherwise keep
    what an older version understood. The article keeps its ingest time; events that other
    articles also report keep those sources; editors' corrections live apart and are applied
    again by the pipeline.
    """
    def work(session: Session) -> bool:
        old = session.get(Article, reading.article.id)
        ingested_at = old.ingested_at if old is not None else None
        if old is not None:
            _forget_reading(session, old.id)
            session.delete(old)
            session.flush()
        _write_reading(session, reading)
        if ingested_at is not None:
            session.get(Article, reading.article.id).ingested_at = ingested_at
        return True

    run_transaction(sessions, work)


def _forget_reading(session: Session, article_id: str) -> None:
    """Remove what one article contributed: its mentions, its event sources, events only it reported."""
    event_ids = set(session.scalars(select(EventSource.event_id).where(EventSource.article_id == article_id)))
    session.execute(delete(EventSource).where(EventSource.article_id == article_id))
    session.execute(delete(Mention).where(Mention.article_id == article_id))
    if event_ids:
        still_sourced = set(session.scalars(select(EventSource.event_id)
                                            .where(EventSource.event_id.in_(event_ids)).distinct()))
        orphaned = event_ids - still_sourced
        if orphaned:
            session.execute(delete(Event).where(Event.id.in_(orphaned)))
    session.expire_all()


def _write_reading(session: Session, reading: Reading) -> bool:
    art = reading.article
    if session.get(Article, art.id) is not None:
        return False
    # one query loads every known place of this reading, so ensure_place's lookups cost no round trip
    place_ids = {r.place.id for r in reading.mentions if r.place} | {e.place.id for e in reading.events if e.place}
    session.scalars(select(Place).where(Place.id.in_(place_ids))).all()
    dateline_place = reading.dateline.place if reading.dateline else None
    if dateline_place:
        ensure_place(session, dateline_place)
    session.add(Article(id=art.id, source_path=art.source, outlet=art.outlet, url=art.url, title=art.title,
                        published=art.published, dateline=art.dateline,
                        dateline_place_id=dateline_place.id if dateline_place else None,
                        filed_time=art.filed_time, text=art.text, body_start=art.body_start))
    session.flush()
    for res in reading.mentions:
        if res.place:
            ensure_place(session, res.place)
        session.add(Mention(article_id=art.id, text=res.toponym.text, start=res.toponym.start,
                            end=res.toponym.end, role=res.toponym.role,
                            place_id=res.place.id if res.place else None, resolver=res.resolver,
                            score=res.score))
    # two processes storing reports of one event at once must not both create it (store.db)
    serialize_writers(session, (f"event|{e.event_type}|{e.place.id}" for e in reading.events if e.place))
    # reports matching a stored event exactly go first, so a one-day-off match cannot take their place
    exact = set(session.scalars(select(Event.key).where(Event.key.in_([e.key() for e in reading.events]))))
    for extracted in sorted(reading.events, key=lambda e: e.key() not in exact):
        _store_event(session, art.id, extracted)
    return True


def _same_stored_event(session: Session, article_id: str, extracted, key: str):
    """The stored event this report is one more source of: exact key first, then events.merge's tolerant rule.

    An event this article already sources is never a match: within one article two days are two events.
    """
    exact = session.scalars(select(Event).where(Event.key == key)).first()
    if exact is not None and not any(src.article_id == article_id for src in exact.sources):
        return exact
    window = date_window(extracted)
    if window is None or extracted.place is None:
        return None
    candidates = session.scalars(select(Event).where(Event.event_type == extracted.event_type,
                                                     Event.place_id == extracted.place.id,
                                                     Event.event_date.between(*window))).all()
    return best_match(extracted, [c for c in candidates if not any(s.article_id == article_id for s in c.sources)])


def _store_event(session: Session, article_id: str, extracted) -> None:
    """Insert the event, or add this article as one more source of the same event."""
    if extracted.place:
        ensure_place(session, extracted.place)
    key = extracted.key()
    event = _same_stored_event(session, article_id, extracted, key)
    if event is None:
        if session.scalars(select(Event.id).where(Event.key == key)).first() is not None:
            key = f"{key}#{article_id}"  # this article already gave a one-day-off report the exact key
        fat = extracted.fatalities or {}
        event = Event(key=key, event_date=extracted.event_date, time_precision=extracted.time_precision,
                      event_type=extracted.event_type, sub_event_type=extracted.sub_event_type,
                      actor1=extracted.actor1, actor2=extracted.actor2,
                      place_id=extracted.place.id if extracted.place else None,
                      geo_precision=extracted.geo_precision, fatalities_low=fat.get("low"),
                      fatalities_best=fat.get("best"), fatalities_high=fat.get("high"),
                      losses=dict(extracted.losses), claimed_by=extracted.claimed_by,
                      contested=extracted.contested)
        session.add(event)
        session.flush()
    else:
        event.contested = event.contested or extracted.contested
        if extracted.losses and not event.losses:
            event.losses = dict(extracted.losses)
    if not any(src.article_id == article_id for src in event.sources):
        session.add(EventSource(event_id=event.id, article_id=article_id, text=extracted.text,
                                start=extracted.start, end=extracted.end,
                                evidence={k: [list(s) for s in v] for k, v in extracted.evidence.items()}))
        session.flush()
