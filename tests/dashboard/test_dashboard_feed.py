"""The event feed beside the map, linked both ways: a feed item moves the map there and selects its place;
a marker click narrows the feed to that place's events. Its texts come from articles and are escaped."""

from __future__ import annotations

import re

import pytest

from test_dashboard_browser import query, settle, map_frame as _map_frame, open_map_patiently as open_map




def _items(page):
    return page.locator(".cm-feed-item")


@pytest.mark.browser
def test_feed_lists_events_newest_first_with_links(page, streamlit_server):
    open_map(page, streamlit_server + "/?cluster=0")
    items = _items(page)
    items.first.wait_for(timeout=60_000)
    days = [items.nth(i).get_attribute("data-date") for i in range(items.count())]
    assert len(days) >= 4 and days == sorted(days, reverse=True)
    first = items.first
    assert re.fullmatch(r"#[0-9a-f]{6}", first.locator(".cm-feed-icon").get_attribute("data-colour"))
    assert first.locator(".cm-feed-place").inner_text().strip()
    assert "article?id=" in first.locator("a.cm-feed-article").get_attribute("href")


@pytest.mark.browser
def test_feed_names_countries_not_codes(page, streamlit_server):
    """"Ganja, Azerbaijan", as the map's tooltips say, not "Ganja, AZ"."""
    open_map(page, streamlit_server + "/?cluster=0")
    items = _items(page)
    items.first.wait_for(timeout=60_000)
    places = [items.nth(i).locator(".cm-feed-place").inner_text().strip() for i in range(items.count())]
    assert not [p for p in places if re.search(r"\b[A-Z]{2}$", p)], places
    assert "Ganja, Azerbaijan" in places and "Idlib, Syria" in places, places


@pytest.mark.browser
def test_feed_item_moves_the_map_and_selects_its_place(page, streamlit_server):
    open_map(page, streamlit_server + "/?cluster=0")
    mapf = _map_frame(page)
    mapf.wait_for_function("() => window.__GLOBAL_DATA__ && window.__GLOBAL_DATA__.last_zoom !== null",
                           timeout=60_000)
    settle(page)
    item = _items(page).last  # the oldest event, somewhere the start view is not centred on
    lat, lon = float(item.get_attribute("data-lat")), float(item.get_attribute("data-lon"))
    place = item.locator(".cm-feed-place").inner_text().strip()
    event_id = item.get_attribute("data-event")
    page.locator(f".st-key-feed_go_{event_id} button").click()
    page.wait_for_function("() => location.search.includes('sel_place=')", timeout=60_000)
    settle(page)
    mapf = _map_frame(page)
    mapf.wait_for_function(f"() => window.map && Math.abs(window.map.getCenter().lat - {lat}) < 0.05"
                           f" && Math.abs(window.map.getCenter().lng - {lon}) < 0.05", timeout=60_000)
    assert mapf.evaluate("() => window.map.getZoom()") >= 8
    assert page.get_by_role("button", name=re.compile("place:")).inner_text().find(place.split(",")[0]) >= 0
    selected = page.locator(".cm-feed-item.cm-feed-selected")
    assert selected.count() == 1 and selected.get_attribute("data-event") == event_id


@pytest.mark.browser
def test_marker_click_narrows_the_feed_to_its_place(page, streamlit_server):
    frame = open_map(page, streamlit_server + "/?cluster=0")
    # the feed comes with the run the map's first report causes, after the markers (dashboard/map_page.py)
    _items(page).first.wait_for(timeout=60_000)
    settle(page)
    before = _items(page).count()
    frame.locator("path.cm-place").first.dispatch_event("click")
    page.wait_for_function("() => location.search.includes('sel_place=')", timeout=60_000)
    settle(page)
    items = _items(page)
    places = {items.nth(i).locator(".cm-feed-place").inner_text() for i in range(items.count())}
    assert 0 < items.count() < before and len(places) == 1
    label = page.get_by_role("button", name=re.compile("place:")).inner_text()
    assert next(iter(places)).split(",")[0] in label
    assert "sel_place" in query(page)


def test_feed_escapes_article_text_and_keeps_only_web_links():
    """Places, actors, claimants and URLs come from articles: shown as text, never as markup or a script link."""
    import pandas as pd

    from dashboard.feed import feed_items, item_html

    events = pd.DataFrame([{
        "event_id": 7, "event_date": pd.Timestamp("2024-05-02"), "event_type": "Battles",
        "sub_event_type": "Armed clash", "actor1": "<img src=x onerror=alert(1)>", "actor2": None,
        "place_id": 3, "place": 'Town"><script>alert(2)</script>', "country_code": "XX", "lat": 10.0, "lon": 20.0,
        "fatalities": 2.0, "claimed_by": "<b>ministry</b>", "article_ids": ["a1", "a2"]}])
    shown = item_html(feed_items(events, {"a1": "javascript:alert(3)", "a2": "https://news.example/x?a=1&b=2"})[0])
    assert "<script" not in shown and "<img" not in shown and "<b>" not in shown
    assert "&lt;script&gt;" in shown and "&lt;img src=x" in shown
    assert "javascript:" not in shown
    assert 'href="https://news.example/x?a=1&amp;b=2"' in shown  # the first article with a web address
    assert "Armed clash: " in shown and "2 killed" in shown and 'href="article?id=a1"' in shown
