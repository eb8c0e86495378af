"""A persistent cache around any geopy geocoder, in the style of geopy's RateLimiter wrapper.

Every answer is kept, a miss included, so the same query is never computed or sent twice, across runs
and across editors sharing one database. Where it is kept is the caller's choice: any `AnswerStore`
(the store's `geocode_cache` table is `store.geocache.SqlAnswers`), so geo/ does not depend on store/. Optional
ages: a miss older than `miss_ttl` and an answer older than `hit_ttl` are computed again (when that
fails with one of `refresh_errors`, the old answer is used); `valid` rejects cached answers an older
version stored unchecked (they are computed again).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol

from geopy.location import Location

from geo.names import normalize_name


@dataclass(frozen=True)
class CachedAnswer:
    """One kept answer: `result` is None for a miss (the geocoder knew no such place)."""

    query: str
    params: str
    result: list[dict] | None
    fetched_at: datetime


class AnswerStore(Protocol):
    """Where a `CachedGeocoder` keeps its answers (a process may share one between geocoders)."""

    def get(self, provider: str, query: str, params: str) -> CachedAnswer | None: ...

    def get_many(self, provider: str, queries: list[str]) -> list[CachedAnswer]:
        """The answers kept for these queries without parameters (absent ones are left out)."""

    def put_many(self, provider: str, rows: list[tuple[str, str, list[dict] | None]]) -> None:
        """Keep (query, params, result) rows, replacing older answers, fetched now."""


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class CachedGeocoder:
    """Wraps `geocoder.geocode`; answers from the cache when it can.

    >>> cached = CachedGeocoder(GazetteerGeocoder(), SqlAnswers(open_store()))   # doctest: +SKIP
    >>> cached.geocode("Shushi", exactly_one=False)                  # doctest: +SKIP
    """

    def __init__(self, geocoder, answers: AnswerStore, *, provider: str | None = None,
                 miss_ttl: timedelta | None = None, hit_ttl: timedelta | None = None,
                 valid: Callable[[list[dict]], bool] | None = None,
                 refresh_errors: tuple[type[BaseException], ...] = ()) -> None:
        self.geocoder = geocoder
        self.answers = answers
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
        found = set()
        for row in self.answers.get_many(self.provider, sorted(keys)):
            if self._usable(row):
                self.memory[(row.query, "")] = row.result
                found.add(row.query)
        self._absent |= keys - found

    def _lookup(self, key: str, param_key: str):
        if (key, param_key) in self.memory:
            return self.memory[(key, param_key)]
        if not param_key and key in self._absent:
            return _MISSING
        row = self.answers.get(self.provider, key, param_key)
        if row is None or not self._usable(row):
            return _MISSING
        return row.result

    def _usable(self, row: CachedAnswer) -> bool:
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
        self.answers.put_many(self.provider, rows)


_MISSING = object()
