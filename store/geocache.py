"""The geocoders' answers kept in the store's `geocode_cache` table (`geo.cache.AnswerStore` over SQLAlchemy).

One table for every provider (gazetteer builds, Nominatim), shared by every process and editor using the
database: a query answered once, a miss included, is not computed or sent again.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from geo.cache import CachedAnswer, CachedGeocoder
from store.db import run_transaction
from store.schema import GeocodeCache

# names per SELECT ... IN (...): far below PostgreSQL's 65,535 bound parameters and SQLite's 32,766
IN_CHUNK = 5_000
# Rows are read and written through the table (SQLAlchemy Core), not ORM objects: the same rows and values, at
# about half the CPU (an article's write was ~4 ms, 6% of the 54 gold articles' reading, mostly the ORM's
# unit of work); the ORM class stays the table's definition.
_TABLE = GeocodeCache.__table__
_COLUMNS = (_TABLE.c.query, _TABLE.c.params, _TABLE.c.result, _TABLE.c.fetched_at)
# the statements built once, their values bound at each call (building one is about a third of a small query's CPU)
_ANSWERS = select(*_COLUMNS).where(_TABLE.c.provider == bindparam("provider"), _TABLE.c.params == "",
                                   _TABLE.c.query.in_(bindparam("queries", expanding=True)))
_KEYS = select(_TABLE.c.query, _TABLE.c.params).where(_TABLE.c.provider == bindparam("provider"),
                                                      _TABLE.c.query.in_(bindparam("queries", expanding=True)))
_INSERT = insert(_TABLE)
_UPDATE = update(_TABLE).where(_TABLE.c.provider == bindparam("_provider"), _TABLE.c.query == bindparam("_query"),
                               _TABLE.c.params == bindparam("_params"))


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
                found += [CachedAnswer(*row) for row in session.execute(
                    _ANSWERS, {"provider": provider, "queries": queries[first:first + IN_CHUNK]})]
        return found

    def put_many(self, provider: str, rows: list[tuple[str, str, list[dict] | None]]) -> None:
        latest = {(k, p): a for k, p, a in rows}
        keys = sorted({k for k, _ in latest})

        def merge_all(session: Session) -> None:  # replayed when another process inserted a row first
            now = datetime.now(timezone.utc)
            existing = set()
            for first in range(0, len(keys), IN_CHUNK):  # one SELECT per chunk, not one per row as merge() would
                existing.update(tuple(r) for r in session.execute(
                    _KEYS, {"provider": provider, "queries": keys[first:first + IN_CHUNK]}))
            new = [{"provider": provider, "query": key, "params": param_key, "result": answers, "fetched_at": now}
                   for (key, param_key), answers in latest.items() if (key, param_key) not in existing]
            if new:
                session.execute(_INSERT, new)
            changed = [{"_provider": provider, "_query": key, "_params": param_key, "result": answers, "fetched_at": now}
                       for (key, param_key), answers in latest.items() if (key, param_key) in existing]
            if changed:
                session.execute(_UPDATE, changed)

        run_transaction(self.sessions, merge_all)


def cached_geocoder(geocoder, sessions: sessionmaker[Session], **options) -> CachedGeocoder:
    """`geocoder` with its answers kept in this store (options as for `CachedGeocoder`)."""
    return CachedGeocoder(geocoder, SqlAnswers(sessions), **options)
