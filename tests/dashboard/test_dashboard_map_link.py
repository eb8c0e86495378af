"""A shared link is the same view: map centre and zoom, ticked table rows, dateline layer, playback position."""

from __future__ import annotations

import pytest

from test_dashboard_browser import MAP_FRAME, query, settle, map_frame as _map_frame, open_map_patiently as open_map

pytestmark = pytest.mark.browser



def _fresh(chromium):
    return chromium.new_context(viewport={"width": 1500, "height": 1300}).new_page()


def _first_row_box(page):
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    return box["x"] + 14, box["y"] + 35 + 17  # the checkbox of the first data row


def test_link_keeps_map_centre_and_zoom(page, chromium, streamlit_server):
    open_map(page, streamlit_server + "/?cluster=0")
    mapf = _map_frame(page)
    mapf.wait_for_function("() => window.__GLOBAL_DATA__ && window.__GLOBAL_DATA__.last_zoom !== null",
                           timeout=60_000)
    settle(page)
    mapf.evaluate("() => window.map.setView([39.76, 46.75], 9, {animate: false})")  # the sender zooms in
    page.wait_for_function("() => new URLSearchParams(location.search).get('z') === '9'", timeout=60_000)
    settle(page)
    copied = page.url
    fresh = _fresh(chromium)
    try:
        fresh.goto(copied)
        settle(fresh)
        fresh.frame_locator(MAP_FRAME).locator("path.cm-place").first.wait_for(state="attached", timeout=60_000)
        other = _map_frame(fresh)
        other.wait_for_function("() => window.map && window.map.getZoom() === 9", timeout=60_000)
        centre = other.evaluate("() => window.map.getCenter()")
        assert abs(centre["lat"] - 39.76) < 0.05 and abs(centre["lng"] - 46.75) < 0.05
    finally:
        fresh.context.close()


def test_link_ticks_the_selected_rows(page, chromium, streamlit_server):
    open_map(page, streamlit_server + "/?cluster=0")
    page.mouse.click(*_first_row_box(page))
    page.wait_for_function("() => location.search.includes('sel_events=')", timeout=60_000)
    settle(page)
    copied = page.url
    fresh = _fresh(chromium)
    try:
        open_map(fresh, copied)
        assert "sel_events" in query(fresh)
        # The row is ticked for the recipient: one click on its box unticks it (and the selection goes).
        fresh.mouse.click(*_first_row_box(fresh))
        fresh.wait_for_function("() => !location.search.includes('sel_events=')", timeout=60_000)
        settle(fresh)
        # every place is drawn again; the view stays where the recipient is, so some may lie outside it
        fresh.frame_locator(MAP_FRAME).locator("path.cm-place").first.wait_for(state="attached", timeout=60_000)
        assert fresh.frame_locator(MAP_FRAME).locator("path.cm-place").count() == 4
    finally:
        fresh.context.close()


# Every address the page's history was given (Streamlit's rewrites of the link, the map's own), in order: an
# address bar that lost `play_to` even for a moment (a copy made then is a different view) shows up here.
RECORD_ADDRESSES = """(() => { const seen = window.__cmAddresses = [];
  for (const name of ['pushState', 'replaceState']) {
    const own = history[name];
    history[name] = function(...args) { const done = own.apply(this, args); seen.push(location.search); return done; };
  } })();"""


def test_dateline_layer_and_playback_survive_a_filter_change_and_the_link(page, chromium, streamlit_server):
    page.add_init_script(RECORD_ADDRESSES)
    frame = open_map(page, streamlit_server + "/?cluster=0")
    frame.get_by_text("Dateline cities").click()
    page.wait_for_function("() => location.search.includes('datelines=1')", timeout=60_000)
    frame.locator("input.cm-week").fill("0")  # played back to the first week
    play_to = page.wait_for_function("() => new URLSearchParams(location.search).get('play_to')",
                                     timeout=60_000).json_value()
    page.locator('[data-testid="stSidebar"]').get_by_text("Uncontested only").click()
    page.wait_for_function("() => location.search.includes('contested=no')", timeout=60_000)
    settle(page, timeout=90_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.cm-dateline").first.wait_for(state="attached", timeout=60_000)
    # The map puts its keys back into the link Streamlit rewrote
    page.wait_for_function("([want]) => { const q = new URLSearchParams(location.search); return q.get('datelines') === '1'"
                           " && q.get('contested') === 'no' && q.get('play_to') === want; }", arg=[play_to],
                           timeout=10_000)
    assert frame.locator(".cm-week-label").inner_text() != "all dates"
    # Streamlit's rewrite of the link for the filter change (its run's address predates the map's keys) never
    # left them out, not even until the map's script put them back
    seen = page.evaluate("() => window.__cmAddresses")
    kept = seen[next(i for i, q in enumerate(seen) if f"play_to={play_to}" in q):]
    assert any("contested=no" in q for q in kept), seen
    assert all(f"play_to={play_to}" in q and "datelines=1" in q for q in kept), seen
    copied = page.url
    fresh = _fresh(chromium)
    try:
        fresh.goto(copied)
        settle(fresh, timeout=90_000)  # may return before the recipient's first run has started
        other = fresh.frame_locator(MAP_FRAME)
        # A fresh browser context loads everything anew: the map itself may come late under load. Its layer list
        # is drawn by the same script, after the layers: once it is there, the dateline layer must be too.
        other.locator(".leaflet-control-layers").wait_for(state="attached", timeout=90_000)
        other.locator("path.cm-dateline").first.wait_for(state="attached", timeout=10_000)
        assert other.locator(".cm-week-label").inner_text() != "all dates"
        fresh.wait_for_function("([want]) => { const q = new URLSearchParams(location.search);"
                                " return q.get('play_to') === want && q.get('contested') === 'no'; }", arg=[play_to],
                                timeout=10_000)
    finally:
        fresh.context.close()
