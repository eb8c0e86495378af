"""Store readings: articles, mentions, places and events, idempotently.

An article is identified by the hash of its normalised text, so ingesting the same file twice
changes nothing. Each article is stored in its own transaction: a file that fails loses
nothing already stored.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from clashmap.errors import StoreError
from events.model import Reading
from events.merge import LOCK_KM, assign, date_window, lock_cells, merge_fatalities, merge_losses, report_of
from geo.names import normalize_name
from store.db import bump_revision, run_transaction, serialize_writers
from store.places import ensure_place
from store.schema import Article, Correction, Event, EventSource, Mention, Place


@dataclass
class IngestReport:
    """Per-file outcome, for the CLI summary and the dashboard's ingest page."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        return f"added {len(self.added)}, unchanged {len(self.unchanged)}, rejected {len(self.rejected)}"


def store_name(sessions: sessionmaker[Session]) -> str:
    """The store as a person finds it: the SQLite file, or the server URL without its password."""
    url = sessions.kw["bind"].url
    if url.get_backend_name() == "sqlite":
        database = url.database or ":memory:"
        return database.removeprefix("file:").split("?", 1)[0]  # a URI filename names its file too
    return url.render_as_string(hide_password=True)


# PostgreSQL SQLSTATE classes and codes that mean the server or the database, not this record, failed:
# connection (08), insufficient resources such as disk full (53), operator intervention (57),
# system error (58), read-only transaction (25006), authorisation (28)
_PG_STORE_STATES = ("08", "53", "57", "58", "28", "25006")
_SQLITE_STORE_PROBLEMS = {
    "readonly database": "the database is read-only (check the file's and its folder's permissions, "
                         "or a read-only mount)",
    "disk is full": "the disk is full (or the database reached its size limit): nothing more can be stored",
    "unable to open database": "the database file cannot be opened",
    "disk i/o error": "a disk I/O error stopped the write",
    "database is locked": "the database stayed locked by another process for longer than the 30 s wait",
    "file is not a database": "the file is not a SQLite database",
}


def store_problem(err: BaseException, sessions: sessionmaker[Session]) -> StoreError | None:
    """A `StoreError` naming the database when `err` means the store itself failed; None for one record's problem."""
    if not isinstance(err, DBAPIError):
        return None
    orig = getattr(err, "orig", None)
    state = getattr(orig, "sqlstate", None)
    if state:
        if state.startswith(_PG_STORE_STATES):
            first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
            return StoreError(f"{store_name(sessions)}: {first}")
        return None
    message = str(orig or err).lower()
    for needle, problem in _SQLITE_STORE_PROBLEMS.items():
        if needle in message:
            return StoreError(f"{store_name(sessions)}: {problem}")
    if err.connection_invalidated or "connection" in message and "refused" in message:
        return StoreError(f"{store_name(sessions)}: cannot be reached ({' '.join(str(orig or err).split())[:200]})")
    return None


@contextmanager
def store_errors(sessions: sessionmaker[Session]) -> Iterator[None]:
    """Turn a database error that means the store failed (read-only, disk full, unreachable) into one
    `StoreError` line naming the database; any other error passes through as it is."""
    try:
        yield
    except DBAPIError as err:
        problem = store_problem(err, sessions)
        if problem is None:
            raise
        raise problem from None


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
    editors = _correctors(session, reading)
    for res in reading.mentions:
        if res.place:
            ensure_place(session, res.place)
        session.add(Mention(article_id=art.id, text=res.toponym.text, start=res.toponym.start,
                            end=res.toponym.end, role=res.toponym.role,
                            place_id=res.place.id if res.place else None, resolver=res.resolver,
                            score=res.score, corrected_by=editors.get(normalize_name(res.toponym.text))
                            if res.resolver == "correction" else None))
    # two processes storing reports of one event at once must not both create it (store.db): every
    # writer locks the grid cells its reports can match in, for each event type (events.merge.lock_cells)
    serialize_writers(session, (f"event|{e.event_type}|{lat}|{lon}" for e in reading.events if e.place
                                for lat, lon in lock_cells(e.place.lat, e.place.lon)))
    for extracted, event in zip(reading.events, _same_stored_events(session, art.id, reading.events)):
        _store_event(session, art.id, extracted, event)
    bump_revision(session)  # last: open dashboards see the change on their next rerun
    return True


