"""Editors' corrections: stored, applied to every mention of the name, read back for later readings."""

from __future__ import annotations

from sqlalchemy import select

from core_samples import BARDA, write_article
from geo.gazetteer import PlaceRecord
from store.corrections import load_corrections, save_correction
from clashmap.loading import ingest_paths
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


def _events_by_place(sessions) -> dict[int | None, int]:
    """place id -> number of stored events placed there."""
    from collections import Counter

    from store.schema import Event

    with sessions() as session:
        return dict(Counter(session.scalars(select(Event.place_id))))


def _barda_store(tmp_path, sessions, gazetteer):
    from clashmap.pipeline import Pipeline

    write_article(tmp_path, "a.txt", BARDA)
    write_article(tmp_path, "b.txt", BARDA.replace("Test Wire", "Another Wire").replace("at least 21", "21"))
    ingest_paths([tmp_path], sessions)
    pipeline = Pipeline(sessions, gazetteer=gazetteer)
    placed = _events_by_place(sessions)
    azerbaijan_barda = next(p for p in gazetteer.lookup("Barda") if p.country_code == "AZ")
    assert placed.get(azerbaijan_barda.id), f"the sample's shelling is placed in Barda (AZ): {placed}"
    return pipeline, azerbaijan_barda, placed


def test_correction_moves_the_events_of_every_article_that_names_the_place(tmp_path, sessions, gazetteer):
    """An editor moves "Barda" to another Barda: the stored events follow, as a fresh ingest would place them."""
    pipeline, azerbaijan_barda, before = _barda_store(tmp_path, sessions, gazetteer)
    russia_barda = next(p for p in gazetteer.lookup("Barda") if p.country_code == "RU")

    assert save_correction(sessions, "Barda", russia_barda, "alice", read=pipeline.read) == 2
    after = _events_by_place(sessions)
    assert azerbaijan_barda.id not in after, "no event is left at the old place"
    assert after.get(russia_barda.id) == before[azerbaijan_barda.id], "every event placed by the name moved"
    with sessions() as session:  # each article's event is sourced again, the mentions keep who corrected them
        from store.schema import Event, EventSource

        sources = session.execute(select(EventSource.article_id).join(Event, Event.id == EventSource.event_id)
                                  .where(Event.place_id == russia_barda.id)).scalars().all()
        assert len(set(sources)) == 2
        assert set(session.execute(select(Mention.place_id, Mention.corrected_by)
                                   .where(Mention.text == "Barda")).all()) == {(russia_barda.id, "alice")}

    # the same store ingested afresh with the correction in place reads the same
    from sqlalchemy import delete

    from store.schema import Article
    with sessions.begin() as session:
        session.execute(delete(Article))
    ingest_paths([tmp_path], sessions)
    assert _events_by_place(sessions) == after


def test_not_a_place_takes_the_events_off_that_place(tmp_path, sessions, gazetteer):
    pipeline, azerbaijan_barda, before = _barda_store(tmp_path, sessions, gazetteer)

    save_correction(sessions, "Barda", None, "carol", read=pipeline.read)
    after = _events_by_place(sessions)
    assert azerbaijan_barda.id not in after, f"events still placed by a name that is not a place: {after}"
    with sessions() as session:
        assert set(session.scalars(select(Mention.place_id).where(Mention.text == "Barda"))) == {None}


def test_a_reprocess_by_another_process_changes_the_change_token(tmp_path, sessions, store_url):
    """A running dashboard keys its caches by the token: a command-line reprocess must change it."""
    import os
    import subprocess
    import sys

    from store.db import change_token

    write_article(tmp_path, "barda.txt", BARDA)
    ingest_paths([tmp_path], sessions)
    before = change_token(sessions)
    assert change_token(sessions) == before, "the token is stable while nothing is written"
    done = subprocess.run([sys.executable, "-m", "clashmap", "reprocess", "--quiet"], capture_output=True, text=True,
                          env={**os.environ, "CLASHMAP_DB": store_url}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert change_token(sessions) != before


def test_clashmap_correct_from_the_command_line(tmp_path, sqlite_url, gazetteer):
    """`clashmap correct NAME --to ID`, `--not-a-place`, `--list`, and one-line errors, as a script runs them."""
    import os
    import subprocess
    import sys

    from store.db import open_store

    def clashmap(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "clashmap", *args], capture_output=True, text=True,
                              env={**os.environ, "CLASHMAP_DB": sqlite_url}, timeout=300)

    folder = tmp_path / "in"
    folder.mkdir()
    write_article(folder, "barda.txt", BARDA)
    assert clashmap("ingest", "--quiet", str(folder)).returncode == 0
    azerbaijan, russia = (next(p for p in gazetteer.lookup("Barda") if p.country_code == cc) for cc in ("AZ", "RU"))
    sessions = open_store(sqlite_url)
    assert azerbaijan.id in _events_by_place(sessions)

    done = clashmap("correct", "Barda", "--to", str(russia.id), "--editor", "dana")
    assert done.returncode == 0, done.stderr
    assert f"Barda: 1 mention(s) now point to Barda (RU) id {russia.id}" in done.stdout
    placed = _events_by_place(sessions)
    assert russia.id in placed and azerbaijan.id not in placed, placed

    listed = clashmap("correct", "--list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith(f"barda\tBarda (RU) id {russia.id}\tdana\t20"), listed.stdout

    for args, problem in [(("Barda", "--to", "999999999"), "--to 999999999: no place with that id"),
                          (("Nowhereville", "--not-a-place"), "no stored article mentions 'Nowhereville'"),
                          (("Barda",), "either --to GEONAMEID or --not-a-place")]:
        failed = clashmap("correct", *args)
        assert failed.returncode == 1 and failed.stdout == ""
        assert failed.stderr.count("\n") == 1 and problem in failed.stderr, failed.stderr
        assert "Traceback" not in failed.stderr
    assert _events_by_place(sessions) == placed, "a refused correction changes nothing"

    done = clashmap("correct", "barda", "--not-a-place", "--editor", "erin")
    assert done.returncode == 0, done.stderr
    assert russia.id not in _events_by_place(sessions)
    assert "barda\tnot a place\terin\t" in clashmap("correct", "--list").stdout
