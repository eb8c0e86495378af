"""Read the store into pandas frames: what the dashboard and the exports show."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timezone
from operator import itemgetter

import numpy as np
import pandas as pd
from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session, sessionmaker

from store.schema import Article, Event, EventSource, Mention, Place

EVENT_COLUMNS = ["event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
                 "place_id", "place", "country_code", "lat", "lon", "geo_precision", "fatalities", "losses",
                 "claimed_by", "contested", "n_sources", "article_ids", "outlets", "evidence", "admin1_code", "place_kind",
                 "updated_at"]


def events_frame(sessions: sessionmaker[Session]) -> pd.DataFrame:
    """One row per event with its place and its sources aggregated (see `read_events`)."""
    return read_events(sessions).frame


@dataclass(frozen=True)
class EventsRead:
    """An events frame and what `read_events` needs to bring it up to date without reading it all again: a
    fingerprint of each event's own row (event id -> hash of its stored values) and the event-article links
    (the `event_sources` rows as `_links` gives them). Hashes are Python's, so a read is only reused in its process."""

    frame: pd.DataFrame
    rows: dict
    links: frozenset


# an event's own columns, in the order `_EVENT_ROW_COLUMNS` reads them: its place's columns follow from place_id
# (places are only ever inserted, `store.places.ensure_place`), its sources' from `links`
_OWN = (0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 16)
# an update that touches more than this share of the events is read whole: one full read is cheaper then
INCREMENTAL_SHARE = 0.25
_IN_CHUNK = 900  # ids per IN (...) list: well under SQLite's and psycopg's limits on bound parameters


def read_events(sessions: sessionmaker[Session], previous: EventsRead | None = None) -> EventsRead:
    """The events frame, brought up to date from `previous` (a read of the same store) when one is given.

    A full read takes the rows as the database driver hands them (`_driver_rows`), not through SQLAlchemy's
    result processing; dates and times are converted by pandas, column by column; each distinct losses text is
    decoded once. With `previous`, only the events' own columns and the links' ids are read (a fifth of a full
    read at 100k): the events whose row or whose links changed (an ingest adds links, a reprocess or a
    correction's re-reading replaces them, an update moves a row) are read again with their places and sources
    and put in place of their old rows; when nothing changed, `previous` itself is returned (the same frame
    object: caches keyed by it stay valid). The frame is the one a full read gives (tests/core/test_events_frame.py)."""
    with sessions() as session:
        connection = session.connection()
        if previous is None:
            return _full_read(connection)
        own = _driver_rows(connection, select(*_own_columns()))
        links = frozenset((link[1], hash(link)) for link in _driver_rows(connection, select(
            EventSource.id, EventSource.event_id, EventSource.article_id, EventSource.start, EventSource.end,
            func.length(EventSource.text))))
        rows = {row[0]: hash(row) for row in own}  # the same values as `_fingerprints` of a full read's rows
        changed = {event_id for event_id, _ in rows.items() ^ previous.rows.items()}
        changed |= {event_id for event_id, _ in links ^ previous.links}
        if not changed:
            return previous
        if len(changed) > INCREMENTAL_SHARE * max(len(rows), 1):
            return _full_read(connection)
        present = sorted(changed & rows.keys())
        event_rows, sources = [], []
        for i in range(0, len(present), _IN_CHUNK):
            chunk = present[i:i + _IN_CHUNK]
            event_rows += _driver_rows(connection, _event_select().where(Event.id.in_(chunk)))
            sources += _driver_rows(connection, _source_select().where(EventSource.event_id.in_(chunk)))
        dialect = connection.dialect.name
    sources.sort(key=lambda r: r[5])  # stored order, as a full read has them
    old = previous.frame
    ids = old["event_id"].to_numpy()
    gone = np.isin(ids, np.fromiter(changed, dtype=ids.dtype if len(ids) else np.int64, count=len(changed)))
    kept = old[~gone] if gone.any() else old  # an ingest of new events only: every old row stays as it is
    part = _like(_frame(event_rows, sources), kept)
    frame = pd.concat([kept, part], ignore_index=True) if len(part) else kept.reset_index(drop=True)
    return EventsRead(_settle(_in_order(frame, nulls_first=dialect == "sqlite")), rows, links)


