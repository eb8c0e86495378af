"""Editors' corrections of a mention's place: stored once, applied to every later reading."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from articles.model import Article as ArticleText
from geo.gazetteer import Gazetteer, PlaceRecord
from geo.names import normalize_name
from store.schema import Article, Correction, Mention, Place
from store.places import ensure_place
from store.db import bump_revision, run_transaction


def load_corrections(sessions: sessionmaker[Session], gazetteer: Gazetteer) -> dict[str, PlaceRecord | None]:
    """Normalised surface -> corrected place (None: "this is not a place").

    The place comes from the store's own `places` row, which every correction writes: an editor
    may pick a Nominatim answer the offline gazetteer has never heard of.
    """
    with sessions() as session:
        rows = session.execute(select(Correction.surface, Correction.place_id, Place)
                               .outerjoin(Place, Place.id == Correction.place_id)).all()
    out: dict[str, PlaceRecord | None] = {}
    for surface, place_id, stored in rows:
        if place_id is None:
            out[surface] = None
        else:
            out[surface] = gazetteer.get(place_id) or (_record(stored) if stored is not None else None)
    return out


def _record(place: Place) -> PlaceRecord:
    return PlaceRecord(id=place.id, name=place.name, country_code=place.country_code, admin1=place.admin1,
                       kind=place.kind, feature_code=None, lat=place.lat, lon=place.lon,
                       population=place.population, source=place.source)


def save_correction(sessions: sessionmaker[Session], surface: str, place: PlaceRecord | None, editor: str,
                    read: Callable[[ArticleText], object] | None = None) -> int:
    """Store the fix, apply it to every stored mention with the same name and move their events.

    Returns the number of mentions changed. With `read` (a `Pipeline.read`, which applies the stored
    corrections), every article that mentions the name is then read again and its stored reading
    replaced (store.ingest.replace_reading), so its events move to the corrected place, or vanish
    when the name is "not a place", exactly as a fresh ingest would place them. Article by article:
    a process stopped half-way leaves the rest for `clashmap reprocess`, and nothing is lost.
    """
    key = normalize_name(surface)
    changed, article_ids = run_transaction(sessions, lambda session: _apply_correction(session, key, place, editor))
    if read is not None:
        reread_articles(sessions, article_ids, read)
    return changed


def reread_articles(sessions: sessionmaker[Session], article_ids: list[str], read: Callable) -> None:
    """Replace the stored reading of each article by `read`'s reading of its stored text."""
    from articles.reader import read_text
    from store.ingest import replace_reading

    for article_id in article_ids:
        with sessions() as session:
            stored = session.get(Article, article_id)
            if stored is None:  # deleted meanwhile
                continue
            article = read_text(stored.text, stored.source_path, outlet=stored.outlet, title=stored.title,
                                url=stored.url, published=stored.published)
        replace_reading(sessions, read(article))


def list_corrections(sessions: sessionmaker[Session]) -> list[dict]:
    """Every stored correction, newest first: name, place (None: not a place), who and when."""
    with sessions() as session:
        rows = session.execute(select(Correction, Place).outerjoin(Place, Place.id == Correction.place_id)
                               .order_by(Correction.corrected_at.desc(), Correction.surface)).all()
    return [{"name": c.surface, "place_id": c.place_id, "place": p.name if p else None,
             "country_code": p.country_code if p else None, "corrected_by": c.corrected_by,
             "corrected_at": c.corrected_at} for c, p in rows]


def _apply_correction(session: Session, key: str, place: PlaceRecord | None, editor: str) -> tuple[int, list[str]]:
    """One transaction; `run_transaction` replays it when another editor wrote the same rows first."""
    if place is not None:
        ensure_place(session, place)
    session.merge(Correction(surface=key, context="", place_id=place.id if place else None,
                             corrected_by=editor, corrected_at=datetime.now(timezone.utc)))
    # names are compared in their normal form (accents, case, punctuation), which SQL cannot do
    same_name = [(mention_id, article_id) for mention_id, article_id, text
                 in session.execute(select(Mention.id, Mention.article_id, Mention.text))
                 if normalize_name(text) == key]
    if same_name:
        session.execute(update(Mention).where(Mention.id.in_([m for m, _ in same_name]))
                        .values(place_id=place.id if place else None, corrected_by=editor, resolver="correction"))
    bump_revision(session)
    return len(same_name), sorted({a for _, a in same_name})
