"""Editors' corrections of a mention's place: stored once, applied to every later reading."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from geo.gazetteer import Gazetteer, PlaceRecord
from geo.names import normalize_name
from store.schema import Correction, Mention
from store.places import ensure_place
from store.db import run_transaction


def load_corrections(sessions: sessionmaker[Session], gazetteer: Gazetteer) -> dict[str, PlaceRecord | None]:
    """Normalised surface -> corrected place (None: "this is not a place")."""
    with sessions() as session:
        rows = session.execute(select(Correction.surface, Correction.place_id)).all()
    out: dict[str, PlaceRecord | None] = {}
    for surface, place_id in rows:
        out[surface] = gazetteer.get(place_id) if place_id is not None else None
    return out


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
    mentions = session.scalars(select(Mention)).all()
    changed = 0
    for mention in mentions:
        if normalize_name(mention.text) == key:
            mention.place_id = place.id if place else None
            mention.corrected_by = editor
            mention.resolver = "correction"
            changed += 1
    return changed
