"""The map page's filters and freshness in Chromium: fatalities, country names, several places and actors, reset,
the empty state, and events ingested by another process showing up without a reload.

One server for the module, on a private copy of the test store (the last test ingests into it).
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys

import pytest

from dash_fixture_articles import ROOT
from dash_server import run_streamlit
from test_dashboard_browser import MAP_FRAME, query, settle, summary

pytestmark = pytest.mark.browser

NEW_ARTICLE = """source: Test Wire
title: Shelling of Tartus port
date 2020-11-20 DAMASCUS, SYRIA – Artillery shelled Tartus on Friday, killing three people, the Syrian Observatory \
for Human Rights said.
"""


@pytest.fixture(scope="module")
def store_copy(dash_db, tmp_path_factory) -> str:
    source = sqlite3.connect(dash_db.removeprefix("sqlite:///"))
    target = tmp_path_factory.mktemp("filters_store") / "clashmap.sqlite"
    with sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def server(store_copy, tmp_path_factory):
    with run_streamlit(tmp_path_factory.mktemp("streamlit_filters"), {"CLASHMAP_DB": store_copy}) as (base, _proc):
        yield base


@pytest.fixture(autouse=True)
def _patient(page):
    page.set_default_timeout(90_000)  # a loaded 2-core CI machine: every wait is on a condition, none fixed


def _open(page, url: str):
    page.goto(url)
    settle(page, timeout=90_000)
    page.get_by_text(re.compile(r"events from \d+ articles? match")).wait_for(timeout=90_000)


def _count(page) -> int:
    return int(re.search(r"(\d+)\*? events from", summary(page)).group(1))


def _multiselect(page, label: str):
    return page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text=label)


def _options(page, label: str) -> list[str]:
    """The options a sidebar multiselect offers, as the editor sees them in its open list."""
    _multiselect(page, label).click()
    page.get_by_role("option").first.wait_for(timeout=90_000)
    names = [n.strip() for n in page.get_by_role("option").all_inner_texts() if n.strip() and n.strip() != "Select all"]
    page.keyboard.press("Escape")
    return names


def _pick(page, label: str, option: str) -> None:
    """Choose `option` in the sidebar's multiselect `label` as an editor does: click, type, Enter."""
    box = _multiselect(page, label)
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    box.get_by_text(option, exact=True).wait_for(timeout=90_000)
    settle(page, timeout=90_000)


def test_fatalities_total_and_minimum(page, server, artifacts):
    _open(page, server + "/?cluster=0")
    assert re.search(r"7\*? reported killed", summary(page)), summary(page)  # Ganja 2 + Idlib 5
    field = page.locator('[data-testid="stSidebar"] [data-testid="stNumberInput"]').filter(has_text="killed")
    field.locator("input").fill("3")
    field.locator("input").press("Enter")
    page.wait_for_function("() => location.search.includes('min_fatalities=3')", timeout=90_000)
    settle(page, timeout=90_000)
    assert _count(page) == 1 and re.search(r"5\*? reported killed", summary(page)), summary(page)
    page.screenshot(path=artifacts / "dashboard-filter-fatalities.png", full_page=True)


def test_countries_by_name_and_several_places_and_actors(page, server, artifacts):
    _open(page, server + "/?cluster=0")
    names = _options(page, "Countries")
    assert "Syria" in names and "Azerbaijan" in names, names
    assert not any(re.fullmatch(r"[A-Z]{2}", n) for n in names), names
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    grid.locator("td").first.wait_for(state="attached")
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stDataFrame] td')]"
                           ".some(td => td.textContent.trim())")
    cells = grid.locator("td").all_text_contents()  # the grid draws on a canvas; this is its accessible mirror
    assert "Azerbaijan" in cells and "Syria" in cells and "AZ" not in cells, cells

    _pick(page, "Places", "Ganja")
    _pick(page, "Places", "Idlib")
    page.wait_for_function("() => new URLSearchParams(location.search).get('place') === 'Ganja|Idlib'")
    assert _count(page) == 2
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.cm-place").first.wait_for(state="attached", timeout=90_000)
    assert frame.locator("path.cm-place").count() == 2
    page.screenshot(path=artifacts / "dashboard-filter-places.png", full_page=True)

    # Actors: several at once too (any of them, on either side), from a link
    _open(page, server + "/?actor=Military Forces of Russia|Civilians (Azerbaijan)")
    assert _count(page) == 2  # Idlib's air strike and Ganja's shelling
    box = _multiselect(page, "Actors")
    for name in ("Military Forces of Russia", "Civilians (Azerbaijan)"):
        box.get_by_text(name, exact=True).wait_for()


def test_reset_restores_the_default_view_and_a_linked_span(page, server, artifacts):
    _open(page, server + "/?cluster=0")
    everything = _count(page)
    page.wait_for_function("() => location.search.includes('z=')", timeout=90_000)
    default_zoom = query(page)["z"]
    _open(page, server + "/?type=Battles&min_fatalities=1&sel_start=2020-10-01&sel_end=2020-10-31&z=9&lat=40&lon=47")
    assert _count(page) < everything
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(4):  # a click while the page still reruns is lost: click until the link changes
        page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Reset").click()
        try:
            page.wait_for_function("() => !location.search.includes('sel_start') && !location.search.includes('type=')",
                                   timeout=25_000)
            break
        except PlaywrightTimeout:
            if attempt == 3:
                raise
    settle(page, timeout=90_000)
    assert _count(page) == everything
    assert "in the current selection" not in summary(page)
    left = query(page)
    assert not {"type", "min_fatalities", "sel_start", "sel_end"} & set(left), left
    assert left.get("z", default_zoom) == default_zoom and left.get("lat") != ["40.0000"], left  # not the link's view
    page.screenshot(path=artifacts / "dashboard-filter-reset.png", full_page=True)


def test_empty_state_says_so(page, server, artifacts):
    _open(page, server + "/?min_fatalities=1000")
    assert _count(page) == 0
    page.get_by_text("No event matches these filters").wait_for(timeout=90_000)
    page.screenshot(path=artifacts / "dashboard-filter-empty.png", full_page=True)


def test_last_updated_and_new_events_without_reload(page, server, store_copy, tmp_path, artifacts):
    _open(page, server + "/?cluster=0")
    page.get_by_text(re.compile(r"Updated .* ago")).first.wait_for(timeout=90_000)
    before = _count(page)
    page.evaluate("() => { window.__noReload = true; }")
    article = tmp_path / "tartus.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    env = {**os.environ, "CLASHMAP_DB": store_copy}
    done = subprocess.run([sys.executable, "-m", "clashmap.cli", "ingest", "--quiet", str(article)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    notice = page.get_by_text(re.compile(r"\d+ new events? since the map was drawn"))
    notice.wait_for(timeout=90_000)
    page.screenshot(path=artifacts / "dashboard-new-events.png", full_page=True)
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_function(f"() => /\\b{before + 1}\\*? ?events from|{before + 1} events from/.test("
                           "document.body.innerText)", timeout=90_000)
    settle(page, timeout=90_000)
    assert _count(page) == before + 1
    assert page.evaluate("() => window.__noReload === true")  # the same page, never reloaded
    assert notice.count() == 0
