"""Tables of the store (SQLAlchemy 2 ORM), ACLED-aligned with provenance.

Changing a table means adding an Alembic migration under `store/migrations/versions/`.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (JSON, BigInteger, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String,
                        Text, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from geo.gazetteer import ADMIN1_MAX, KIND_MAX, NAME_MAX


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Place(Base):
    """A resolved location; the id is the GeoNames id where there is one."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)  # 64-bit: Nominatim ids
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    country_code: Mapped[str | None] = mapped_column(String(2))
    admin1: Mapped[str | None] = mapped_column(String(ADMIN1_MAX))
    kind: Mapped[str] = mapped_column(String(KIND_MAX))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    population: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(40))


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    source_path: Mapped[str] = mapped_column(String(500))
    outlet: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(1000))
    title: Mapped[str | None] = mapped_column(String(500))
    published: Mapped[date | None] = mapped_column(Date, index=True)
    dateline: Mapped[str | None] = mapped_column(String(200))
    dateline_place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"))
    filed_time: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    body_start: Mapped[int] = mapped_column(Integer, default=0)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    mentions: Mapped[list[Mention]] = relationship(back_populates="article", cascade="all, delete-orphan")


class Mention(Base):
    """A place name found in an article; `place_id` is null when it could not be resolved."""

    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("article_id", "start", "end", name="uq_mention_span"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(20))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"), index=True)
    resolver: Mapped[str | None] = mapped_column(String(40))
    score: Mapped[float | None] = mapped_column(Float)
    corrected_by: Mapped[str | None] = mapped_column(String(100))

    article: Mapped[Article] = relationship(back_populates="mentions")


class Event(Base):
    """One reported event; several articles reporting it share the row through `event_sources`."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    event_date: Mapped[date | None] = mapped_column(Date, index=True)
    time_precision: Mapped[int] = mapped_column(Integer, default=1)
    event_type: Mapped[str] = mapped_column(String(60), index=True)
    sub_event_type: Mapped[str] = mapped_column(String(80))
    actor1: Mapped[str | None] = mapped_column(String(200))
    actor2: Mapped[str | None] = mapped_column(String(200))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"), index=True)
    geo_precision: Mapped[int] = mapped_column(Integer, default=1)
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_best: Mapped[int | None] = mapped_column(Integer)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    losses: Mapped[dict] = mapped_column(JSON, default=dict)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    contested: Mapped[bool] = mapped_column(Boolean, default=False)

    sources: Mapped[list[EventSource]] = relationship(back_populates="event", cascade="all, delete-orphan")


class EventSource(Base):
    """Provenance: which article reports an event, and the evidence sentence with offsets."""

    __tablename__ = "event_sources"
    __table_args__ = (UniqueConstraint("event_id", "article_id", name="uq_event_source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)

    event: Mapped[Event] = relationship(back_populates="sources")


class GeocodeCache(Base):
    """Every geocoder answer, a miss included, so no query is computed or sent twice."""

    __tablename__ = "geocode_cache"

    provider: Mapped[str] = mapped_column(String(40), primary_key=True)
    query: Mapped[str] = mapped_column(String(300), primary_key=True)
    params: Mapped[str] = mapped_column(String(300), primary_key=True, default="")
    result: Mapped[list | None] = mapped_column(JSON)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Correction(Base):
    """An editor's fix of a mention's place, keyed so it applies again to the same mention elsewhere."""

    __tablename__ = "corrections"

    surface: Mapped[str] = mapped_column(String(200), primary_key=True)
    context: Mapped[str] = mapped_column(String(100), primary_key=True, default="")
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"))
    corrected_by: Mapped[str] = mapped_column(String(100))
    corrected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Source(Base):
    """A feed, news sitemap or article page `clashmap follow` polls (store/sources.py, clashmap/follow.py)."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(String(1000))
    kind: Mapped[str] = mapped_column(String(10))  # feed | sitemap | page
    country: Mapped[str | None] = mapped_column(String(2))
    language: Mapped[str | None] = mapped_column(String(10))  # the hint given when added
    affiliation: Mapped[str | None] = mapped_column(String(100))  # e.g. "state media"
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_fetch: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status: Mapped[str | None] = mapped_column(String(40))  # "200", "304", "429", "error"...
    next_fetch: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    new_articles: Mapped[int] = mapped_column(Integer, default=0)  # read as articles by the last fetch
    articles: Mapped[int] = mapped_column(Integer, default=0)  # read as articles, all fetches
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    teasers: Mapped[int] = mapped_column(Integer, default=0)
    unread_language: Mapped[int] = mapped_column(Integer, default=0)  # stored, not read: a language not read yet
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FetchedPage(Base):
    """Every article page `clashmap follow` fetched and what became of it; the raw page kept gzip-compressed.

    `status`: queued (found in a feed, not fetched yet), fetching (taken by a process until `next_try`), article (read and stored), duplicate (same text or a near-duplicate wire copy of `article_id`,
    not read again), teaser (too short: a paywall stub or a teaser), language (not a language clashmap reads
    yet), rejected (the reader refused it), blocked (robots.txt), failed (gave up after repeated errors);
    `note` says why.
    """

    __tablename__ = "fetched_pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)  # normalised link as found
    canonical: Mapped[str | None] = mapped_column(String(1000), index=True)  # normalised rel=canonical
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"), index=True)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(20), index=True)
    article_id: Mapped[str | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    language: Mapped[str | None] = mapped_column(String(10))
    published: Mapped[str | None] = mapped_column(String(40))  # ISO 8601 with time and zone when the page gives them
    title: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str | None] = mapped_column(Text)  # extracted text (kept for teasers and unread languages too)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)  # the page as fetched, gzip
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)  # datasketch MinHash values (near-duplicates)
    note: Mapped[str | None] = mapped_column(String(500))
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed fetches of a queued page
    next_try: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # when a queued page is due


Index("ix_events_type_date", Event.event_type, Event.event_date)
