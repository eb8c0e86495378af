"""How the map page reads in Chromium: markers by type and size, neutral clusters, basemaps without leaving
127.0.0.1, a legend clear of the scale and the markers, a legible timeline and table."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from dashboard.palette import TYPE_COLOURS
from test_dashboard_browser import MAP_FRAME, settle

pytestmark = pytest.mark.browser

LEGEND_COLOURS = {c.lower() for c in TYPE_COLOURS.values()}
MARKERCLUSTER_DEFAULTS = ".marker-cluster-small, .marker-cluster-medium, .marker-cluster-large"


@pytest.fixture(autouse=True)
def _patient(page):
    page.set_default_timeout(90_000)  # a loaded 2-core CI machine: every wait is on a condition, none fixed


def _open(page, url: str):
    page.goto(url)
    settle(page, timeout=90_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=90_000)
    return frame


def _widths(frame) -> list[float]:
    return [round(b["width"]) for b in (m.bounding_box() for m in frame.locator("path.cm-place").all()) if b]


def _overlap(a, b) -> float:
    return max(0, min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])) \
        * max(0, min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"]))


def test_markers_coloured_by_type_and_sized_by_events_or_killed(page, streamlit_server, artifacts):
    frame = _open(page, streamlit_server + "/?cluster=0")
    frame.locator("path.cm-place").first.wait_for(timeout=90_000)
    fills = {m.get_attribute("fill").lower() for m in frame.locator("path.cm-place").all()}
    assert fills and fills <= LEGEND_COLOURS, fills
    assert len(set(_widths(frame))) == 1  # one event per place: one size
    page.get_by_text("Size: killed").click()
    page.wait_for_function("() => location.search.includes('size=fatalities')", timeout=90_000)
    settle(page, timeout=90_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.cm-place").first.wait_for(timeout=90_000)
    widths = _widths(frame)
    assert len(set(widths)) >= 3, widths  # 5 killed (Idlib) > 2 (Ganja) > none (Shusha, Martuni)
    assert "reported killed" in frame.locator(".cm-legend").inner_text()
    page.screenshot(path=artifacts / "dashboard-size-killed.png", full_page=True)


def test_clusters_are_neutral_and_show_their_mix(page, streamlit_server, artifacts):
    frame = _open(page, streamlit_server + "/?z=5&lat=40&lon=46.5")
    cluster = frame.locator(".cm-cluster-icon .cm-cluster").first
    cluster.wait_for(timeout=90_000)
    assert frame.locator(MARKERCLUSTER_DEFAULTS).count() == 0
    ring = cluster.evaluate("e => getComputedStyle(e).backgroundImage")
    assert "conic-gradient" in ring
    ring_colours = {"#%02x%02x%02x" % tuple(map(int, rgb)) for rgb in re.findall(r"rgb\((\d+), (\d+), (\d+)\)", ring)}
    assert ring_colours and ring_colours <= LEGEND_COLOURS, ring_colours
    centre = cluster.locator("span").evaluate("e => getComputedStyle(e).backgroundColor")
    assert centre == "rgb(255, 255, 255)"  # neutral: the number on white, the types only in the ring
    page.screenshot(path=artifacts / "dashboard-clusters.png", full_page=True)


def test_basemaps_offer_four_and_stay_on_this_machine(page, streamlit_server, artifacts):
    hosts = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).hostname or urlparse(r.url).scheme))
    frame = _open(page, streamlit_server + "/?cluster=0")
    frame.locator("img.leaflet-tile").first.wait_for(timeout=90_000)
    names = frame.locator(".leaflet-control-layers-base label").all_inner_texts()
    assert [n.strip() for n in names] == ["OpenStreetMap", "Light", "Dark", "Satellite"], names
    assert "OpenStreetMap" in frame.locator(".leaflet-control-attribution").inner_text()
    frame.locator(".leaflet-control-layers-base label", has_text="Dark").click()
    page.wait_for_function("() => location.search.includes('basemap=Dark')", timeout=90_000)
    src = frame.locator("img.leaflet-tile").last.get_attribute("src")
    assert "262a2e" in src  # the dark stand-in tile
    assert "CARTO" in frame.locator(".leaflet-control-attribution").inner_text()
    frame.locator(".leaflet-control-layers-base label", has_text="Satellite").click()
    assert "Esri" in frame.locator(".leaflet-control-attribution").inner_text()
    page.screenshot(path=artifacts / "dashboard-basemap.png", full_page=True)
    assert hosts <= {"127.0.0.1", "data", "blob", "about"}, hosts


def test_legend_covers_neither_scale_nor_markers(page, streamlit_server):
    frame = _open(page, streamlit_server + "/?cluster=0")
    frame.locator("path.cm-place").first.wait_for(timeout=90_000)
    legend = frame.locator(".cm-legend").bounding_box()
    scale = frame.locator(".leaflet-control-scale").bounding_box()
    assert legend and scale and _overlap(legend, scale) == 0
    for marker in frame.locator("path.cm-place").all():
        assert _overlap(legend, marker.bounding_box()) == 0


def _chart_texts(page) -> list[str]:
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    chart.locator("svg text").first.wait_for(timeout=90_000)
    return [t.strip() for t in chart.locator("svg text").all_text_contents() if t.strip()]


def test_timeline_labels_whole_days_and_counts(page, streamlit_server, artifacts):
    _open(page, streamlit_server + "/?start=2020-10-01&end=2020-10-14")  # a short span: two events
    texts = _chart_texts(page)
    assert "Explosions/Remote violence" in texts, texts  # the legend's label whole, not cut
    assert not any(t.endswith("…") for t in texts), texts
    assert not any(re.search(r"\d:\d\d|^\d\d? ?(AM|PM)$", t) for t in texts), texts  # no hour ticks
    assert not any(re.fullmatch(r"\d+\.\d+", t) for t in texts), texts  # no 0.5 counts
    page.locator('[data-testid="stVegaLiteChart"]').first.screenshot(path=artifacts / "dashboard-timeline-short.png")

    _open(page, streamlit_server + "/?min_fatalities=1000")
    texts = _chart_texts(page)
    assert not any(re.fullmatch(r"\d+\.\d+", t) for t in texts), texts  # no "0.000000" on an empty chart


def test_table_has_no_none_or_braces(dash_db, monkeypatch):
    """The grid paints a missing value as a grey "None" on its canvas (its accessible mirror shows nothing), so the
    cells are read where Streamlit gets them: the frame the page hands to st.dataframe."""
    from streamlit.testing.v1 import AppTest

    from dash_fixture_articles import ROOT

    monkeypatch.setenv("CLASHMAP_DB", dash_db)
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    at.secrets["clashmap"] = {"viewing": "open"}
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 4
    bad = [(column, value) for column in table.columns for value in table[column]
           if value is None or (not isinstance(value, (str, dict, list, bool)) and value != value)
           or (isinstance(value, (dict, list)) and not value) or str(value) in ("None", "nan", "NaT", "{}")]
    assert not bad, bad