def _correctors(session: Session, reading: Reading) -> dict[str, str]:
    """Normalised name -> the editor whose correction placed it, for the mentions a correction placed."""
    keys = {normalize_name(r.toponym.text) for r in reading.mentions if r.resolver == "correction"}
    if not keys:
        return {}
    return dict(session.execute(select(Correction.surface, Correction.corrected_by)
                                .where(Correction.surface.in_(keys))).all())


def _same_stored_events(session: Session, article_id: str, events: list) -> list[Event | None]:
    """The stored event each report of this article is one more source of (None: a new event).

    Exact key first for reports with no place; the others by events.merge's tolerant rule over the
    stored events of their type around their place, assigned best pair first (events.merge.assign).
    An event this article already sources is never a match: within one article two days are two events.
    """
    def foreign(event: Event) -> bool:
        return not any(src.article_id == article_id for src in event.sources)

    found: list[Event | None] = [None] * len(events)
    placed = [i for i, e in enumerate(events) if e.place is not None and e.event_date is not None]
    for i, extracted in enumerate(events):
        if i not in placed:
            exact = session.scalars(select(Event).where(Event.key == extracted.key())).first()
            found[i] = exact if exact is not None and foreign(exact) else None
    candidates: dict[int, tuple[Event, Place]] = {}
    for i in placed:
        for row, place in _stored_around(session, events[i]):
            if foreign(row):
                candidates[row.id] = (row, place)
    if candidates:
        rows = list(candidates.values())
        chosen = assign([events[i] for i in placed], [report_of(row, place) for row, place in rows])
        for i, j in zip(placed, chosen):
            found[i] = rows[j][0] if j is not None else None
    return found


def _stored_around(session: Session, extracted) -> list[tuple[Event, Place]]:
    """Stored events of the report's type within merging reach of its place and dates."""
    low, high = date_window(extracted)
    dlat = LOCK_KM / 111.0
    dlon = LOCK_KM / (111.0 * max(math.cos(math.radians(extracted.place.lat)), 0.01))
    return session.execute(
        select(Event, Place).join(Place, Event.place_id == Place.id)
        .where(Event.event_type == extracted.event_type, Event.event_date.between(low, high),
               Place.lat.between(extracted.place.lat - dlat, extracted.place.lat + dlat),
               Place.lon.between(extracted.place.lon - dlon, extracted.place.lon + dlon))).all()


def _store_event(session: Session, article_id: str, extracted, event: Event | None) -> None:
    """Insert the event, or add this article as one more source of `event` and fold in what it adds."""
    if extracted.place:
        ensure_place(session, extracted.place)
    if event is None:
        key = extracted.key()
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
        _absorb(event, extracted)
    if not any(src.article_id == article_id for src in event.sources):
        session.add(EventSource(event_id=event.id, article_id=article_id, text=extracted.text,
                                start=extracted.start, end=extracted.end,
                                evidence={k: [list(s) for s in v] for k, v in extracted.evidence.items()}))
        session.flush()


def _absorb(event: Event, extracted) -> None:
    """Fold one more report into a stored event: the most precise place and date, the union of the rest.

    Place and date move only to a strictly more precise report (lower geo_precision / time_precision);
    missing actors, sub-event type and claimant are filled in; fatalities follow ACLED's conservative
    rule (events.merge.merge_fatalities); losses keep every kind at its highest claim; contested if any
    report says so.
    """
    if extracted.place is not None and extracted.geo_precision < (event.geo_precision or 3):
        event.place_id, event.geo_precision = extracted.place.id, extracted.geo_precision
    if extracted.event_date is not None and extracted.time_precision < (event.time_precision or 1):
        event.event_date, event.time_precision = extracted.event_date, extracted.time_precision
    named = {event.actor1, event.actor2}
    for actor in (extracted.actor1, extracted.actor2):
        if actor and actor not in named:
            if event.actor1 is None:
                event.actor1 = actor
            elif event.actor2 is None:
                event.actor2 = actor
            named.add(actor)
    event.sub_event_type = event.sub_event_type or extracted.sub_event_type
    event.claimed_by = event.claimed_by or extracted.claimed_by
    fat = merge_fatalities({"low": event.fatalities_low, "best": event.fatalities_best,
                            "high": event.fatalities_high}, extracted.fatalities) or {}
    event.fatalities_low, event.fatalities_best, event.fatalities_high = fat.get("low"), fat.get("best"), fat.get("high")
    if extracted.losses:
        event.losses = merge_losses(event.losses, extracted.losses)
    event.contested = event.contested or extracted.contested
