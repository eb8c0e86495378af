"""Read the store into pandas frames: what the dashboard and the exports show."""

from __future__ import annotations

from datetime import timezone

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.schema import Article, Event, EventSource, Mention, Place

EVENT_COLUMNS = ["event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
                 "place_id", "place", "country_code", "lat", "lon", "geo_precision", "fatalities", "losses",
                 "claimed_by", "contested", "n_sources", "article_ids", "outlets", "evidence", "admin1_code", "place_kind",
                 "updated_at"]


def events_frame(sessions: sessionmaker[Session]) -> pd.DataFrame:
    """One row per event with its place and its sources aggregated.

    Plain column rows through the session's connection, not ORM objects nor ORM result processing: building
    100k `Event` objects took most of a cold dashboard load."""
    with sessions() as session:
        connection = session.connection()
        rows = connection.execute(
            select(Event.id, Event.event_date, Event.time_precision, Event.event_type, Event.sub_event_type,
                   Event.actor1, Event.actor2, Event.place_id, Place.name, Place.country_code, Place.lat, Place.lon,
                   Event.geo_precision, Event.fatalities_best, Event.losses, Event.claimed_by, Event.contested,
                   Place.admin1, Place.kind)
            .outerjoin(Place, Place.id == Event.place_id).order_by(Event.event_date, Event.id)
        ).all()
        sources = connection.execute(
            select(EventSource.event_id, EventSource.article_id, EventSource.text, Article.outlet, Article.ingested_at)
            .join(Article, Article.id == EventSource.article_id).order_by(EventSource.id)
        ).all()
    by_event: dict[int, list] = {}
    for event_id, article_id, text, outlet, ingested_at in sources:
        by_event.setdefault(event_id, []).append((article_id, text, outlet, ingested_at))
    records = []
    nat = pd.NaT
    for (event_id, event_date, time_precision, event_type, sub_event_type, actor1, actor2, place_id, name,
         country_code, lat, lon, geo_precision, fatalities, losses, claimed_by, contested, admin1, kind) in rows:
        srcs = by_event.get(event_id, [])
        stored = [s[3] for s in srcs if s[3] is not None]
        records.append((
            event_id, event_date if event_date else nat, time_precision, event_type, sub_event_type, actor1, actor2,
            place_id, name, country_code, lat, lon, geo_precision, fatalities, losses or {}, claimed_by,
            bool(contested), len(srcs), [s[0] for s in srcs], sorted({s[2] for s in srcs if s[2]}),
            srcs[0][1] if srcs else "", admin1, kind,
            # the row's last update: when the newest of its articles was (re)stored
            _utc(max(stored)) if stored else None,
        ))
    frame = pd.DataFrame.from_records(records, columns=EVENT_COLUMNS)
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    return frame


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
    with sessions() as session:
        rows = session.execute(select(Place.id, Place.name, Place.lat, Place.lon, Article.id)
                               .join(Article, Article.dateline_place_id == Place.id)).all()
    frame = pd.DataFrame(rows, columns=["place_id", "place", "lat", "lon", "article_id"])
    return frame.groupby(["place_id", "place", "lat", "lon"], as_index=False).agg(n_articles=("article_id", "nunique"))


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
    with sessions() as session:
        rows = session.execute(select(Article.id, Article.url)).all()
    return pd.DataFrame(rows, columns=["article_id", "url"])


def freshness(sessions: sessionmaker[Session]) -> dict:
    """How big and how fresh the store is, in two cheap queries: {"events": n, "updated_at": newest ingest (UTC)}.

    The dashboard polls it to say "updated 3 min ago" and to count the events stored since a page was drawn."""
    from sqlalchemy import func

    with sessions() as session:
        n_events = session.scalar(select(func.count()).select_from(Event)) or 0
        newest = session.scalar(select(func.max(Article.ingested_at)))
    return {"events": int(n_events), "updated_at": _utc(newest) if newest is not None else None}
