"""A new tab draws the map first (issue 13, speed): the filters, the map's controls (mode, size), the feed, the
timeline chart and the table come with the run the map's first report causes, so the browser's main thread (which
the map's same-site frame shares) is free for the map while it loads; then the whole page is there."""

from __future__ import annotations

import pytest

from test_dashboard_browser import MAP_FRAME, settle

# In every frame of the page (the page and the map's iframe): when each kind of element was first in the document
# (Date.now(): one clock for both frames), looked at every 10 ms.
FIRST_SEEN = """(() => {
  const kinds = {feed: '.cm-feed-item', chart: '[data-testid="stVegaLiteChart"]',
                 table: '[data-testid="stDataFrame"]',
                 filters: '[data-testid="stSidebar"] [data-testid="stMultiSelect"]',
                 controls: '[data-testid="stMain"] [data-testid="stRadio"]',
                 marker: 'path.cm-place, .cm-cluster, .marker-cluster'};
  const seen = window.__cmFirstSeen = {};
  // polled, not observed: the map's component writes its frame's document anew, which would leave an observer
  // watching the old one
  setInterval(() => {
    for (const [kind, sel] of Object.entries(kinds)) {
      if (!(kind in seen) && document.querySelector(sel)) { seen[kind] = Date.now(); }
    }
  }, 10);
})();"""


@pytest.mark.browser
def test_new_tab_draws_the_map_before_the_rest_of_the_page(page, streamlit_server):
    page.add_init_script(FIRST_SEEN)
    page.goto(streamlit_server + "/?cluster=0")
    settle(page, timeout=90_000)
    page.locator(".cm-feed-item").first.wait_for(timeout=30_000)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=30_000)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.wait_for(timeout=30_000)
    page.get_by_role("tab", name="Events").click()
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
    page.frame_locator(MAP_FRAME).locator("path.cm-place").first.wait_for(state="attached", timeout=30_000)
    shown = page.evaluate("() => window.__cmFirstSeen")
    mapf = next(f for f in page.frames if "st_folium" in f.url)
    marker = mapf.evaluate("() => window.__cmFirstSeen.marker")
    assert marker is not None
    for kind in ("filters", "controls", "feed", "chart", "table"):
        assert shown.get(kind) is not None and shown[kind] > marker, (kind, shown, marker)
    assert not page.locator(".st-key-cm_first_paint").count()  # the stand-in is gone



@pytest.mark.browser
def test_the_maps_frame_fetches_leaflet_and_its_plugins_as_one_script(page, streamlit_server):
    """streamlit-folium loads a map's scripts one after the other, each waiting for the one before: the map's frame
    asks for one script (Leaflet with its cluster and heat plugins) and one stylesheet, and both plugins work."""
    page.goto(streamlit_server + "/")
    settle(page, timeout=90_000)
    mapf = next(f for f in page.frames if "st_folium" in f.url)
    mapf.locator(".cm-cluster, path.cm-place").first.wait_for(state="attached", timeout=30_000)
    names = mapf.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    ours = [n.rsplit("/", 1)[-1] for n in names if "/app/static/vendor/" in n]
    assert sorted(ours) == ["clashmap-map.css", "clashmap-map.js"], ours
    assert mapf.evaluate("() => typeof L.markerClusterGroup === 'function' && typeof L.heatLayer === 'function'")
    # Leaflet's own styles came with it: the map pane is positioned by leaflet.css
    assert mapf.evaluate("() => getComputedStyle(document.querySelector('.leaflet-pane')).position") == "absolute"


def _open_map_tab(context, base: str):
    """A new tab of `context` on the dashboard, once its map has drawn a marker or cluster: (page, map frame)."""
    page = context.new_page()
    page.goto(base + "/")
    settle(page, timeout=90_000)
    mapf = next(f for f in page.frames if "st_folium" in f.url)
    mapf.locator(".cm-cluster, path.cm-place").first.wait_for(state="attached", timeout=30_000)
    return page, mapf


@pytest.mark.browser
def test_a_returning_browser_takes_the_maps_scripts_from_its_cache(chromium, streamlit_server):
    """A second tab of a browser that has opened the dashboard gets streamlit-folium's bundle and the map's Leaflet
    bundle from its HTTP cache (Streamlit sent the component's files with no lasting header, so each tab fetched
    the 186 KB bundle again): no bytes for them cross the network, and the map still draws."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    try:
        for tab in ("first", "second"):
            page, mapf = _open_map_tab(context, streamlit_server)
            fetched = mapf.evaluate("""() => performance.getEntriesByType('resource')
                .filter(e => /\\/static\\/js\\/main\\.[0-9a-f]+\\.js$|clashmap-map\\.js$/.test(e.name))
                .map(e => [e.name.split('/').pop(), e.transferSize, e.decodedBodySize])""")
            # the frame's own bundle is loaded by its page (not in the frame's resource list): the page's list has it
            fetched += page.evaluate("""() => performance.getEntriesByType('resource')
                .filter(e => /\\/component\\/.*\\/static\\/js\\/main\\.[0-9a-f]+\\.js$/.test(e.name))
                .map(e => [e.name.split('/').pop(), e.transferSize, e.decodedBodySize])""")
            if tab == "second":
                names = sorted({name.split(".")[0] for name, _, _ in fetched})
                assert names == ["clashmap-map", "main"], fetched
                # transferSize 0 with a body: taken from the HTTP cache, not asked of the server
                assert all(sent == 0 and body > 0 for _, sent, body in fetched), fetched
            page.close()
    finally:
        context.close()


@pytest.mark.browser
def test_the_maps_layers_come_as_a_file_a_returning_browser_keeps(chromium, streamlit_server):
    """The map's data (its layers script: markers, popups, weekly counts) is a file the map's frame fetches, named by
    its content, not a component argument in every script run's websocket message: a second tab of the same browser
    takes it from its HTTP cache (nothing crosses the network for it), and its markers are still drawn and clickable
    as tooltips say (the click handlers are bound to the layers the file made)."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    try:
        for tab in ("first", "second"):
            page, mapf = _open_map_tab(context, streamlit_server)
            layers = mapf.evaluate("""() => performance.getEntriesByType('resource')
                .filter(e => e.name.includes('/cm/layers/'))
                .map(e => [e.name.split('/').pop(), e.transferSize, e.decodedBodySize])""")
            assert len(layers) == 1, layers
            name, sent, body = layers[0]
            assert body > 1000, layers  # the places' data
            if tab == "first":
                first_name = name
            else:
                assert name == first_name  # the same view: the same file
                assert sent == 0, layers  # from the HTTP cache
            page.close()
    finally:
        context.close()
