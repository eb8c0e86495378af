"""The Sources page through AppTest: editors only; add and remove with one-line errors."""

from __future__ import annotations

import html

from streamlit.testing.v1 import AppTest


def _sources_page():
    from dashboard import sources_view

    sources_view.render()


def test_a_viewer_gets_the_login_form_not_the_sources(sqlite_url, monkeypatch):
    from store.sources import add_source
    from store.db import open_store

    add_source(open_store(sqlite_url), "Secret feed", "https://feeds.example/rss.xml")
    monkeypatch.setenv("CLASHMAP_DB", sqlite_url)
    monkeypatch.delenv("CLASHMAP_AUTH", raising=False)
    at = AppTest.from_function(_sources_page, default_timeout=60)
    at.run()
    assert not at.exception
    assert not at.dataframe
    assert any("editor login" in info.value for info in at.info)


def test_an_editor_adds_and_removes_sources(sqlite_url, monkeypatch):
    monkeypatch.setenv("CLASHMAP_DB", sqlite_url)
    monkeypatch.setenv("CLASHMAP_AUTH", "open")
    at = AppTest.from_function(_sources_page, default_timeout=60)
    at.run()
    assert not at.exception and not at.dataframe
    at.text_input[0].set_value("Wire")
    at.text_input[1].set_value("feeds.example/rss")  # no scheme
    at.button[0].click()
    at.run()
    # as a reader sees it (the page writes punctuation as character references, see dashboard/safe_text.py)
    assert [html.unescape(e.value).replace("\u2060", "") for e in at.error] == [
        "source 'Wire': URL 'feeds.example/rss' must start with http:// or https://"]
    at.text_input[1].set_value("https://feeds.example/rss")
    at.text_input[2].set_value("gb")
    at.button[0].click()
    at.run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["name"]) == ["Wire"] and list(frame["country"]) == ["GB"] and list(frame["state"]) == ["enabled"]
    at.selectbox[1].set_value("Wire")
    at.button[1].click()
    at.run()
    assert not at.dataframe
