"""Bad configuration and a dying ingest worker, through AppTest: one line each, never a traceback."""

from __future__ import annotations

import html
import signal
import time

import pytest
from streamlit.testing.v1 import AppTest

from dash_fixture_articles import ROOT

def shown(markdown: str) -> str:
    """What the browser shows of a markdown string written with `dashboard.safe_text.md`."""
    return html.unescape(markdown).replace("\u2060", "")


PAGES = ("page_scripts/map.py", "page_scripts/article.py", "page_scripts/ingest.py")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("variable, value", [("CLASHMAP_GEOCODER", "nominatimm"),
                                             ("CLASHMAP_NOMINATIM_TIMEOUT", "abc")])
def test_a_bad_setting_is_one_line_naming_it_on_every_page(dash_db, monkeypatch, page, variable, value):
    monkeypatch.setenv("CLASHMAP_DB", dash_db)
    monkeypatch.setenv("CLASHMAP_AUTH", "open")  # the ingest page draws its form only for editors
    monkeypatch.setenv(variable, value)
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    at.secrets["clashmap"] = {"viewing": "open"}
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    assert len(at.error) == 1
    message = shown(at.error[0].value)
    assert variable in message and value in message and "\n" not in message
    assert "Traceback" not in message


def _ingest_page():
    from dashboard import ingest_view

    ingest_view.render()


def _batch(n: int) -> bytes:
    import json

    return json.dumps([{"title": f"Record {i}", "source": "Kill Wire", "published": "2021-05-03",
                        "text": f"date 2021-05-03 BAKU, AZERBAIJAN – Shelling hit Tartar on Monday, report {i} said."}
                       for i in range(n)]).encode()


def test_a_killed_worker_shows_ingest_stopped_and_what_was_stored(own_db, monkeypatch):
    from sqlalchemy import func, select

    from store.db import open_store
    from store.schema import Article

    monkeypatch.setenv("CLASHMAP_AUTH", "open")
    at = AppTest.from_function(_ingest_page, default_timeout=120)
    at.run()
    at.text_area[0].set_value("")
    job_key = "ingest_job"
    from dashboard.ingest_view import start_ingest

    # What the form does, with a batch large enough to be stopped halfway (AppTest cannot upload files).
    at.session_state[job_key] = start_ingest([("many.json", _batch(400))], "", own_db)
    job = at.session_state[job_key]
    deadline = time.monotonic() + 120
    while len(job.rows()) < 3:  # a few records are stored
        assert job.running() and time.monotonic() < deadline
        time.sleep(0.2)
    job.proc.send_signal(signal.SIGKILL)
    job.proc.wait()
    stored_rows = job.rows()
    at.run()
    assert not at.exception, at.exception
    assert any(shown(e.value).startswith("ingest stopped: ") and "killed" in e.value for e in at.error), at.error
    report = at.dataframe[0].value
    assert len(report) >= len(stored_rows) >= 3 and set(report["status"]) == {"added"}
    with open_store(own_db)() as session:
        stored = session.scalar(select(func.count()).select_from(Article).where(Article.outlet == "Kill Wire"))
    assert stored >= len(stored_rows)  # everything the report lists as added is in the store


def test_an_editor_can_stop_a_long_ingest_and_keeps_what_was_stored(own_db, monkeypatch):
    from dashboard.ingest_view import start_ingest

    monkeypatch.setenv("CLASHMAP_AUTH", "open")
    at = AppTest.from_function(_ingest_page, default_timeout=120)
    at.session_state["ingest_job"] = job = start_ingest([("long.json", _batch(400))], "", own_db)
    deadline = time.monotonic() + 120
    while len(job.rows()) < 2:
        assert job.running() and time.monotonic() < deadline
        time.sleep(0.2)
    at.run()
    assert at.button(key="ingest_stop").label == "Stop ingest"
    at.button(key="ingest_stop").click().run()
    assert not at.exception, at.exception
    assert not job.running()
    assert [shown(e.value) for e in at.error] == ["ingest stopped: stopped by the editor"]
    report = at.dataframe[0].value
    assert 2 <= len(report) < 400 and set(report["status"]) == {"added"}
