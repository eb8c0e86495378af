"""The geocoders' answers kept in the store's `geocode_cache` table (`geo.cache.AnswerStore` over SQLAlchemy).

One table for every provider (gazetteer builds, Nominatim), shared by every process and editor using the
database: a query answered once, a miss included, is not computed or sent again.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from geo.cache import CachedAnswer, CachedGeocoder
from store.db import run_transaction
from store.schema import GeocodeCache

# names per SELECT ... IN (...): far below PostgreSQL's 65,535 bound parameters and SQLite's 32,766
IN_CHUNK = 5_000


def _answer(row: GeocodeCache) -> CachedAnswer:
    return CachedAnswer(row.query, row.params, row.result, row.fetched_at)


class SqlAnswers:
    """`AnswerStore` on the `geocode_cache` table of one store."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def get(self, provider: str, query: str, params: str) -> CachedAnswer | None:
        with self.sessions() as session:
            row = session.get(GeocodeCache, (provider, query, params))
            return _answer(row) if row is not None else None

    def get_many(self, provider: str, queries: list[str]) -> list[CachedAnswer]:
        found: list[CachedAnswer] = []
        with self.sessions() as session:
            for first in range(0, len(queries), IN_CHUNK):
                found += [_answer(row) for row in session.scalars(select(GeocodeCache).where(
                    GeocodeCache.provider == provider, GeocodeCache.params == "",
                    GeocodeCache.query.in_(queries[first:first + IN_CHUNK])))]
        return found

    def put_many(self, provider: str, rows: list[tuple[str, str, list[dict] | None]]) -> None:
        latest = {(k, p): a for k, p, a in rows}
        keys = sorted({k for k, _ in latest})

        def merge_all(session: Session) -> None:  # replayed when another process inserted a row first
            now = datetime.now(timezone.utc)
            existing = {}
            for first in range(0, len(keys), IN_CHUNK):  # one SELECT per chunk, not one per row as merge() would
                existing.update({(r.query, r.params): r for r in session.scalars(select(GeocodeCache).where(
                    GeocodeCache.provider == provider, GeocodeCache.query.in_(keys[first:first + IN_CHUNK])))})
            for (key, param_key), answers in latest.items():
                row = existing.get((key, param_key))
                if row is None:
                    session.add(GeocodeCache(provider=provider, query=key, params=param_key, result=answers,
                                             fetched_at=now))
                else:
                    row.result, row.fetched_at = answers, now

        run_transaction(self.sessions, merge_all)


def cached_geocoder(geocoder, sessions: sessionmaker[Session], **options) -> CachedGeocoder:
    """`geocoder` with its answers kept in this store (options as for `CachedGeocoder`)."""
    return CachedGeocoder(geocoder, SqlAnswers(sessions), **options)
