"""The article view as an editor reads it, in Chromium against a real `streamlit run` server: region names in the
correction candidates, a clear line for an unknown article id, no "None" or "{}" in the events table, and a
correction applied in a worker process while other sessions' maps keep answering."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from dash_server import run_streamlit
from test_dashboard_browser import choose, open_list, open_map, settle

pytestmark = pytest.mark.browser

EXTRA_ARTICLES = 150  # articles naming Martuni: re-reading them keeps the correction busy for several seconds


def _table_text(page) -> str:
    """The text of the events table (the grid draws on a canvas; its accessible table holds the cells)."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=20_000)
    cell = grid.locator("table td").first  # the canvas grid's accessible table, filled once it has drawn
    cell.wait_for(state="attached", timeout=20_000)
    return grid.locator("table").first.inner_text()


def test_an_unknown_article_id_says_so(page, streamlit_server):
    page.goto(f"{streamlit_server}/article?id=no-such-article")
    settle(page)
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("No article with id 'no-such-article'").wait_for(timeout=20_000)
    assert "Choose an article" in main.inner_text()


def test_the_events_table_has_no_none_or_braces(page, streamlit_server, article_ids):
    page.goto(f"{streamlit_server}/article?id={article_ids['ganja.txt']}")
    settle(page)
    text = _table_text(page)
    assert "Ganja" in text, text
    assert not re.search(r"\bNone\b|\{\}|\bnan\b", text), text


@pytest.fixture()
def busy_store(dash_db, tmp_path):
    """A copy of the dashboard store plus EXTRA_ARTICLES short reports that name Martuni."""
    from store.db import open_store
    from clashmap.loading import ingest_paths

    source = sqlite3.connect(dash_db.removeprefix("sqlite:///"))
    with sqlite3.connect(tmp_path / "busy.sqlite") as copy:
        source.backup(copy)
    source.close()
    url = f"sqlite:///{tmp_path / 'busy.sqlite'}"
    folder = tmp_path / "extra"
    folder.mkdir()
    paths = []
    for i in range(EXTRA_ARTICLES):
        path = folder / f"martuni-{i}.txt"
        path.write_text(f"source: Busy Wire\ntitle: Report {i} from Martuni\ndate 2020-10-{1 + i % 28:02d} "
                        f"YEREVAN, ARMENIA – Shelling hit Martuni on Monday, damaging house number {i}, the "
                        "ministry said.\n", encoding="utf-8")
        paths.append(path)
    report = ingest_paths(paths, open_store(url))
    assert not report.rejected, report.rejected[:3]
    return url


def _children_cmdlines(pid: int) -> list[str]:
    out = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in children.read_text().split():
            try:
                out.append(Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode())
            except OSError:
                continue
    return out


def test_correction_candidates_name_regions_and_run_beside_other_maps(busy_store, tmp_path, chromium, article_ids,
                                                                        artifacts):
    from geo.gazetteer import Gazetteer

    other = next(p for p in Gazetteer().lookup("Martuni") if p.country_code == "AZ")
    with run_streamlit(tmp_path, {"CLASHMAP_DB": busy_store, "CLASHMAP_AUTH": "open"}) as (base, server):
        context = chromium.new_context(viewport={"width": 1500, "height": 1300})
        try:
            editor = context.new_page()
            editor.goto(f"{base}/article?id={article_ids['hostile.txt']}")
            settle(editor)
            expander = editor.locator('[data-testid="stExpander"]').filter(has_text="Martuni →").first
            expander.get_by_text("Martuni →").first.click()
            save = expander.get_by_role("button", name="Save correction")
            save.wait_for(timeout=20_000)
            box = expander.locator('[data-testid="stSelectbox"]').filter(has_text="Place").first
            options = editor.get_by_role("option")
            open_list(box, options.first)
            labels = options.all_inner_texts()
            editor.screenshot(path=artifacts / "dashboard-correction-candidates.png", full_page=True)
            # region names, not GeoNames' admin1 codes ("Martuni, 04 (AM)")
            assert any("Martuni, Geghark'unik'i Marz, Armenia (AM)" in label for label in labels), labels
            assert not any(re.search(r", \d{1,3} \(", label) for label in labels), labels
            assert not any("None" in label for label in labels), labels

            wanted = f"{other.lat:.3f}, {other.lon:.3f}"
            choose(box, options.filter(has_text=wanted).first, wanted)
            settle(editor)
            save.click()
            editor.get_by_text("in a worker process").wait_for(timeout=30_000)
            # the re-reading runs in a child process of the server, not in the server's own threads
            assert any("dashboard.correction_worker" in c for c in _children_cmdlines(server.pid)), \
                _children_cmdlines(server.pid)

            viewer = chromium.new_context(viewport={"width": 1500, "height": 1300}).new_page()
            try:
                frame = open_map(viewer, base + "/?cluster=0")  # another session's map draws meanwhile
                assert frame.locator("path.cm-place").count() >= 1
            finally:
                viewer.context.close()
            assert any("dashboard.correction_worker" in c for c in _children_cmdlines(server.pid)), \
                "the correction had finished before the other map drew: nothing was shown to run beside it"

            editor.get_by_text("Saved:").wait_for(timeout=180_000)
            assert f"{EXTRA_ARTICLES + 1} mention(s)" in editor.locator('[data-testid="stMain"]').inner_text()
        finally:
            context.close()
