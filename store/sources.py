"""The sources `clashmap follow` polls: feeds (RSS, Atom), news sitemaps and single article pages.

    >>> add_source(sessions, "Example Wire", "https://news.example/rss", kind="feed",
    ...            country="GB", language="en", affiliation="independent")   # doctest: +SKIP

A bad URL, kind, country or a name already taken is a `SourceError`: one line naming the source and
the problem; nothing is stored then.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from clashmap.errors import ClashmapError
from store.db import run_transaction
from store.schema import FetchedPage, Source

KINDS = ("feed", "sitemap", "page")


class SourceError(ClashmapError):
    """A source cannot be added or found; the message names it and the problem."""


def check_url(url: str, name: str = "") -> str:
    """`url` when it is an absolute http(s) URL with a host; else a `SourceError`."""
    where = f"source {name!r}: " if name else ""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018: raises ValueError on a port that is not a number
    except ValueError as err:
        raise SourceError(f"{where}URL {url!r} cannot be read ({err})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise SourceError(f"{where}URL {url!r} must start with http:// or https://")
    if not parts.hostname:
        raise SourceError(f"{where}URL {url!r} has no host name")
    if any(ch.isspace() for ch in url):
        raise SourceError(f"{where}URL {url!r} contains spaces")
    if len(url) > 1000:
        raise SourceError(f"{where}URL is longer than 1000 characters")
    return url


def add_source(sessions, name: str, url: str, *, kind: str = "feed", country: str | None = None,
               language: str | None = None, affiliation: str | None = None) -> Source:
    """Store a new source, due at once; `SourceError` for a bad value or a name already used."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise SourceError(f"source name {name!r}: must be 1 to 100 characters")
    url = check_url(url, name)
    if kind not in KINDS:
        raise SourceError(f"source {name!r}: kind {kind!r} must be one of {', '.join(KINDS)}")
    if country is not None:
        country = country.strip().upper() or None
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            raise SourceError(f"source {name!r}: country {country!r} must be a two-letter ISO 3166 code, e.g. GB")
    if language is not None:
        language = language.strip().lower() or None
        if language and not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})?", language):
            raise SourceError(f"source {name!r}: language {language!r} must be a language code, e.g. en")
    if affiliation is not None and len(affiliation) > 100:
        raise SourceError(f"source {name!r}: affiliation must be at most 100 characters")

    def work(session) -> Source:
        if session.scalar(select(Source.id).where(Source.name == name)) is not None:
            raise SourceError(f"source {name!r} already exists (remove it first, or choose another name)")
        row = Source(name=name, url=url, kind=kind, country=country, language=language,
                     affiliation=(affiliation or "").strip() or None, enabled=True, failures=0, new_articles=0,
                     articles=0, duplicates=0, teasers=0, unread_language=0)
        session.add(row)
        session.flush()
        return row

    try:
        return run_transaction(sessions, work)
    except IntegrityError:  # the same name added by another process meanwhile
        raise SourceError(f"source {name!r} already exists (remove it first, or choose another name)") from None


def list_sources(sessions) -> list[Source]:
    with sessions() as session:
        return list(session.scalars(select(Source).order_by(Source.name)))


def remove_source(sessions, name: str) -> None:
    """Remove a source; the articles it brought stay (their pages lose the link to it)."""

    def work(session) -> None:
        row = session.scalar(select(Source).where(Source.name == name))
        if row is None:
            raise SourceError(f"source {name!r} does not exist (clashmap sources list shows them)")
        session.query(FetchedPage).filter(FetchedPage.source_id == row.id).update({FetchedPage.source_id: None})
        session.delete(row)

    run_transaction(sessions, work)


def enable_source(sessions, name: str) -> None:
    """Enable a source again (after it was disabled for failing), due at once, its failures forgotten."""

    def work(session) -> None:
        row = session.scalar(select(Source).where(Source.name == name))
        if row is None:
            raise SourceError(f"source {name!r} does not exist (clashmap sources list shows them)")
        row.enabled, row.failures, row.next_fetch = True, 0, None

    run_transaction(sessions, work)


def describe(source: Source, now: datetime | None = None) -> str:
    """One line for `clashmap sources list`."""
    state = "enabled" if source.enabled else "DISABLED"
    last = source.last_fetch.strftime("%Y-%m-%d %H:%M UTC") if source.last_fetch else "never"
    nxt = source.next_fetch.strftime("%Y-%m-%d %H:%M UTC") if source.next_fetch and source.enabled else "-"
    tags = ", ".join(x for x in (source.country, source.language, source.affiliation) if x)
    line = (f"{source.name} [{source.kind}] {source.url} ({tags or 'no tags'}) {state}; last fetch {last} "
            f"({source.last_status or '-'}), new {source.new_articles}, articles {source.articles}, "
            f"duplicates {source.duplicates}, teasers {source.teasers}, other language {source.unread_language}, "
            f"next {nxt}")
    if source.last_error:
        line += f"; error: {source.last_error}"
    return line
