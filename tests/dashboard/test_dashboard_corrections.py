"""Corrections are live: an editor's correction in the article view moves the markers every map shows."""

from __future__ import annotations


import pytest
from sqlalchemy import select

from dash_server import run_streamlit
from test_dashboard_browser import MAP_FRAME, choose, open_map, settle

pytestmark = pytest.mark.browser


def _marker_positions(page) -> list[tuple[float, float]]:
    frame = next(f for f in page.frames if "st_folium" in f.url)
    return [tuple(p) for p in frame.evaluate("""() => {
        var out = [];
        window.map.eachLayer(function(l) {
            if (l instanceof L.CircleMarker && l.options.className === 'cm-place') {
                var ll = l.getLatLng(); out.push([ll.lat, ll.lng]);
            }
        });
        return out;
    }""")]


def _near(positions, lat: float, lon: float) -> bool:
    return any(abs(a - lat) < 0.01 and abs(b - lon) < 0.01 for a, b in positions)


def test_a_correction_in_the_article_view_moves_the_marker_on_a_new_map(own_db, tmp_path, chromium, article_ids,
                                                                        artifacts):
    from geo.gazetteer import Gazetteer
    from store.db import open_store
    from store.schema import Mention, Place

    with open_store(own_db)() as session:
        old = session.execute(select(Place).join(Mention, Mention.place_id == Place.id)
                              .where(Mention.text == "Martuni")).scalars().first()
    assert old is not None, "the fixture article places Martuni"
    other = next((p for p in Gazetteer().lookup("Martuni") if p.id != old.id and abs(p.lat - old.lat) > 0.05), None)
    assert other is not None, "the gazetteer knows a second Martuni"

    with run_streamlit(tmp_path, {"CLASHMAP_DB": own_db, "CLASHMAP_AUTH": "open"}) as (base, _proc):
        context = chromium.new_context(viewport={"width": 1500, "height": 1300})
        try:
            page = context.new_page()
            open_map(page, base + "/?cluster=0")  # a session that has drawn the map before the correction
            assert _near(_marker_positions(page), old.lat, old.lon)
            assert not _near(_marker_positions(page), other.lat, other.lon)

            editor = context.new_page()
            editor.goto(f"{base}/article?id={article_ids['hostile.txt']}")
            settle(editor)
            expander = editor.locator('[data-testid="stExpander"]').filter(has_text="Martuni →").first
            expander.get_by_text("Martuni →").first.click()
            save = expander.get_by_role("button", name="Save correction")
            save.wait_for(timeout=20_000)
            wanted = f"{other.lat:.3f}, {other.lon:.3f}"
            option = editor.get_by_role("option").filter(has_text=wanted).first
            choose(expander.locator('[data-testid="stSelectbox"]').filter(has_text="Place").first, option, wanted)
            settle(editor)
            save.click()
            editor.get_by_text("Saved:").wait_for(timeout=120_000)
            editor.screenshot(path=artifacts / "dashboard-correction-saved.png", full_page=True)

            fresh = context.new_page()  # a new tab
            open_map(fresh, base + "/?cluster=0")
            moved = _marker_positions(fresh)
            fresh.screenshot(path=artifacts / "dashboard-correction-map.png", full_page=True)
            assert _near(moved, other.lat, other.lon), f"no marker at the corrected Martuni: {moved}"
            assert not _near(moved, old.lat, old.lon), f"a marker is still at the old Martuni: {moved}"

            # the session opened before the correction sees it on its next run (a filter set and set back)
            sidebar = page.locator('[data-testid="stSidebar"]')
            sidebar.get_by_text("Uncontested only").click()
            page.wait_for_function("() => location.search.includes('contested=no')", timeout=20_000)
            settle(page)
            sidebar.get_by_text("Either").click()
            page.wait_for_function("() => !location.search.includes('contested=no')", timeout=20_000)
            settle(page)
            page.frame_locator(MAP_FRAME).locator("path.cm-place").first.wait_for(timeout=30_000)
            assert _near(_marker_positions(page), other.lat, other.lon)
        finally:
            context.close()


def test_clashmap_correct_moves_an_open_tab_s_map_on_its_next_map_control(own_db, tmp_path, chromium):
    """`clashmap correct` from another process; an open tab's next run, even one of the map's own controls (the
    size switch reruns the map alone), draws the corrected place, and the feed beside it agrees."""
    import os
    import subprocess
    import sys

    from geo.gazetteer import Gazetteer
    from store.db import open_store
    from store.schema import Mention, Place

    with open_store(own_db)() as session:
        old = session.execute(select(Place).join(Mention, Mention.place_id == Place.id)
                              .where(Mention.text == "Martuni")).scalars().first()
    other = next(p for p in Gazetteer().lookup("Martuni") if p.id != old.id and abs(p.lat - old.lat) > 0.05)

    with run_streamlit(tmp_path, {"CLASHMAP_DB": own_db, "CLASHMAP_AUTH": "open"}) as (base, _proc):
        context = chromium.new_context(viewport={"width": 1440, "height": 1000})
        try:
            page = context.new_page()
            open_map(page, base + "/?cluster=0")
            assert _near(_marker_positions(page), old.lat, old.lon)
            env = {**os.environ, "CLASHMAP_DB": own_db}
            done = subprocess.run([sys.executable, "-m", "clashmap", "correct", "Martuni", "--to", str(other.id)],
                                  env=env, capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr
            # the server has read the change (a new tab shows it) ...
            fresh = context.new_page()
            open_map(fresh, base + "/?cluster=0")
            assert _near(_marker_positions(fresh), other.lat, other.lon)
            # ... and the tab opened before it shows it on its next run: the marker size switch
            page.get_by_text("Size: killed").click()
            page.wait_for_function("() => location.search.includes('size=fatalities')", timeout=20_000)
            settle(page)
            page.frame_locator(MAP_FRAME).locator("path.cm-place").first.wait_for(timeout=30_000)
            moved = _marker_positions(page)
            assert _near(moved, other.lat, other.lon), f"the open tab still shows the old Martuni: {moved}"
            feed_lats = [float(x) for x in page.locator(".cm-feed-item").evaluate_all(
                "items => items.map(i => i.dataset.lat).filter(Boolean)")]
            assert any(abs(lat - other.lat) < 0.01 for lat in feed_lats), feed_lats
        finally:
            context.close()
