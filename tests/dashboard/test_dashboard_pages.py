"""The article and ingest pages through AppTest, on their own copy of the small store (single-user mode)."""

from __future__ import annotations

import time

import pytest
from dash_server import wait_for_report
from streamlit.testing.v1 import AppTest


def _article_page():
    from dashboard import article_view

    article_view.render()


def _ingest_page():
    from dashboard import ingest_view

    ingest_view.render()


@pytest.fixture(autouse=True)
def _single_user(monkeypatch):
    """These tests are about the pages, not about logins: single-user mode, everyone edits."""
    monkeypatch.setenv("CLASHMAP_AUTH", "open")


def test_article_page_highlights_and_lists_events(own_db, article_ids):
    at = AppTest.from_function(_article_page, default_timeout=60)
    at.query_params["id"] = article_ids["shushi.txt"]
    at.run()
    assert not at.exception, at.exception
    assert at.title, at.main
    assert at.title[0].value == "Fighting reported in Shushi"
    text = next(m.value for m in at.markdown if "cm-article" in m.value)
    assert '<mark class="cm-event"' in text and ">Shushi</mark>" in text
    assert 'class="cm-evidence"' in text
    events = at.dataframe[0].value
    assert list(events["event_type"]) == ["Battles"] and list(events["place"]) == ["Shusha"]


def test_correcting_a_mention_is_stored_and_applied(own_db, article_ids):
    from sqlalchemy import select

    from store.db import open_store
    from store.schema import Correction, Mention

    at = AppTest.from_function(_article_page, default_timeout=60)
    at.query_params["id"] = article_ids["hostile.txt"]
    at.run()
    martuni = next(e for e in at.expander if e.label.startswith("Martuni"))
    pick = martuni.selectbox[0]
    assert len(pick.options) >= 2  # "(not a place)" and the gazetteer's Martuni candidates
    pick.set_value("(not a place)")
    martuni.button[0].click()
    at.run()
    deadline = time.monotonic() + 180  # the correction is applied in a worker process: rerun until it reports
    while not any("Saved" in s.value for s in at.success):
        assert not at.exception, at.exception
        assert time.monotonic() < deadline, "no 'Saved' after 180 s"
        time.sleep(0.5)
        at.run()
    sessions = open_store(own_db)
    with sessions() as session:
        corrections = session.scalars(select(Correction)).all()
        mention = session.scalars(select(Mention).where(Mention.text == "Martuni")).one()
    assert [c.surface for c in corrections] == ["martuni"] and corrections[0].place_id is None
    assert mention.place_id is None and mention.corrected_by == "local editor"


def test_ingest_page_reports_added_and_unchanged(own_db):
    at = AppTest.from_function(_ingest_page, default_timeout=120)
    at.run()
    text = ("source: Paste Wire\ntitle: Pasted\ndate 2020-10-20 BAKU, AZERBAIJAN – Azerbaijani forces clashed with "
            "Armenian troops near Fuzuli on Tuesday, the Azerbaijani Defence Ministry said.\n")
    at.text_area[0].set_value(text)
    at.button[0].click()
    at.run()
    assert not at.exception
    report = wait_for_report(at)
    assert list(report["status"]) == ["added"]
    at.button[0].click()
    at.run()
    assert list(wait_for_report(at)["status"]) == ["unchanged"]



def test_ingest_uploads_reject_bad_files_by_name_and_store_the_rest(own_db):
    from dashboard.ingest_view import ingest_uploads

    good = b'[{"text": "date 2020-10-21 BAKU, AZERBAIJAN \\u2013 Shelling hit Tartar on Wednesday.", "source": "J"}]'
    report = ingest_uploads([("batch.json", good), ("broken.json", b"{not json"), ("image.png", b"\x89PNG\x00")],
                            "", own_db)
    rows = {r.file: r for r in report.itertuples(index=False)}
    assert rows["batch.json"].status == "added" and rows["batch.json"].record == "#1"
    assert rows["broken.json"].status == "rejected" and "broken.json" in rows["broken.json"].reason
    assert "not valid JSON" in rows["broken.json"].reason and "/tmp" not in rows["broken.json"].reason
    assert rows["image.png"].status == "rejected" and ".png" in rows["image.png"].reason


def test_abandoned_job_folders_are_swept_and_live_ones_kept(own_db, tmp_path, monkeypatch):
    import os
    import tempfile

    from dashboard.ingest_view import JOB_PREFIX, ingest_uploads

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    old, fresh = tmp_path / f"{JOB_PREFIX}old", tmp_path / f"{JOB_PREFIX}fresh"
    for folder in (old, fresh):
        folder.mkdir()
        (folder / "status.json").write_text("{}")
    two_days_ago = os.path.getmtime(fresh) - 2 * 86_400
    for path in (old, old / "status.json"):
        os.utime(path, (two_days_ago, two_days_ago))
    report = ingest_uploads([], "Shelling hit Tartar on Monday.", own_db)
    assert list(report["status"]) == ["added"]
    assert not old.exists() and fresh.exists()
    assert [p.name for p in tmp_path.glob(f"{JOB_PREFIX}*")] == [fresh.name]  # the run's own folder is removed too
