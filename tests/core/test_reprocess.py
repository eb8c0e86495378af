"""`clashmap reprocess`: stored readings are replaced by the current pipeline's, losing nothing else."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from core_samples import BARDA, write_article
from clashmap.loading import ingest_paths, reprocess_stored
from store.schema import Article, Event, EventSource, Mention


def _snapshot(sessions) -> dict:
    with sessions() as session:
        return {
            "articles": sorted(session.scalars(select(Article.id))),
            "mentions": sorted(session.execute(select(Mention.article_id, Mention.start, Mention.end, Mention.place_id)).all()),
            "events": sorted(session.execute(select(Event.event_date, Event.event_type, Event.place_id)).all()),
            "sources": session.scalar(select(func.count()).select_from(EventSource)),
        }


def test_reprocess_restores_what_an_older_reading_missed(tmp_path, sessions):
    write_article(tmp_path, "barda.txt", BARDA)
    ingest_paths([tmp_path], sessions)
    fresh = _snapshot(sessions)
    assert fresh["events"], "the sample yields events"
    with sessions.begin() as session:  # an older version that found no events and no places
        session.execute(delete(EventSource))
        session.execute(delete(Event))
        session.execute(delete(Mention))

    assert reprocess_stored(sessions) == 1
    assert _snapshot(sessions) == fresh
    assert reprocess_stored(sessions) == 1
    assert _snapshot(sessions) == fresh, "reprocessing twice changes nothing"


def test_reprocess_keeps_events_other_articles_report(tmp_path, sessions):
    write_article(tmp_path, "barda.txt", BARDA)
    write_article(tmp_path, "barda-copy.txt", BARDA.replace("Test Wire", "Other Wire"))
    ingest_paths([tmp_path], sessions)
    before = _snapshot(sessions)
    with sessions() as session:
        shared = session.scalar(select(func.count()).select_from(
            select(EventSource.event_id).group_by(EventSource.event_id).having(func.count() > 1).subquery()))
    assert shared, "both copies report the same events"
    reprocess_stored(sessions)
    assert _snapshot(sessions) == before
