"""A place's popup as Chromium shows it: the map sends the popup's events as data and the browser makes the HTML
when the popup opens (dashboard/map_view.py, PlaceLayer), so the escaping happens there and is checked there.

The map is rendered by `build_map` to a file that loads Leaflet from static/vendor (no server, no network)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dash_fixture_articles import ROOT
from test_dashboard_units import make_events

pytestmark = pytest.mark.browser
VENDOR = ROOT / "static" / "vendor"
HOSTILE_ACTOR = '<script>alert(1)</script><img src=x onerror="alert(2)">'
HOSTILE_CLAIM = "Ministry & <b>Co</b> \"'"


def _map_file(events: pd.DataFrame, target: Path) -> Path:
    """The map as the dashboard draws it (offline: plain tiles from data: URLs), Leaflet from static/vendor."""
    from dashboard.map_view import aggregate_places, build_map
    from dashboard.offline_assets import use_cdn_assets, use_local_assets

    use_local_assets(VENDOR.as_uri())
    try:
        page = build_map(aggregate_places(events)).get_root().render()
    finally:
        use_cdn_assets()
    target.write_text(page, encoding="utf-8")
    return target


def test_popup_made_in_the_browser_shows_article_text_as_text(chromium, tmp_path, monkeypatch):
    monkeypatch.setenv("CLASHMAP_OFFLINE_ASSETS", "1")
    if not (VENDOR / "leaflet" / "leaflet.js").exists():
        pytest.skip("static/vendor has no Leaflet (make assets)")
    events = make_events(3, 1, actor=HOSTILE_ACTOR)
    events["claimed_by"] = HOSTILE_CLAIM
    events["fatalities"] = [None, 4.0, None]
    events["article_ids"] = [["a b/1"], ["a2"], ["a3"]]
    path = _map_file(events, tmp_path / "map.html")
    assert "<script>alert(1)" not in path.read_text(encoding="utf-8")
    context = chromium.new_context(viewport={"width": 900, "height": 700})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(path.as_uri())
        page.wait_for_function("document.querySelectorAll('path.cm-place').length === 1", timeout=15_000)
        page.locator("path.cm-place").first.dispatch_event("click")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5_000)
        shown = popup.inner_text()
        # the markup from the articles is on screen as the characters it is made of, and never became elements
        assert HOSTILE_ACTOR in shown and HOSTILE_CLAIM in shown, shown
        assert popup.locator("script, img, b:text-is('Co')").count() == 0
        assert dialogs == []
        # what a popup line says: newest first, type (sub-type), actors, losses, claimant, a link per event
        lines = popup.locator("li").all_inner_texts()
        assert len(lines) == 3 and lines[0].startswith("2020-10-03 Battles (Armed clash)"), lines
        assert "losses" not in lines[0] and "losses: 4 killed" in lines[1], lines
        assert "losses: 2 tanks" in lines[2] and "(contested)" in lines[2], lines
        assert "Town 0" in shown and "(3 events)" in shown
        hrefs = [a.get_attribute("href") for a in popup.locator("a", has_text="article").all()]
        assert hrefs == ["/article?id=a3", "/article?id=a2", "/article?id=a%20b%2F1"], hrefs
    finally:
        context.close()