def _like(part: pd.DataFrame, kept: pd.DataFrame) -> pd.DataFrame:
    """The few re-read rows in the dtypes of the kept ones where they hold the same kind of values (text as pandas'
    str, numbers with a gap as float64), so that `pd.concat` does not fall back to object columns that `_settle`
    would then convert value by value over the whole frame (0.1-0.2 s at 100k per update)."""
    for column in _ROW_SCALARS:
        mine, theirs = part[column], kept[column].dtype
        if mine.dtype == theirs or not len(kept):
            continue
        texts = mine.map(lambda v: v is None or isinstance(v, str)).all() if mine.dtype == object else False
        if theirs == "str" and (texts or mine.isna().all()):
            part[column] = mine.astype("str")
        elif column in _NUMBERS and theirs.kind in "if" and mine.dtype.kind in "iO" and mine.isna().all():
            part[column] = mine.astype("float64")
    return part


def _in_order(frame: pd.DataFrame, nulls_first: bool) -> pd.DataFrame:
    """`frame` by event date, then id, undated events where the database puts NULLs (SQLite first, PostgreSQL
    last), as a full read's ORDER BY gives them; untouched when already in that order (new events are mostly
    the latest, appended at the end)."""
    days = frame["event_date"].to_numpy().astype("int64")  # NaT is the smallest int64
    if not nulls_first:
        days = np.where(frame["event_date"].isna().to_numpy(), np.iinfo(np.int64).max, days)
    ids = frame["event_id"].to_numpy()
    if len(ids) < 2 or bool(np.all((days[1:] > days[:-1]) | ((days[1:] == days[:-1]) & (ids[1:] > ids[:-1])))):
        return frame
    return frame.take(np.lexsort((ids, days))).reset_index(drop=True)


def _own_columns():
    return (Event.id, Event.event_date, Event.time_precision, Event.event_type, Event.sub_event_type, Event.actor1,
            Event.actor2, Event.place_id, Event.geo_precision, Event.fatalities_best, cast(Event.losses, Text),
            Event.claimed_by, Event.contested)


def _event_select():
    return select(
        Event.id, Event.event_date, Event.time_precision, Event.event_type, Event.sub_event_type, Event.actor1,
        Event.actor2, Event.place_id, Place.name, Place.country_code, Place.lat, Place.lon, Event.geo_precision,
        # losses as text on every database: rows then hash alike, and each distinct text is decoded once
        Event.fatalities_best, cast(Event.losses, Text), Event.claimed_by, Event.contested, Place.admin1, Place.kind,
    ).outerjoin(Place, Place.id == Event.place_id).order_by(Event.event_date, Event.id)


def _source_select():
    return select(EventSource.event_id, EventSource.article_id, EventSource.text, Article.outlet, Article.ingested_at,
                  EventSource.id, EventSource.start, EventSource.end
                  ).join(Article, Article.id == EventSource.article_id).order_by(EventSource.id)


def _links(sources: list[tuple]) -> frozenset:
    """`_source_select` rows as `read_events` compares links: (event id, hash of (id, event id, article id, start,
    end, length of its text)), more than the ids (SQLite gives a deleted row's id to the next row inserted) and
    smaller kept than the tuples (100k links: a few MB)."""
    return frozenset((s[0], hash((s[5], s[0], s[1], s[6], s[7], None if s[2] is None else len(s[2])))) for s in sources)


def _fingerprints(rows: list[tuple], positions) -> dict:
    pick = itemgetter(*positions)
    return {row[0]: hash(pick(row)) for row in rows}


def _full_read(connection) -> EventsRead:
    rows = _driver_rows(connection, _event_select())
    sources = _driver_rows(connection, _source_select())
    return EventsRead(_frame(rows, sources), _fingerprints(rows, _OWN), _links(sources))


