"""The dashboard under hostile input and many editors, in a real browser against real `streamlit run` servers.

- one editor's large upload is read in a worker process: another visitor's map draws meanwhile;
- a batch with a bad record shows the report naming it, and the good records are stored;
- markdown in a title or an outlet is shown as text: the browser fetches nothing it names;
- an unreachable store or a bad setting is one line on the page, never a traceback with the host;
- an unexpected exception shows viewers no details (`client.showErrorDetails`).
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import re
import sqlite3
import threading

import pytest
from live_server import free_port, run_streamlit
from test_dashboard_browser import open_map, settle

pytestmark = pytest.mark.browser

BIG_ROWS = 3000


def _copy_store(dash_db: str, target) -> str:
    source = sqlite3.connect(dash_db.removeprefix("sqlite:///"))
    with sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    return f"sqlite:///{target}"


@pytest.fixture()
def editor_server(dash_db, tmp_path):
    """A single-user (everyone edits) server on its own copy of the store; stopping it stops its ingest worker."""
    url = _copy_store(dash_db, tmp_path / "clashmap.sqlite")
    with run_streamlit(tmp_path, {"CLASHMAP_DB": url, "CLASHMAP_AUTH": "open"}) as (base, _proc):
        yield base, url


def _big_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "source", "published", "text"])
    towns = ["Tartar", "Ganja", "Fuzuli", "Agdam", "Barda"]
    for i in range(BIG_ROWS):
        day = 1 + i % 28
        town = towns[i % len(towns)]
        writer.writerow([f"Report {i}", "Bulk Wire", f"2021-03-{day:02d}",
                         f"date 2021-03-{day:02d} BAKU, AZERBAIJAN – Shelling hit {town} on Monday, wounding "
                         f"{i % 9 + 1} people, the ministry said in statement number {i}."])
    return out.getvalue().encode()


def _upload(page, base: str, name: str, payload: bytes) -> None:
    page.goto(f"{base}/ingest")
    settle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": name, "mimeType": "text/plain", "buffer": payload})
    page.get_by_text(name).first.wait_for(timeout=20_000)  # the upload reached the server
    page.get_by_role("button", name="Ingest").click()


def _records_done(page) -> tuple[int, int] | None:
    text = page.locator('[data-testid="stMain"]').inner_text()
    found = re.search(r"([\d,]+)/([\d,]+) records", text)
    return (int(found.group(1).replace(",", "")), int(found.group(2).replace(",", ""))) if found else None


def test_a_large_upload_does_not_stall_another_visitors_map(editor_server, chromium, page, artifacts):
    base, _url = editor_server
    _upload(page, base, "big.csv", _big_csv())
    # per-record progress: the bar counts records of the one file, not 0/1 files
    page.wait_for_function(
        "() => { const m = document.body.innerText.match(/([\\d,]+)\\/([\\d,]+) records/);"
        " return m && +m[1].replace(/,/g, '') > 0; }", timeout=120_000)
    first = _records_done(page)
    assert first and first[1] == BIG_ROWS and 0 < first[0] < BIG_ROWS, first

    other = chromium.new_context(viewport={"width": 1500, "height": 1300}).new_page()
    try:
        frame = open_map(other, base + "/?cluster=0")  # waits until the map has drawn its markers
        assert frame.locator("path.cm-place").count() >= 4
        other.screenshot(path=artifacts / "dashboard-map-during-ingest.png", full_page=True)
    finally:
        other.context.close()

    later = _records_done(page)  # the ingest was still running while the other map loaded
    assert later is not None and later[1] == BIG_ROWS and first[0] <= later[0] < BIG_ROWS, later
    page.wait_for_function(
        f"() => {{ const m = document.body.innerText.match(/([\\d,]+)\\/([\\d,]+) records/);"
        f" return m && +m[1].replace(/,/g, '') > {later[0]}; }}", timeout=60_000)  # and it moves on, record by record
    page.screenshot(path=artifacts / "dashboard-ingest-progress.png", full_page=True)


def test_a_batch_with_a_bad_record_reports_it_and_stores_the_rest(editor_server, page, artifacts):
    from sqlalchemy import select

    from store.db import open_store
    from store.schema import Article

    base, url = editor_server
    records = [
        {"title": "Good record one", "source": "Batch Wire", "published": "2021-04-05",
         "text": "date 2021-04-05 BAKU, AZERBAIJAN – Shelling hit Tartar on Monday, the ministry said."},
        {"title": "Out of range", "source": "Batch Wire", "published": "9999-12-31",
         "text": "Fighting near Ganja on Sunday, yesterday's report said."},
        {"title": "Good record three", "source": "Batch Wire", "published": "2021-04-06",
         "text": "date 2021-04-06 BAKU, AZERBAIJAN – Drones struck Fuzuli on Tuesday, the ministry said."},
        {"title": "No text at all", "source": "Batch Wire"},  # rejected by the reader, alone
    ]
    _upload(page, base, "mixed.json", json.dumps(records).encode())
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text(re.compile(r"2 added, 0 unchanged, 2 rejected")).wait_for(timeout=120_000)
    rejected = main.get_by_text(re.compile(r"mixed\.json #2: ")).inner_text()
    assert "Out of range" in rejected or "#2" in rejected
    assert "text" in main.get_by_text(re.compile(r"mixed\.json #4: ")).inner_text()
    assert main.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=artifacts / "dashboard-ingest-bad-record.png", full_page=True)
    with open_store(url)() as session:
        titles = set(session.scalars(select(Article.title)))
    assert {"Good record one", "Good record three"} <= titles and "Out of range" not in titles


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(b"\x89PNG\r\n\x1a\n")

    def log_message(self, *args):
        pass


@pytest.fixture()
def pixel_server():
    handler = type("Counter", (_Counter,), {"hits": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], handler.hits
    server.shutdown()
    server.server_close()


def test_markdown_in_a_title_or_outlet_fetches_nothing_and_shows_as_text(dash_db, tmp_path, pixel_server, page,
                                                                          artifacts):
    from articles.reader import read_file
    from store.db import open_store
    from clashmap.loading import ingest_paths

    port, hits = pixel_server
    title = f"![t](http://127.0.0.1:{port}/pixel.png)"
    outlet = f"[Outlet](http://127.0.0.1:{port}/outlet)"
    body = f"![b](http://127.0.0.1:{port}/body.png)"
    article = tmp_path / "pixel.txt"
    article.write_text(f"source: {outlet}\ntitle: {title}\ndate 2020-10-14 BAKU, AZERBAIJAN – Shelling hit Tartar "
                       f"on Wednesday, the ministry said.\n\n{body} was written in the report.\n", encoding="utf-8")
    url = _copy_store(dash_db, tmp_path / "clashmap.sqlite")
    assert not ingest_paths([article], open_store(url)).rejected
    article_id = read_file(article)[0].id
    with run_streamlit(tmp_path, {"CLASHMAP_DB": url}) as (base, _proc):
        open_map(page, base + "/?cluster=0")
        page.locator('[data-testid="stSidebar"]').get_by_text("Source outlet").wait_for()
        page.goto(f"{base}/article?id={article_id}")
        settle(page)
        main = page.locator('[data-testid="stMain"]')
        main.get_by_text("was written in the report").first.wait_for(timeout=20_000)
        page.screenshot(path=artifacts / "dashboard-markdown-title.png", full_page=True)
        # every image the page holds has finished loading (or failing): any fetch it made has reached the counter
        page.wait_for_function("() => Array.from(document.images).every(i => i.complete)", timeout=10_000)
        assert hits == []  # the reader's browser fetched nothing from the address in the title, outlet or text
        assert page.locator(f'img[src*="127.0.0.1:{port}"]').count() == 0
        links = page.locator(f'a[href*="127.0.0.1:{port}"]')  # the outlet's URL is not a link
        assert links.count() == 0, [links.nth(i).evaluate("e => e.parentElement.outerHTML")
                                    for i in range(links.count())]
        visible = lambda locator: locator.inner_text().replace("\u2060", "")  # noqa: E731 - the invisible joiner
        assert visible(main.locator("h1").first) == title  # the literal title, as written
        assert outlet in visible(main.locator('[data-testid="stCaptionContainer"]').first)
        assert body in visible(main.locator(".cm-article"))
        assert "pixel.txt" in main.inner_text() and str(tmp_path) not in main.inner_text()  # no server folders


def test_an_unreachable_store_is_one_line_without_host_or_traceback(tmp_path, page, artifacts):
    port = free_port()  # nothing listens there
    url = f"postgresql+psycopg://clashmap:secret@127.0.0.1:{port}/clashmap"
    with run_streamlit(tmp_path, {"CLASHMAP_DB": url}) as (base, _proc):
        for path in ("/", "/article?id=x"):
            page.goto(base + path)
            settle(page)
            alert = page.locator('[data-testid="stAlert"]')
            alert.first.wait_for(timeout=30_000)
            text = page.locator('[data-testid="stMain"]').inner_text()
            assert "CLASHMAP_DB" in alert.first.inner_text() and "cannot be reached" in alert.first.inner_text()
            assert page.locator('[data-testid="stException"]').count() == 0
            for leak in ("127.0.0.1", str(port), "secret", "Traceback", "psycopg", ".py"):
                assert leak not in text, leak
        page.screenshot(path=artifacts / "dashboard-store-unreachable.png", full_page=True)


def test_an_unexpected_error_shows_viewers_no_details(tmp_path, page):
    """Streamlit's own error box on a shared server: no message, no type, no traceback, no path."""
    script = tmp_path / "boom.py"
    script.write_text("raise RuntimeError('/srv/secret/path.sqlite on db.internal:5432')\n")
    with run_streamlit(tmp_path, {}, script=script) as (base, _proc):
        page.goto(base)
        settle(page)
        error = page.locator('[data-testid="stException"], [data-testid="stAlert"]').first
        error.wait_for(timeout=30_000)
        text = page.locator('[data-testid="stMain"]').inner_text()
        for leak in ("/srv/secret", "db.internal", "RuntimeError", "Traceback", "boom.py"):
            assert leak not in text, leak

