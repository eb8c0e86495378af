"""The map page at desktop and phone widths: screenshots for the README, a map its controls do not cover, and
the event feed beside the map (below it on a phone)."""

from __future__ import annotations

import pytest

from test_dashboard_browser import MAP_FRAME, settle

pytestmark = pytest.mark.browser


def _covered_share(page) -> float:
    """Share of the map's area under its own controls (layer list, legend, playback, zoom)."""
    frame = next(f for f in page.frames if "st_folium" in f.url)
    return frame.evaluate("""() => {
        const m = document.querySelector('.leaflet-container').getBoundingClientRect();
        let covered = 0;
        for (const sel of ['.leaflet-control-layers', '.cm-legend', '.cm-playback', '.leaflet-control-zoom']) {
            for (const el of document.querySelectorAll(sel)) {
                const r = el.getBoundingClientRect();
                covered += Math.max(0, Math.min(r.right, m.right) - Math.max(r.left, m.left))
                         * Math.max(0, Math.min(r.bottom, m.bottom) - Math.max(r.top, m.top));
            }
        }
        return covered / (m.width * m.height);
    }""")


@pytest.mark.parametrize("width,height,name", [(1440, 900, "desktop-1440"), (390, 844, "phone-390")])
def test_map_is_usable_and_shot_at_width(chromium, streamlit_server, artifacts, width, height, name):
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(streamlit_server + "/?cluster=0")
        settle(page, timeout=90_000)
        page.frame_locator(MAP_FRAME).locator("path.cm-place").first.wait_for(state="attached", timeout=90_000)
        settle(page, timeout=90_000)
        box = page.locator(MAP_FRAME).bounding_box()
        main = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
        feed = page.locator(".cm-feed-head").bounding_box()
        if width >= 640:  # the map takes most of the width, the event feed sits beside it
            assert box["width"] >= 0.6 * main["width"]
            assert feed["x"] >= box["x"] + box["width"] - 1
        else:  # a phone: the map takes the width, the feed comes below it
            assert box["width"] >= 0.8 * width - 40
            assert feed["y"] >= box["y"] + box["height"] - 1
        page.get_by_text("Size: killed").wait_for(timeout=60_000)  # the map's controls, with the whole page
        cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] *')]
            .filter(e => e.textContent.trim() && getComputedStyle(e).textOverflow === 'ellipsis'
                         && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim())""")
        assert not cut, f"labels cut short at {width} px: {cut}"
        share = _covered_share(page)
        assert share < 0.25, f"{share:.0%} of the map is under its controls at {width} px"
        path = artifacts / f"dashboard-{name}.png"
        page.screenshot(path=path)  # docs/ holds a copy for the README
    finally:
        context.close()
