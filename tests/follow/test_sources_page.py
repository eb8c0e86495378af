"""The dashboard's Sources page in a real browser: each source's state and errors, shown as text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from newsroom import build_newsroom  # noqa: E402
from live_server import run_streamlit  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


@pytest.fixture
def followed_store(sqlite_url, monkeypatch):
    """A store whose sources were polled once against failing local outlets (no article read: fast)."""
    from store.sources import add_source
    from clashmap.follow import Follower
    from store.db import open_store

    monkeypatch.setenv("CLASHMAP_FOLLOW_HOST_GAP", "0.01")
    monkeypatch.setenv("CLASHMAP_FOLLOW_MAX_FAILURES", "1")
    rooms = build_newsroom()
    sessions = open_store(sqlite_url)
    try:
        add_source(sessions, "Broken <b>Feed</b>", f"{rooms['c'].url}/bad.xml", affiliation="state media")
        add_source(sessions, "Busy wire", f"{rooms['d'].url}/feed.xml", country="GB")
        follower = Follower(sessions)
        follower.run_once()
        follower.close()
    finally:
        for outlet in rooms.values():
            outlet.close()
    return sqlite_url


@pytest.fixture
def server(followed_store, tmp_path):
    with run_streamlit(tmp_path, {"CLASHMAP_DB": followed_store, "CLASHMAP_AUTH": "open"}) as (base, _):
        yield base


def test_sources_page_shows_disabled_sources_errors_and_reschedules(page, server):
    page.goto(f"{server}/sources")
    alert = page.get_by_text("is disabled:")
    alert.wait_for(timeout=60_000)
    text = alert.inner_text()
    # the name is shown as written (markup in it is text), with its error and how to try again
    assert "Broken <b>Feed</b> is disabled: Broken <b>Feed</b>: malformed feed" in text
    assert "clashmap sources enable" in text
    assert page.locator("b", has_text="Feed").count() == 0
    # the table's cells, as the grid exposes them to assistive technology (once it has drawn them)
    page.locator('[data-testid="stDataFrame"] [role="gridcell"]', has_text="Busy wire").first.wait_for(
        state="attached", timeout=30_000)
    cells = page.locator('[data-testid="stDataFrame"] [role="gridcell"]').all_inner_texts()
    joined = " | ".join(cells)
    assert "Busy wire" in joined and "429" in joined and "DISABLED" in joined, joined


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1500, "height": 1300})
    yield context.new_page()
    context.close()
