"""Editors' corrections: stored, applied to every mention of the name, read back for later readings."""

from __future__ import annotations

from sqlalchemy import select

from core_samples import BARDA, write_article
from geo.gazetteer import PlaceRecord
from store.corrections import load_corrections, save_correction
from store.loading import ingest_paths
from store.schema import Mention


def test_correction_applies_to_every_stored_mention_of_the_name(tmp_path, sessions, gazetteer):
    write_article(tmp_path, "a.txt", BARDA)
    write_article(tmp_path, "b.txt", BARDA.replace("Test Wire", "Another Wire"))
    ingest_paths([tmp_path], sessions)
    russia_barda = next(p for p in gazetteer.lookup("Barda") if p.country_code == "RU")
    changed = save_correction(sessions, "Barda", russia_barda, "alice")
    assert changed == 2
    with sessions() as session:
        rows = session.execute(select(Mention.place_id, Mention.corrected_by).where(Mention.text == "Barda")).all()
    assert rows and set(rows) == {(russia_barda.id, "alice")}
    assert load_corrections(sessions, gazetteer)["barda"] == russia_barda


def test_correction_to_a_place_outside_the_gazetteer_is_read_back(sessions, gazetteer):
    """An editor may pick a Nominatim answer; it must not come back as "not a place"."""
    online = PlaceRecord(id=9_123_456_789, name="Talish", country_code="AZ", admin1=None, kind="village",
                         feature_code=None, lat=40.217, lon=46.65, population=0, source="nominatim")
    save_correction(sessions, "Talish", online, "bob")
    loaded = load_corrections(sessions, gazetteer)["talish"]
    assert loaded is not None
    assert (loaded.id, loaded.name, round(loaded.lat, 3), loaded.source) == (online.id, "Talish", 40.217, "nominatim")


def test_not_a_place_is_remembered(sessions, gazetteer):
    save_correction(sessions, "Video", None, "carol")
    assert load_corrections(sessions, gazetteer) == {"video": None}
