"""The standalone HTML map export (`clashmap export --format html`, the dashboard's "Export HTML map"), opened as
an editor's recipient would: from disk, in Chromium, with every network request blocked."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dash_fixture_articles import ROOT


def _export(db_url: str, target: Path, *args: str, public_url: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLASHMAP_")}
    env.update(CLASHMAP_DB=db_url, CLASHMAP_PUBLIC_URL=public_url)
    done = subprocess.run([sys.executable, "-m", "clashmap", "export", "--format", "html", "-o", str(target), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def _open_offline(chromium, path: Path, width: int = 1280, height: int = 800):
    """The file in a fresh Chromium context in which every request but the file itself fails."""
    context = chromium.new_context(viewport={"width": width, "height": height})
    requested: list[str] = []

    def block(route):
        requested.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    return context, page, requested


def test_html_export_opens_from_disk_without_internet(dash_db, tmp_path, chromium, artifacts):
    target = tmp_path / "map.html"
    _export(dash_db, target)
    text = target.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", text), "a script would be fetched"
    assert not re.search(r"<link[^>]+stylesheet", text), "a style sheet would be fetched"
    context, page, requested = _open_offline(chromium, target)
    try:
        # markers drawn by Leaflet from the inlined files, nothing but map tiles asked of the network
        page.wait_for_function("document.querySelectorAll('path.cm-place, .cm-cluster').length > 0", timeout=15_000)
        assert page.evaluate("window.clashmapPlaces") >= 3
        assert all(u.startswith("file://") or "tile.openstreetmap.org" in u for u in requested), requested
        legend = page.locator(".cm-legend")
        assert legend.is_visible()
        assert "Battles" in legend.inner_text()
        body = page.locator("body").inner_text()
        assert "None" not in body and "{}" not in body and "nan" not in body.split()
        # the credits are on the page, not pushed below it
        for selector in (".leaflet-control-attribution", ".cm-about"):
            box = page.locator(selector).bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= 800, (selector, box)
        assert "OpenStreetMap" in page.locator(".cm-about").inner_text()
        # no public address: no relative article link (it would become file:///article...), and a note why
        assert "/article?" not in text
        assert "CLASHMAP_PUBLIC_URL" in page.locator(".cm-about").inner_text()
        page.screenshot(path=str(artifacts / "export-html-offline.png"))
    finally:
        context.close()


def test_html_export_links_to_the_public_address_and_escapes_article_text(dash_db, tmp_path, chromium):
    target = tmp_path / "map.html"
    _export(dash_db, target, "--place", "Martuni", public_url="https://maps.newsroom.example/")
    text = target.read_text(encoding="utf-8")
    assert "file:///article" not in text
    context, page, _ = _open_offline(chromium, target)
    try:
        page.wait_for_function("document.querySelectorAll('path.cm-place').length === 1", timeout=15_000)
        page.locator("path.cm-place").first.dispatch_event("click")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5_000)
        href = popup.locator("a").first.get_attribute("href")
        assert href.startswith("https://maps.newsroom.example/article?id="), href
        assert "Martuni" in popup.inner_text()
        # the country by its name, as on the dashboard's map, not its ISO code
        assert "Armenia" in popup.inner_text() and "(AM)" not in popup.inner_text(), popup.inner_text()
        # the hostile article's markup never became elements, nor ran
        assert page.locator(".leaflet-popup-content img, .leaflet-popup-content script").count() == 0
        assert page.dialogs == []
        assert page.locator(".cm-legend").inner_text().count("(") == 1  # only the types this export holds
    finally:
        context.close()


def test_html_export_on_a_phone_keeps_its_credits_clear_of_the_scale(dash_db, tmp_path, chromium):
    """At 390 px the credits box sits above the scale bar and Leaflet's attribution, not over them."""
    target = tmp_path / "map.html"
    _export(dash_db, target)
    context, page, _ = _open_offline(chromium, target, width=390, height=844)
    try:
        page.wait_for_function("document.querySelectorAll('path.cm-place, .cm-cluster').length > 0", timeout=15_000)
        about = page.locator(".cm-about").bounding_box()
        for selector in (".leaflet-control-scale", ".leaflet-control-attribution"):
            box = page.locator(selector).bounding_box()
            apart = (about["y"] + about["height"] <= box["y"] or box["y"] + box["height"] <= about["y"]
                     or about["x"] + about["width"] <= box["x"] or box["x"] + box["width"] <= about["x"])
            assert apart, (selector, about, box)
        assert about["y"] >= 0 and about["x"] >= 0 and about["x"] + about["width"] <= 390, about
    finally:
        context.close()


def test_html_export_of_nothing_says_so(dash_db, tmp_path, chromium):
    target = tmp_path / "empty.html"
    done = _export(dash_db, target, "--place", "no such place anywhere")
    assert "0 events" in done.stdout
    context, page, _ = _open_offline(chromium, target)
    try:
        page.locator(".cm-legend").wait_for(timeout=5_000)
        assert "No placed events" in page.locator(".cm-legend").inner_text()
        assert "None" not in page.locator("body").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("hostile", ["</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{{ 7*7 }}"])
def test_html_export_text_never_becomes_markup(hostile):
    import pandas as pd

    from dashboard.export_view import html_map

    events = pd.DataFrame([{
        "event_id": 1, "event_date": pd.Timestamp("2020-10-12"), "event_type": "Battles", "sub_event_type": hostile,
        "actor1": hostile, "actor2": None, "place_id": 7, "place": hostile, "country_code": "AM", "lat": 40.1,
        "lon": 44.5, "fatalities": float("nan"), "claimed_by": hostile, "contested": True, "article_ids": ["a1"]}])
    page = html_map(events, public_url="https://maps.newsroom.example")
    if "<" in hostile:
        assert hostile not in page and "<img" not in page
        assert page.count("</script>") == page.count("<script>") + page.count("<script ")  # none closed early
    else:  # a template-like text stays text (the page is not run through Jinja after the data went in)
        assert hostile in page and "'49'" not in page


@pytest.mark.browser
def test_dashboard_download_is_the_standalone_map(page, streamlit_server, tmp_path, chromium):
    page.goto(streamlit_server)
    button = page.get_by_role("button", name="Export HTML map")
    button.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    target = tmp_path / "from-dashboard.html"
    download.value.save_as(target)
    context, offline, _ = _open_offline(chromium, target)
    try:
        offline.wait_for_function("window.clashmapPlaces >= 3", timeout=15_000)
        assert offline.locator("path.cm-place, .cm-cluster").count() >= 1
        assert "Battles" in offline.locator(".cm-legend").inner_text()
        assert "None" not in offline.locator("body").inner_text()
    finally:
        context.close()
