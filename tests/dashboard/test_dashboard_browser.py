"""The dashboard in a real browser: Chromium (Playwright) against a real `streamlit run` server."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def open_list(selectbox, option, tries: int = 6) -> None:
    """Click a select box until its list shows `option`: a click while the page still reruns is lost, and a
    second click can close a list that was about to open, so each try waits for what the editor would see."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        try:
            if not option.is_visible():
                selectbox.click()
            option.wait_for(timeout=5_000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise


def choose(selectbox, option, wanted: str, tries: int = 6) -> None:
    """Pick `option` in a select box until the box's field shows `wanted`."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout, expect

    for attempt in range(tries):
        try:
            open_list(selectbox, option, tries=1)
            option.click(timeout=5_000)
            expect(selectbox.get_by_role("combobox")).to_have_value(re.compile(re.escape(wanted)), timeout=5_000)
            return
        except (PlaywrightTimeout, AssertionError):
            if attempt == tries - 1:
                raise


# Streamlit marks its app element with the state of the script run (`data-test-script-state`: initial, running,
# rerunRequested, notRunning) as its messages arrive; its "Running..." status widget shows only after 0.5 s of a
# run, so waiting for that widget to go returned during runs. The page is settled when a run has finished, the
# connection is up and no run has started for CALM_MS since (a rerun the last one caused, such as the map
# reporting its view, starts within that). Each call watches the state from where it starts, so the calm is
# counted from then at the earliest. A new tab's map-first paint (the feed's stand-in `.st-key-cm_first_paint`,
# see dashboard/map_page.py) is not settled: the rest of the page comes with the run the map's first report causes.
CALM_MS = 600
_SETTLED = """([calm]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) { return false; }
  let watch = window.__cmRunWatch;
  if (!watch || watch.app !== app) {
    watch = window.__cmRunWatch = {app: app, since: performance.now()};
    new MutationObserver(() => { watch.since = performance.now(); }).observe(app, {attributes: true,
      attributeFilter: ['data-test-script-state', 'data-test-connection-state']});
  }
  if (!watch.called) { watch.called = true; watch.since = performance.now(); }
  return app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning' && performance.now() - watch.since >= calm
    && !document.querySelector('.st-key-cm_first_paint');
}"""


def settle(page, timeout: float = 30_000) -> None:
    """Wait until the script run is over and no run followed it for CALM_MS (see _SETTLED)."""
    page.evaluate("() => { if (window.__cmRunWatch) { window.__cmRunWatch.called = false; } }")
    page.wait_for_function(_SETTLED, arg=[CALM_MS], timeout=timeout)


def open_map(page, url: str):
    page.goto(url)
    settle(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.cm-place").first.wait_for(timeout=30_000)
    return frame


def open_map_patiently(page, url: str):
    """As `open_map`, with room for a loaded machine (the first run on a new server can take long); waits for a
    marker to exist, not to be visible (some may lie outside the view)."""
    page.goto(url)
    settle(page, timeout=90_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.cm-place").first.wait_for(state="attached", timeout=90_000)
    return frame


def map_frame(page):
    """The map's iframe as a Frame (to run the map's own script: `window.map`)."""
    return next(f for f in page.frames if "st_folium" in f.url)


def summary(page) -> str:
    return page.get_by_text(re.compile(r"events from \d+ articles? match")).inner_text()


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_markers_are_drawn_per_place(page, streamlit_server, artifacts):
    frame = open_map(page, streamlit_server + "/?cluster=0")
    markers = frame.locator("path.cm-place")
    assert markers.count() == 4  # Shusha, Ganja, Idlib, Martuni: one marker per place
    assert frame.locator("path.cm-dateline").count() == 0  # dateline cities hidden by default
    assert frame.locator(".leaflet-control-attribution").inner_text().count("OpenStreetMap")
    assert "GeoNames" in page.locator("body").inner_text()  # footer credit
    page.screenshot(path=artifacts / "dashboard-map.png", full_page=True)


def test_dateline_layer_can_be_shown(page, streamlit_server, artifacts):
    frame = open_map(page, streamlit_server + "/?cluster=0")
    frame.get_by_text("Dateline cities").click()
    frame.locator("path.cm-dateline").first.wait_for(timeout=10_000)
    assert frame.locator("path.cm-dateline").count() == 3  # Baku, Yerevan, Beirut
    page.screenshot(path=artifacts / "dashboard-datelines.png", full_page=True)


def test_marker_click_narrows_table_and_url_reproduces_it(page, chromium, streamlit_server, artifacts):
    frame = open_map(page, streamlit_server + "/?cluster=0")
    before = summary(page)
    assert "in the current selection" not in before
    frame.locator("path.cm-place").first.dispatch_event("click")
    page.wait_for_function("() => location.search.includes('sel_place=')", timeout=20_000)
    settle(page)
    after = summary(page)
    assert "1 in the current selection" in after, after
    assert page.get_by_role("button", name=re.compile("place:")).count() == 1
    page.screenshot(path=artifacts / "dashboard-marker-click.png", full_page=True)

    copied = page.url
    fresh = chromium.new_context(viewport={"width": 1500, "height": 1300}).new_page()
    try:
        open_map(fresh, copied)
        assert summary(fresh) == after
        assert query(fresh)["sel_place"] == query(page)["sel_place"]
        fresh.screenshot(path=artifacts / "dashboard-copied-url.png", full_page=True)
    finally:
        fresh.context.close()


def test_timeline_span_narrows_table(page, streamlit_server, artifacts):
    open_map(page, streamlit_server + "/?cluster=0")
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    # The plot area (vega's root frame background), not the legend under it.
    box = chart.locator("g.role-frame.root path.background").first.bounding_box()
    # Drag over the right-hand part of the axis: the October-November 2020 events, not February's Idlib strike.
    y = box["y"] + box["height"] * 0.5
    page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.8, y, steps=8)
    page.mouse.move(box["x"] + box["width"] * 0.97, y, steps=8)
    page.mouse.up()
    page.wait_for_function("() => location.search.includes('sel_start=')", timeout=20_000)
    settle(page)
    text = summary(page)
    match = re.search(r"\*?(\d+)\*? in the current selection", text)
    assert match, text
    assert 0 < int(match.group(1)) < 4
    page.screenshot(path=artifacts / "dashboard-timeline-span.png", full_page=True)


def test_article_markup_is_shown_as_text_and_never_runs(page, streamlit_server, article_ids, artifacts):
    page.goto(f"{streamlit_server}/article?id={article_ids['hostile.txt']}")
    settle(page)
    page.get_by_text("Drone strikes hit").first.wait_for(timeout=20_000)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "<script>alert(1)</script>" in body
    assert "<img src=x onerror=alert(1)>" in body
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator(".cm-article script").count() == 0
    page.wait_for_timeout(1000)
    assert page.dialogs == []
    assert page.locator(".cm-article mark").count() >= 2  # Yerevan (dateline) and Martuni highlighted
    page.screenshot(path=artifacts / "dashboard-article-markup.png", full_page=True)


def test_playback_steps_through_weeks_in_the_browser(page, streamlit_server, artifacts):
    frame = open_map(page, streamlit_server + "/?cluster=0")
    assert frame.locator("path.cm-place").count() == 4
    week = frame.locator("input.cm-week")
    week.fill("0")  # the first week: only the Idlib strike of 2020-02-27 has happened
    assert frame.locator("path.cm-place").count() == 1
    assert frame.locator(".cm-week-label").inner_text() == "to 2020-03-04"
    page.screenshot(path=artifacts / "dashboard-playback-week0.png", full_page=True)
    week.fill(week.get_attribute("max"))
    assert frame.locator("path.cm-place").count() == 4
    assert "events from 4 articles" in summary(page)  # the page did not rerun or narrow


def test_popup_links_to_the_article_view(page, streamlit_server, artifacts):
    frame = open_map(page, streamlit_server + "/?cluster=0")
    marker = frame.locator("path.cm-place").first
    marker.dispatch_event("click")
    link = frame.locator(".leaflet-popup-content a", has_text="article").first
    link.wait_for(timeout=10_000)
    popup = frame.locator(".leaflet-popup-content").inner_text()
    assert re.search(r"\d{4}-\d{2}-\d{2}", popup) and "claimed by" in popup
    href = link.get_attribute("href")
    assert href.startswith("/article?id=")
    page.screenshot(path=artifacts / "dashboard-popup.png", full_page=True)
    page.goto(streamlit_server + href)
    page.locator(".cm-article").wait_for(timeout=30_000)
    page.screenshot(path=artifacts / "dashboard-popup-article.png", full_page=True)
    assert page.locator(".cm-article").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0


def test_table_row_selection_narrows_the_map(page, streamlit_server, artifacts):
    frame = open_map(page, streamlit_server + "/?cluster=0")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # The row-selection checkbox of the first data row (header row ~35 px, rows ~35 px).
    page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)
    page.wait_for_function("() => location.search.includes('sel_events=')", timeout=20_000)
    settle(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.cm-place").first.wait_for(timeout=20_000)
    assert frame.locator("path.cm-place").count() == 1
    assert len(query(page)["sel_events"][0].split(",")) == 1
    page.screenshot(path=artifacts / "dashboard-row-selection.png", full_page=True)


def test_heatmap_mode_from_the_url(page, streamlit_server, artifacts):
    page.goto(streamlit_server + "/?mode=heatmap")
    settle(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("canvas.leaflet-heatmap-layer").wait_for(timeout=30_000)
    assert frame.locator("path.cm-place").count() == 0
    page.screenshot(path=artifacts / "dashboard-heatmap.png", full_page=True)


def test_map_keeps_its_position_across_filter_changes(page, streamlit_server):
    open_map(page, streamlit_server + "/?cluster=0")
    iframe = page.frames[-1] if page.frames[-1].url.find("st_folium") >= 0 else next(
        f for f in page.frames if "st_folium" in f.url)
    # Wait until the first view the map reported came back from Python (the editor's "current view").
    iframe.wait_for_function("() => window.__GLOBAL_DATA__ && window.__GLOBAL_DATA__.last_zoom !== null",
                             timeout=20_000)
    settle(page)
    start_zoom = iframe.evaluate("() => window.map.getZoom()")
    iframe.evaluate("() => window.map.setView([39.76, 46.75], 9, {animate: false})")  # an editor zooms in on Shusha
    iframe.wait_for_function("() => window.__GLOBAL_DATA__.previous_data.zoom === 9", timeout=10_000)
    # the map fragment reran with the reported view: it wrote the view into the link
    page.wait_for_function("() => new URLSearchParams(location.search).get('z') === '9'", timeout=60_000)
    settle(page)
    iframe.evaluate("() => { window.map.__cmBeforeFilter = true; }")
    page.locator('[data-testid="stSidebar"]').get_by_text("Uncontested only").click()
    page.wait_for_function("() => location.search.includes('contested=no')", timeout=20_000)
    settle(page)
    page.frame_locator(MAP_FRAME).locator("path.cm-place").first.wait_for(state="attached", timeout=20_000)
    iframe = next(f for f in page.frames if "st_folium" in f.url)
    assert start_zoom != 9
    # the new data is drawn in the map on screen (not in a new map at its own default view, whose first report
    # sent the view back in CI); the map stays where the editor left it, and so does the link
    iframe.wait_for_function("() => window.map && window.map.getZoom() === 9", timeout=10_000)
    assert iframe.evaluate("() => window.map.__cmBeforeFilter === true")
    page.wait_for_function("() => { const q = new URLSearchParams(location.search); "
                           "return q.get('contested') === 'no' && q.get('z') === '9'; }", timeout=20_000)
    centre = iframe.evaluate("() => window.map.getCenter()")
    assert abs(centre["lat"] - 39.76) < 0.05 and abs(centre["lng"] - 46.75) < 0.05


def test_shared_ingest_link_asks_a_viewer_to_log_in(page, streamlit_server, artifacts):
    page.goto(f"{streamlit_server}/ingest")
    settle(page)
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("need an editor login").wait_for(timeout=20_000)
    assert "Ingest articles" not in main.inner_text()
    assert page.locator("textarea").count() == 0
    assert page.locator('[data-testid="stSidebar"]').get_by_text("Viewing as a guest").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=artifacts / "dashboard-ingest-viewer.png", full_page=True)


def test_mode_and_size_changes_redraw_the_layers_in_the_same_map(page, streamlit_server, artifacts):
    """Issue 13 (speed): a change of mode, size or filters replaces the map's layers in the map already on screen
    (its frame, its Leaflet map, its tiles stay) instead of mounting a new map, which costs seconds at 100k events."""
    open_map_patiently(page, streamlit_server + "/?cluster=0")
    frame = map_frame(page)
    frame.wait_for_function("() => window.map && window.map.getContainer()", timeout=30_000)
    frame.evaluate("() => { window.map.__probe = 'first map'; }")  # gone if the map is mounted anew

    def same_map() -> bool:
        now = next((f for f in page.frames if "st_folium" in f.url), None)
        return now is not None and now.evaluate("() => !!(window.map && window.map.__probe === 'first map')")

    radios = page.locator('[data-testid="stRadio"]')
    radios.get_by_text("Heatmap", exact=True).click()
    page.wait_for_function("() => location.search.includes('mode=heatmap')", timeout=30_000)
    maps = page.frame_locator(MAP_FRAME)
    maps.locator("canvas.leaflet-heatmap-layer").wait_for(timeout=30_000)
    assert maps.locator("path.cm-place").count() == 0 and maps.locator(".cm-legend").count() == 0
    assert same_map()
    radios.get_by_text("Markers", exact=True).click()
    maps.locator("path.cm-place").first.wait_for(state="attached", timeout=30_000)
    assert maps.locator("canvas.leaflet-heatmap-layer").count() == 0
    # one legend, one playback control, one entry per overlay: the old layers' controls went with them
    assert maps.locator(".cm-legend").count() == 1 and maps.locator(".cm-playback").count() == 1
    overlays = maps.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [o.strip() for o in overlays] == ["Event places", "Dateline cities"]
    assert same_map()
    radios.get_by_text("Size: killed", exact=True).click()
    page.wait_for_function("() => location.search.includes('size=fatalities')", timeout=30_000)
    maps.locator(".cm-legend", has_text="reported killed").wait_for(timeout=30_000)
    assert maps.locator("path.cm-place").count() == 4 and same_map()
    page.screenshot(path=artifacts / "dashboard-size-killed.png", full_page=True)
