"""Who sees what in the real dashboard (`dashboard/app.py` through AppTest, logins from `at.secrets`).

Anonymous viewers read the map and articles; editing (ingest, corrections, the CSV with article text)
needs an editor login; `viewing = "login"` hides everything behind the login form.
"""

from __future__ import annotations

import html
import time

import pytest
from streamlit.testing.v1 import AppTest

from dash_server import wait_for_report
from live_server import free_port
from dash_fixture_articles import ROOT
from dashboard.auth import hash_password

APP = str(ROOT / "dashboard" / "app.py")
INGEST = "page_scripts/ingest.py"
ARTICLE = "page_scripts/article.py"
MAP = "page_scripts/map.py"
PASTED = ("source: Paste Wire\ntitle: Pasted\ndate 2020-10-20 BAKU, AZERBAIJAN – Azerbaijani forces clashed with "
          "Armenian troops near Fuzuli on Tuesday, the Azerbaijani Defence Ministry said.\n")


@pytest.fixture(scope="module")
def users() -> dict:
    return {"alice": {"role": "editor", "password": hash_password("correct horse")},
            "bob": {"role": "viewer", "password": hash_password("battery staple")}}


@pytest.fixture(autouse=True)
def _no_single_user_mode(monkeypatch):
    monkeypatch.delenv("CLASHMAP_AUTH", raising=False)
    monkeypatch.delenv("CLASHMAP_VIEWING", raising=False)
    monkeypatch.delenv("CLASHMAP_GEOCODER", raising=False)


def _app(db: str, users: dict, monkeypatch, **settings) -> AppTest:
    monkeypatch.setenv("CLASHMAP_DB", db)
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["clashmap"] = {"viewing": "open", **settings, "users": users}
    return at


def _log_in(at: AppTest, user: str, password: str) -> AppTest:
    at.text_input(key="clashmap_login_user").input(user)
    at.text_input(key="clashmap_login_password").input(password)
    next(b for b in at.button if b.label == "Log in").click()
    return at.run()


def _summary(at: AppTest) -> str | None:
    return next((m.value for m in at.markdown if "match the filters" in m.value), None)


def _downloads(at: AppTest) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


def _titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_anonymous_viewer_sees_the_map_but_not_the_ingest_page(dash_db, users, monkeypatch):
    at = _app(dash_db, users, monkeypatch).run()
    assert not at.exception, at.exception
    assert _summary(at).startswith("**4** events from **4** articles")
    assert len(at.dataframe[0].value) == 4
    assert any("guest" in c.value for c in at.sidebar.caption)
    # exports: GeoJSON and the HTML map (no article text) are open; the CSV quotes evidence sentences
    assert _downloads(at) == ["Export GeoJSON", "Export HTML map"]
    assert at.button(key="csv_locked").disabled

    at.switch_page(INGEST).run()  # what a shared /ingest link opens
    assert not at.exception, at.exception
    assert "Ingest articles" not in _titles(at) and not at.text_area
    assert any("need an editor login" in i.value for i in at.info)
    assert [t.label for t in at.text_input] == ["User name", "Password"]


def test_viewer_sees_the_article_without_correction_controls(dash_db, users, monkeypatch, article_ids):
    at = _app(dash_db, users, monkeypatch).run()
    at.switch_page(ARTICLE)
    at.query_params["id"] = article_ids["hostile.txt"]
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Markup in a report"
    assert any("cm-article" in m.value for m in at.markdown)  # the highlighted text
    assert len(at.dataframe[0].value) >= 1  # its events
    assert not [b for b in at.button if b.label == "Save correction"]
    assert not any(e.label.startswith("Martuni") for e in at.expander)
    assert any("Correcting a place needs an editor login" in i.value for i in at.info)

    at = _log_in(at, "bob", "battery staple")  # a viewer's login does not unlock them either
    assert any("bob" in t.value for t in at.sidebar.text)
    assert not [b for b in at.button if b.label == "Save correction"]


def test_editor_logs_in_with_a_password_reaches_ingest_and_the_csv(dash_db, users, monkeypatch):
    at = _app(dash_db, users, monkeypatch).run()
    at.switch_page(INGEST).run()
    at = _log_in(at, "alice", "correct horse")
    assert not at.exception, at.exception
    assert "Ingest articles" in _titles(at) and at.text_area
    assert [t.value for t in at.sidebar.text] == ["Logged in as alice (editor)"]
    assert at.button(key="clashmap_logout")

    at.switch_page(MAP).run()
    assert "Export CSV (ACLED columns)" in _downloads(at)

    at.button(key="clashmap_logout").click().run()
    at.switch_page(INGEST).run()
    assert "Ingest articles" not in _titles(at)


def test_editor_correction_records_the_editors_name(own_db, users, monkeypatch, article_ids):
    from sqlalchemy import select

    from store.db import open_store
    from store.schema import Mention

    at = _app(own_db, users, monkeypatch).run()
    at.switch_page(ARTICLE)
    at.query_params["id"] = article_ids["hostile.txt"]
    at.run()
    at = _log_in(at, "alice", "correct horse")  # the login form in the article page's "Editor login"
    martuni = next(e for e in at.expander if e.label.startswith("Martuni"))
    martuni.selectbox[0].set_value("(not a place)")
    martuni.button[0].click()
    at.run()
    deadline = time.monotonic() + 180  # the correction is applied in a worker process: rerun until it reports
    while not any("Saved" in s.value for s in at.success):
        assert not at.exception, at.exception
        assert time.monotonic() < deadline, "no 'Saved' after 180 s"
        time.sleep(0.5)
        at.run()
    with open_store(own_db)() as session:
        mention = session.scalars(select(Mention).where(Mention.text == "Martuni")).one()
    assert mention.corrected_by == "alice"


def test_private_clashmap_shows_a_login_form_and_no_map(dash_db, users, monkeypatch):
    at = _app(dash_db, users, monkeypatch, viewing="login").run()
    assert not at.exception, at.exception
    assert any("private" in i.value for i in at.info)
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert _summary(at) is None and not at.dataframe and not at.get("component_instance")
    assert not _downloads(at)

    at = _log_in(at, "bob", "battery staple")
    assert _summary(at).startswith("**4** events")


def test_editors_see_nominatim_failures_on_the_ingest_page(own_db, users, monkeypatch):
    monkeypatch.setenv("CLASHMAP_GEOCODER", "nominatim")
    monkeypatch.setenv("CLASHMAP_NOMINATIM_URL", f"http://127.0.0.1:{free_port()}")
    at = _app(own_db, users, monkeypatch).run()
    at.switch_page(INGEST).run()
    at = _log_in(at, "alice", "correct horse")
    at.text_area[0].set_value(PASTED)
    next(b for b in at.button if b.label == "Ingest").click()
    at.run()
    assert not at.exception, at.exception
    assert list(wait_for_report(at)["status"]) == ["added"]  # the offline gazetteer answered instead
    warning = next(html.unescape(w.value) for w in at.warning if "online geocoder" in w.value)
    assert "127.0.0.1" in warning and "offline gazetteer" in warning
    failed = at.dataframe[1].value
    assert len(failed) >= 1 and failed["error"].str.contains("Geocoder").all()

    monkeypatch.setenv("CLASHMAP_GEOCODER", "offline")  # the warning is about Nominatim only
    at.run()
    assert not any("online geocoder" in w.value for w in at.warning)
