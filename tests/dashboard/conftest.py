"""Fixtures for the dashboard tests: a small real SQLite store, a real `streamlit run` server, Chromium.

The store is filled by ingesting the articles of `dash_fixture_articles.py` through the real pipeline. The server
runs with `CLASHMAP_OFFLINE_ASSETS=1` so Leaflet comes from `static/vendor/` (filled here by
`static/fetch_assets.py`): nothing outside 127.0.0.1 is needed.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dash_fixture_articles import ROOT
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
    from store.db import open_store
    from clashmap.loading import ingest_paths

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def run_streamlit(folder: Path, env_extra: dict[str, str], script: Path | None = None):
    """A real `streamlit run` on a free 127.0.0.1 port (cwd: the project, so its .streamlit/config.toml holds);
    yields (base URL, process); stopped on exit. No secrets file is read: the browser is an anonymous viewer
    unless `env_extra` sets CLASHMAP_AUTH=open."""
    sys.path.insert(0, str(ROOT / "static"))
    from fetch_assets import fetch

    fetch()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("CLASHMAP_AUTH", "CLASHMAP_VIEWING")}
    env.update(CLASHMAP_OFFLINE_ASSETS="1", **env_extra)
    log = folder / "server.log"
    no_secrets = folder / "secrets.toml"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script or ROOT / "dashboard" / "app.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--secrets.files", str(no_secrets)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; log:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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


def wait_for_report(at, timeout: float = 120):
    """Rerun the page (as its progress fragment does) until the worker's report is shown."""
    deadline = time.monotonic() + timeout
    while not at.dataframe:
        assert not at.exception, at.exception
        assert time.monotonic() < deadline, f"no ingest report after {timeout} s"
        time.sleep(0.3)
        at.run()
    return at.dataframe[0].value