def _frame(rows: list[tuple], sources: list[tuple]) -> pd.DataFrame:
    """The events frame of `rows` (`_event_select`'s) and their `sources` (`_source_select`'s, in stored order)."""
    if not rows:  # an empty store: the frame as it always was (the columns, `event_date` a datetime column)
        frame = pd.DataFrame.from_records([], columns=EVENT_COLUMNS)
        frame["event_date"] = pd.to_datetime(frame["event_date"])
        return frame
    frame = pd.DataFrame.from_records(rows, columns=_EVENT_ROW_COLUMNS, coerce_float=False)
    articles: dict[int, list] = {}  # event id -> its article ids, in the order they were stored
    first_text: dict[int, str] = {}
    outlets: dict[int, set] = {}
    for event_id, article_id, text, outlet, *_ in sources:
        ids = articles.get(event_id)
        if ids is None:
            articles[event_id] = [article_id]
            first_text[event_id] = text
        else:
            ids.append(article_id)
        if outlet:
            outlets.setdefault(event_id, set()).add(outlet)
    event_ids = frame["event_id"].tolist()
    article_ids = [articles.get(e, []) for e in event_ids]
    frame["n_sources"] = [len(ids) for ids in article_ids]
    frame["article_ids"] = article_ids
    frame["outlets"] = [sorted(outlets[e]) if e in outlets else [] for e in event_ids]
    frame["evidence"] = [first_text.get(e, "") for e in event_ids]
    decoded: dict[str, dict] = {}  # shared by the rows with the same text: the frame is read-only
    frame["losses"] = [_losses(value, decoded) for value in frame["losses"].tolist()]
    frame["contested"] = frame["contested"].fillna(False).astype(bool)
    # the row's last update: when the newest of its articles was (re)stored (SQLite: naive text, written in UTC)
    stored = pd.DataFrame({"event_id": [r[0] for r in sources], "at": pd.to_datetime(
        pd.Series([r[4] for r in sources], dtype=object), utc=True, format="ISO8601").astype("datetime64[us, UTC]")})
    newest = stored.dropna().groupby("event_id")["at"].max()
    frame["updated_at"] = (frame["event_id"].map(newest).astype("datetime64[us, UTC]") if len(newest)
                           else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us, UTC]"))
    frame["event_date"] = pd.to_datetime(frame["event_date"]).astype("datetime64[s]")
    return frame[EVENT_COLUMNS]


def _settle(frame: pd.DataFrame) -> pd.DataFrame:
    """The dtypes a full read infers for the combined rows (`DataFrame.from_records`): a column with no value at
    all holds None (object); numbers are int64 when whole and none is missing, else float64; text is pandas' str."""
    for column in _ROW_SCALARS:
        values = frame[column]
        if values.isna().all():
            values = pd.Series([None] * len(values), index=values.index, dtype=object)
        elif column in _NUMBERS:
            values = pd.to_numeric(values)
            if column not in ("lat", "lon") and values.notna().all():
                values = values.astype("int64")
        elif values.dtype != "str":
            values = values.astype("str")
        else:
            continue
        frame[column] = values
    return frame


# the columns taken as the driver hands them (the others are built alike by `_frame` for every row)
_ROW_SCALARS = ("event_id", "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "place_id", "place",
                "country_code", "lat", "lon", "geo_precision", "fatalities", "claimed_by", "admin1_code", "place_kind")
_NUMBERS = ("event_id", "time_precision", "place_id", "lat", "lon", "geo_precision", "fatalities")


_EVENT_ROW_COLUMNS = ["event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
                      "place_id", "place", "country_code", "lat", "lon", "geo_precision", "fatalities", "losses",
                      "claimed_by", "contested", "admin1_code", "place_kind"]


def _driver_rows(connection, statement) -> list[tuple]:
    """`statement`'s rows as the database driver returns them (sqlite3: dates and JSON as text; psycopg: dates,
    times and JSON decoded), on the session's own connection and transaction."""
    # IN (...) lists are bound parameters too (rendered, not left for SQLAlchemy's own execution step)
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(str(compiled), params or ())
        return cursor.fetchall()
    finally:
        cursor.close()


def _losses(value, decoded: dict) -> dict:
    """A stored losses value as a dict ({} for none): JSON text (SQLite) decoded once per distinct text."""
    if isinstance(value, str):
        found = decoded.get(value)
        if found is None:
            found = decoded[value] = json.loads(value) or {}
        return found
    return value or {}


