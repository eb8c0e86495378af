"""Editors' corrections of a mention's place: stored once, applied to every later reading."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from geo.gazetteer import Gazetteer, PlaceRecord
from geo.names import normalize_name
from store.schema import Correction, Mention, Place
from store.places import ensure_place
from store.db import run_transaction


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


def save_correction(sessions: sessionmaker[Session], surface: str, place: PlaceRecord | None, editor: str) -> int:
    """Store the fix and apply it to every stored mention with the same name; returns mentions changed."""
    key = normalize_name(surface)
    return run_transaction(sessions, lambda session: _apply_correction(session, key, place, editor))


def _apply_correction(session: Session, key: str, place: PlaceRecord | None, editor: str) -> int:
    """One transaction; `run_transaction` replays it when another editor wrote the same rows first."""
    if place is not None:
        ensure_place(session, place)
    session.merge(Correction(surface=key, context="", place_id=place.id if place else None,
                             corrected_by=editor, corrected_at=datetime.now(timezone.utc)))
    # names are compared in their normal form (accents, case, punctuation), which SQL cannot do
    same_name = [mention_id for mention_id, text in session.execute(select(Mention.id, Mention.text))
                 if normalize_name(text) == key]
    if same_name:
        session.execute(update(Mention).where(Mention.id.in_(same_name))
                        .values(place_id=place.id if place else None, corrected_by=editor, resolver="correction"))
    changed = len(same_name)
    return changed
