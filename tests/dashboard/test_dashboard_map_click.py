"""Map clicks in Chromium: a marker's popup stays open (its link can be followed), a cluster click zooms only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dash_server import run_streamlit
from test_dashboard_browser import MAP_FRAME, query, settle, map_frame as _map_frame, open_map_patiently as open_map

pytestmark = pytest.mark.browser


def _over(page, link) -> list[str]:
    """The page's elements at the link's centre, topmost first, with their boxes (the map's iframe should lead)."""
    box = link.bounding_box() or {"x": 0, "y": 0, "width": 0, "height": 0}
    return page.evaluate("""([x, y]) => document.elementsFromPoint(x, y).slice(0, 6).map(e => {
        const r = e.getBoundingClientRect();
        return `${e.tagName} ${e.getAttribute('data-testid') || e.getAttribute('title') || ''} at ` +
               [r.x, r.y, r.width, r.height].map(Math.round).join(',');
    })""", [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])


def test_popup_stays_open_after_a_marker_click_and_its_link_works(page, streamlit_server, artifacts):
    frame = open_map(page, streamlit_server + "/?cluster=0")
    # A mark on the map's window: a redrawn (remounted) map would lose it.
    _map_frame(page).evaluate("() => { window.__cm_probe = 'first map'; }")
    frame.locator("path.cm-place").first.dispatch_event("click")
    page.wait_for_function("() => location.search.includes('sel_place=')", timeout=60_000)
    settle(page)  # the rerun the click caused is over
    assert _map_frame(page).evaluate("() => window.__cm_probe || null") == "first map"
    popup = frame.locator(".leaflet-popup-content")
    assert popup.count() == 1 and popup.is_visible()
    page.screenshot(path=artifacts / "dashboard-popup-after-rerun.png")
    link = popup.locator("a", has_text="article").first
    href = link.get_attribute("href")
    assert re.search(r"/article\?id=", href)
    blocked = None
    try:
        with page.context.expect_page() as opened:
            try:
                link.click(timeout=30_000)
            except PlaywrightTimeout:  # say what lies over the map (in CI a page block covered the link once)
                blocked = _over(page, link)
                raise
    except PlaywrightTimeout:
        if blocked is None:
            raise
        pytest.fail(f"the popup's link cannot be clicked; at its place the page has, topmost first: {blocked}")
    article = opened.value
    article.locator(".cm-article").wait_for(timeout=60_000)
    assert article.locator('[data-testid="stException"]').count() == 0


@pytest.fixture(scope="module")
def dense_server(tmp_path_factory):
    """A server over a small synthetic store: 300 places in a few hundred km, so clusters sit near places."""
    from store.synth import synthesize

    folder = tmp_path_factory.mktemp("dense")
    url = f"sqlite:///{folder / 'dense.sqlite'}"
    synthesize(url, n_events=600, n_places=300)
    with run_streamlit(folder, {"CLASHMAP_DB": url}) as (base, _proc):
        yield base


def test_cluster_click_zooms_without_selecting_a_place(page, dense_server):
    page.goto(dense_server + "/")
    settle(page)
    frame = page.frame_locator(MAP_FRAME)
    cluster = frame.locator(".marker-cluster").first
    cluster.wait_for(timeout=60_000)
    mapf = _map_frame(page)
    mapf.wait_for_function("() => window.__GLOBAL_DATA__ && window.__GLOBAL_DATA__.last_zoom !== null",
                           timeout=60_000)
    settle(page)
    start = mapf.evaluate("() => window.map.getZoom()")
    frame.locator(".marker-cluster").first.dispatch_event("click")
    mapf.wait_for_function(f"() => window.map.getZoom() > {start}", timeout=60_000)
    settle(page)  # any rerun the click caused is over
    assert "sel_place" not in query(page)
    assert "in the current selection" not in page.locator('[data-testid="stMain"]').inner_text()
    assert _map_frame(page).evaluate("() => window.map.getZoom()") > start  # no jump back to the start view