def _utc(moment):
    """A stored time as an aware UTC datetime (SQLite hands back naive datetimes that were written in UTC)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def articles_frame(sessions: sessionmaker[Session]) -> pd.DataFrame:
    with sessions() as session:
        rows = session.execute(select(Article.id, Article.title, Article.outlet, Article.published, Article.dateline,
                                      Article.source_path, Article.dateline_place_id)).all()
    return pd.DataFrame(rows, columns=["article_id", "title", "outlet", "published", "dateline", "source_path",
                                       "dateline_place_id"])


def dateline_places_frame(sessions: sessionmaker[Session]) -> pd.DataFrame:
    """Where reports were filed from, with how many articles each."""
    with sessions() as session:  # counted by the database; the driver's rows (ids, names, numbers: no conversion)
        rows = _driver_rows(session.connection(), select(Place.id, Place.name, Place.lat, Place.lon, func.count(
            Article.id.distinct())).join(Article, Article.dateline_place_id == Place.id).group_by(Place.id)
            .order_by(Place.id))
    return pd.DataFrame.from_records(rows, columns=["place_id", "place", "lat", "lon", "n_articles"])


def article_datelines_frame(sessions: sessionmaker[Session]) -> pd.DataFrame:
    """article_id -> the place its dateline names, for the articles that have one (the map's dateline layer)."""
    with sessions() as session:
        rows = _driver_rows(session.connection(), select(Article.id, Article.dateline_place_id)
                            .where(Article.dateline_place_id.is_not(None)))
    return pd.DataFrame.from_records(rows, columns=["article_id", "dateline_place_id"])


def article_detail(sessions: sessionmaker[Session], article_id: str) -> dict | None:
    """An article with its mentions and events, for the article view."""
    with sessions() as session:
        article = session.get(Article, article_id)
        if article is None:
            return None
        mentions = session.execute(select(Mention, Place).outerjoin(Place, Place.id == Mention.place_id)
                                   .where(Mention.article_id == article_id).order_by(Mention.start)).all()
        events = session.execute(select(Event, EventSource, Place).join(EventSource, EventSource.event_id == Event.id)
                                 .outerjoin(Place, Place.id == Event.place_id)
                                 .where(EventSource.article_id == article_id).order_by(EventSource.start)).all()
        return {
            "id": article.id, "title": article.title, "outlet": article.outlet, "published": article.published,
            "dateline": article.dateline, "text": article.text, "body_start": article.body_start,
            "source_path": article.source_path,
            "mentions": [{"id": m.id, "text": m.text, "start": m.start, "end": m.end, "role": m.role,
                          "place_id": m.place_id, "place": p.name if p else None,
                          "country_code": p.country_code if p else None, "corrected_by": m.corrected_by,
                          "resolver": m.resolver}
                         for m, p in mentions],
            "events": [{"event_id": e.id, "event_date": e.event_date, "event_type": e.event_type,
                        "sub_event_type": e.sub_event_type, "actor1": e.actor1, "actor2": e.actor2,
                        "place": p.name if p else None, "claimed_by": e.claimed_by, "contested": e.contested,
                        "losses": e.losses, "fatalities": e.fatalities_best, "text": s.text, "start": s.start,
                        "end": s.end, "evidence": s.evidence}
                       for e, s, p in events],
        }


def article_links_frame(sessions: sessionmaker[Session]) -> pd.DataFrame:
    """article_id -> the original article's URL (None when it was read from a file without one)."""
    with sessions() as session:  # the driver's rows: two texts need no conversion
        rows = _driver_rows(session.connection(), select(Article.id, Article.url))
    return pd.DataFrame.from_records(rows, columns=["article_id", "url"])


def freshness(sessions: sessionmaker[Session]) -> dict:
    """How big and how fresh the store is, in two cheap queries: {"events": n, "updated_at": newest ingest (UTC)}.

    The dashboard polls it to say "updated 3 min ago" and to count the events stored since a page was drawn."""
    from sqlalchemy import func

    with sessions() as session:
        n_events = session.scalar(select(func.count()).select_from(Event)) or 0
        newest = session.scalar(select(func.max(Article.ingested_at)))
    return {"events": int(n_events), "updated_at": _utc(newest) if newest is not None else None}
