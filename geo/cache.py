"""A persistent cache around any geopy geocoder, in the style of geopy's RateLimiter wrapper.

Every answer is kept in the store's `geocode_cache` table, a miss included, so the same query
is never computed or sent twice, across runs and across editors sharing one database. Optional
ages: a miss older than `miss_ttl` and an answer older than `hit_ttl` are computed again (when that
fails with one of `refresh_errors`, the old answer is used); `valid` rejects cached answers an older
version stored unchecked (they are computed again).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from geopy.location import Location
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from geo.names import normalize_name
from store.schema import GeocodeCache


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class CachedGeocoder:
    """Wraps `geocoder.geocode`; answers from the cache when it can.

    >>> cached = CachedGeocoder(GazetteerGeocoder(), open_store())   # doctest: +SKIP
    >>> cached.geocode("Shushi", exactly_one=False)                  # doctest: +SKIP
    """

    def __init__(self, geocoder, sessions: sessionmaker[Session], *, provider: str | None = None,
                 miss_ttl: timedelta | None = None, hit_ttl: timedelta | None = None,
                 valid: Callable[[list[dict]], bool] | None = None,
                 refresh_errors: tuple[type[BaseException], ...] = ()) -> None:
        self.geocoder = geocoder
        self.sessions = sessions
        self.provider = provider or getattr(geocoder, "provider", type(geocoder).__name__.lower())
        version = getattr(geocoder, "cache_version", None)
        if version:  # "gazetteer@<build>": an older build's answers stay behind, unread
            self.provider = f"{self.provider}@{version}"[:40]
        self.miss_ttl = miss_ttl
        self.hit_ttl = hit_ttl
        self.valid = valid
        self.refresh_errors = refresh_errors
        # called with (query, error) when an old answer is used because computing a new one failed
        self.on_refresh_failure: Callable[[str, BaseException], None] | None = None
        self._stale: dict[tuple[str, str], list[dict]] = {}  # answers past hit_ttl: the fallback of a refresh
        self.memory: dict[tuple[str, str], list[dict] | None] = {}
        self.computed = 0  # queries that reached the wrapped geocoder (a test seam and a bench figure)
        self._pending: list[tuple[str, str, list[dict] | None]] | None = None
        self._absent: set[str] = set()  # keys a prefetch found nowhere in the table: no second look

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Keep the writes made inside and commit them together on exit: one commit per article
        instead of one per new name (each commit is a disk sync, ~1.5 ms on SQLite)."""
        if self._pending is not None:
            yield
            return
        self._pending = []
        try:
            yield
        finally:
            pending, self._pending = self._pending, None
            if pending:
                self._write(pending)

    def geocode(self, query: str, *, exactly_one: bool = True, **params) -> Location | list[Location] | None:
        key = normalize_name(query)
        param_key = json.dumps(params, sort_keys=True) if params else ""
        answers = self._lookup(key, param_key)
        if answers is _MISSING:
            stale = self._stale.pop((key, param_key), None)
            try:
                answers = self._compute(query, params)
            except self.refresh_errors as err:
                if stale is None:
                    raise
                if self.on_refresh_failure is not None:
                    self.on_refresh_failure(query, err)
                answers = stale  # not written back: its age stays, so the next run asks again
            else:
                self._store(key, param_key, answers)
        self.memory[(key, param_key)] = answers
        locations = [Location(a["address"], (a["lat"], a["lon"]), a["raw"]) for a in answers or []]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    def prefetch(self, queries: list[str]) -> None:
        """Load the cached answers of many queries in one SELECT (an article names a dozen places;
        one round trip each costs more than the lookup itself)."""
        keys = {normalize_name(q) for q in queries} - {k for k, p in self.memory if p == ""}
        if not keys:
            return
        with self.sessions() as session:
            rows = session.scalars(select(GeocodeCache).where(
                GeocodeCache.provider == self.provider, GeocodeCache.params == "",
                GeocodeCache.query.in_(sorted(keys)))).all()
            found = set()
            for row in rows:
                if self._usable(row):
                    self.memory[(row.query, "")] = row.result
                    found.add(row.query)
            self._absent |= keys - found

    def _lookup(self, key: str, param_key: str):
        if (key, param_key) in self.memory:
            return self.memory[(key, param_key)]
        if not param_key and key in self._absent:
            return _MISSING
        with self.sessions() as session:
            row = session.get(GeocodeCache, (self.provider, key, param_key))
            if row is None or not self._usable(row):
                return _MISSING
            return row.result

    def _usable(self, row: GeocodeCache) -> bool:
        """Whether a cached row answers as it is; a stale answer is kept aside as a refresh's fallback."""
        age = datetime.now(timezone.utc) - _as_utc(row.fetched_at)
        if row.result is None:
            return self.miss_ttl is None or age <= self.miss_ttl
        if self.valid is not None and not self.valid(row.result):
            return False
        if self.hit_ttl is not None and age > self.hit_ttl:
            self._stale[(row.query, row.params)] = row.result
            return False
        return True

    def _compute(self, query: str, params: dict) -> list[dict] | None:
        self.computed += 1
        found = self.geocoder.geocode(query, exactly_one=False, **params)
        if not found:
            return None
        return [{"address": loc.address, "lat": loc.latitude, "lon": loc.longitude, "raw": loc.raw}
                for loc in found]

    def _store(self, key: str, param_key: str, answers: list[dict] | None) -> None:
        if self._pending is not None:
            self._pending.append((key, param_key, answers))
        else:
            self._write([(key, param_key, answers)])

    def _write(self, rows: list[tuple[str, str, list[dict] | None]]) -> None:
        from store.db import run_transaction  # replays the merge when another process inserted the row first

        def merge_all(session: Session) -> None:
            # one SELECT for the rows that exist already (session.merge would issue one per row)
            now = datetime.now(timezone.utc)
            latest = {(k, p): a for k, p, a in rows}
            existing = {(r.query, r.params): r for r in session.scalars(select(GeocodeCache).where(
                GeocodeCache.provider == self.provider,
                GeocodeCache.query.in_(sorted({k for k, _ in latest}))))}
            for (key, param_key), answers in latest.items():
                row = existing.get((key, param_key))
                if row is None:
                    session.add(GeocodeCache(provider=self.provider, query=key, params=param_key, result=answers,
                                             fetched_at=now))
                else:
                    row.result, row.fetched_at = answers, now

        run_transaction(self.sessions, merge_all)


_MISSING = object()
