"""Fixtures for the dashboard tests: a small real SQLite store, a real `streamlit run` server, Chromium.

The store is filled by ingesting the articles of `dash_fixture_articles.py` through the real pipeline. The server
runs with `CLASHMAP_OFFLINE_ASSETS=1` so Leaflet comes from `static/vendor/` (filled here by
`static/fetch_assets.py`): nothing outside 127.0.0.1 is needed.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from dash_fixture_articles import ROOT
from dash_server import run_streamlit, wait_for_report  # noqa: F401 (a test may still import them from here)

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def dash_articles(tmp_path_factory) -> dict[str, Path]:
    from dash_fixture_articles import ARTICLES

    folder = tmp_path_factory.mktemp("dash_articles")
    paths = {}
    for name, text in ARTICLES.items():
        paths[name] = folder / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.fixture(scope="session")
def dash_db(tmp_path_factory, dash_articles) -> str:
    """SQLAlchemy URL of a SQLite store holding the test articles."""
    from geo.gazetteer import DEFAULT_INDEX

    if not Path(os.environ.get("CLASHMAP_GAZETTEER") or DEFAULT_INDEX).exists():
        pytest.skip("gazetteer index not built (run `make setup` or `clashmap gazetteer build`)")
    from clashmap.loading import ingest_paths
    from store.db import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('dash_store') / 'clashmap.sqlite'}"
    report = ingest_paths(list(dash_articles.values()), open_store(url))
    assert not report.rejected, report.rejected
    return url


@pytest.fixture(scope="session")
def article_ids(dash_articles) -> dict[str, str]:
    from articles.reader import read_file

    return {name: read_file(path)[0].id for name, path in dash_articles.items()}


@pytest.fixture()
def own_db(dash_db, tmp_path, monkeypatch):
    """A private copy of the store (SQLite's backup API: the WAL is included), for tests that write to it."""
    source = sqlite3.connect(dash_db.removeprefix("sqlite:///"))
    target = tmp_path / "clashmap.sqlite"
    with sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    url = f"sqlite:///{target}"
    monkeypatch.setenv("CLASHMAP_DB", url)
    return url


@pytest.fixture(scope="session")
def streamlit_server(dash_db, tmp_path_factory):
    """Base URL of a real `streamlit run dashboard/app.py` on 127.0.0.1, stopped after the session."""
    with run_streamlit(tmp_path_factory.mktemp("streamlit"), {"CLASHMAP_DB": dash_db}) as (base, _proc):
        yield base


@pytest.fixture()
def page(chromium):
    context = chromium.new_context(viewport={"width": 1500, "height": 1300})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
