"""Speed an editor feels: time to the first marker drawn, in Chromium, against a real `clashmap serve`.

    python -m bench browser

For the sample store (a copy of `data/clashmap.sqlite`) and a synthetic store of 100,000 events over 2,000 places
(`store.synth`), a `clashmap serve` server is started on a free 127.0.0.1 port with CLASHMAP_OFFLINE_ASSETS=1
(Leaflet from the app, no CDN), and a fresh Chromium tab (a new session) opens the map page; the clock runs from
the navigation to the first marker or cluster drawn inside the map's frame, by the page's own clock (a 10 ms poll in
the frame; the phases and the browser's CPU and bytes are taken when this process notices, seconds later on a
loaded machine: the "polling lag" printed). Measured:

- warm: the server has drawn this store before (its caches are filled): median of 3 new tabs, each in a new
  browser (an empty HTTP cache: Streamlit's ~170 page files are fetched again);
- warm, returning browser: the same in new tabs of a browser that has opened the dashboard before (its HTTP cache
  holds Streamlit's page files, as an editor's does): median of 3;
- first load after a change: one article with one event is stored (`ingest_one`, as an ingest writes it), so
  the events frame gains a row and every cache keyed by `store.db.change_token` is stale: median of 2; and after
  a revision only (`raise_revision`: a change that moves no event), median of 2; and the tab opened LATER seconds
  after an ingest (the server's store watcher has had time to read it: `dashboard.data.watch`), median of 2;
- filter change: in a tab that shows the map, an event-type filter is changed, and the clock runs until the old
  markers are gone and new ones drawn.

- Streamlit's floor (`floor`): a blank app (`st.write("x")`) served by `streamlit run`, with this project's
  .streamlit/config.toml and with Streamlit's defaults: seconds to its one element shown, new and returning
  browsers. No page of ours can show its first element sooner.

Targets from issue 13: sample warm < 1 s; 100k warm < 1.5 s, first load after a change < 4 s; filter change to a
redrawn map at 100k < 1 s. Needs Debian's Chromium (/usr/bin/chromium); without it the bench says so and stops.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# what counts as "a marker drawn": the dashboard's place circles, or a cluster icon
MARKER = "path.cm-place, .marker-cluster, .cm-cluster, .leaflet-marker-icon"
# a marker is drawn when it takes room on the screen (a clustered circle is in the DOM as an empty "M0 0" path)
DRAWN = """sel => Array.from(document.querySelectorAll(sel)).some(e => {
    const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })"""
# the page is whole: the timeline chart is drawn, which comes with the feed and the table after the map's first
# draw (dashboard/map_page.py)
WHOLE_PAGE = '[data-testid="stVegaLiteChart"]'
# In every frame of a tab: when a marker was first drawn, by the page's own clock (Date.now(), one clock for the page
# and its map frame), looked at every 10 ms: unlike the waits below (Playwright's round trips, slow on a loaded
# machine), it has no lag. The frame's document is written anew by the component, so this polls, not observes.
FIRST_DRAWN = """(() => {
  const drawn = sel => Array.from(document.querySelectorAll(sel)).some(e => {
    const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
  const timer = setInterval(() => {
    if (location.href.includes('st_folium') && drawn(%s)) { window.__benchDrawnAt = Date.now(); clearInterval(timer); }
  }, 10);
})();"""
# a marker drawn after `filter_change` tagged the ones on screen
NEW_MARKER = ", ".join(f"{sel}:not([data-bench-old])" for sel in MARKER.split(", "))
# In the map's frame, when such a marker is first drawn, by the page's clock (as FIRST_DRAWN)
NEW_DRAWN = """sel => {
  const drawn = () => Array.from(document.querySelectorAll(sel)).some(e => {
    const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
  window.__benchNewAt = null;
  const timer = setInterval(() => { if (drawn()) { window.__benchNewAt = Date.now(); clearInterval(timer); } }, 10);
}"""
# bytes that crossed the network for the map component's files and the map's Leaflet files, in one frame's
# resource timings (transferSize is 0 for a file taken from the HTTP cache)
MAP_FILES_SENT = """() => performance.getEntriesByType('resource')
  .filter(e => e.name.includes('/component/') || e.name.includes('/app/static/vendor/'))
  .reduce((n, e) => n + e.transferSize, 0)"""
# bytes of the map's layers file (dashboard/layer_files.py: its data, served by `clashmap serve` instead of the
# websocket) that crossed the network: 0 when the browser's HTTP cache had this view's layers
LAYERS_SENT = """() => performance.getEntriesByType('resource').filter(e => e.name.includes('/cm/layers/'))
  .reduce((n, e) => n + e.transferSize, 0)"""
TARGETS = {("sample", "warm"): 1.0, ("sample", "warm, returning browser"): 1.0, ("100k", "warm"): 1.5,
           ("100k", "warm, returning browser"): 1.5, ("100k", "after a change"): 4.0, ("100k", "filter change"): 1.0}
WARM_TRIES, CHANGED_TRIES = 3, 2
LATER = 3.0  # seconds between an ingest and the tab in "after an ingest, tab later"
STAGES: dict[str, list[float]] = {}  # where the time to the first marker goes (seconds from navigation)
# what the browser did up to the first marker: its main thread's CPU seconds (Chromium's TaskDuration in thread
# time: the page and its same-origin map frame share that thread; like server CPU, little moved by other work on the
# machine) and the bytes the page's websocket received (the script run's elements, the map's data)
BROWSER: dict[str, list[float]] = {}


def _healthy(base: str, proc: subprocess.Popen, timeout_s: float = 60) -> bool:
    """Wait until the Streamlit server at `base` answers its health check: False if it exits or `timeout_s` passes."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                return True
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _free_port() -> int:
    """A free port of 127.0.0.1: any, or the first free one of CLASHMAP_BENCH_PORTS ("18600-18699") when a shared
    machine gives each user of it a range."""
    first, _, last = os.environ.get("CLASHMAP_BENCH_PORTS", "").partition("-")
    for port in range(int(first), int(last or first) + 1) if first else [0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in CLASHMAP_BENCH_PORTS={os.environ['CLASHMAP_BENCH_PORTS']}")


class Server:
    """`clashmap serve` on a free port of 127.0.0.1, on store `url`, with no secrets file."""

    def __init__(self, url: str, folder: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        secrets = folder / "no-secrets.toml"
        secrets.write_text("", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLASHMAP_")}
        env.update(CLASHMAP_DB=url, CLASHMAP_OFFLINE_ASSETS="1", STREAMLIT_SERVER_ADDRESS="127.0.0.1",
                   STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
        self.log = folder / f"server-{self.port}.log"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "clashmap", "serve", "--port", str(self.port),
                                          "--secrets", str(secrets)], cwd=ROOT, env=env, stdout=out,
                                         stderr=subprocess.STDOUT)
        if not _healthy(self.base, self.proc):
            self.stop()
            raise RuntimeError(f"clashmap serve did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def cpu(self) -> float:
        """CPU seconds the server has used so far (user + system): unlike wall time, barely moved by other
        work on a busy machine."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        _stop(self.proc)


def first_marker(browser, url: str, timeout_s: float = 300, context=None) -> tuple[float, object]:
    """Seconds from navigating a new tab (a new session) to the first marker drawn; returns the open page too.
    A new browser context (an empty HTTP cache) unless `context` (a browser that has been there before) is given."""
    context = context or browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.add_init_script(FIRST_DRAWN % json.dumps(MARKER))
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable", {"timeDomain": "threadTicks"})  # CPU time of the thread, not wall time
    received = [0]
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.__setitem__(
        0, received[0] + len(payload))))
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=timeout_s * 1000)
    STAGES.setdefault("Streamlit's page booted", []).append(time.perf_counter() - started)
    page.wait_for_selector('[data-testid="stSidebar"], [data-testid="stMain"] [data-testid="stMarkdown"]',
                           state="attached", timeout=timeout_s * 1000)
    STAGES.setdefault("first element of the script run", []).append(time.perf_counter() - started)
    deadline = time.monotonic() + timeout_s
    page.wait_for_selector(MAP_FRAME, state="attached", timeout=timeout_s * 1000)
    STAGES.setdefault("map frame in the page", []).append(time.perf_counter() - started)
    in_map_frame(page, "() => typeof L !== 'undefined'", None, deadline)
    STAGES.setdefault("Leaflet loaded in the frame", []).append(time.perf_counter() - started)
    in_map_frame(page, DRAWN, MARKER, deadline)
    seconds = time.perf_counter() - started
    STAGES.setdefault("first marker drawn", []).append(seconds)
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    BROWSER.setdefault("main thread CPU (s)", []).append(metrics.get("TaskDuration", float("nan")))
    BROWSER.setdefault("websocket received (MB)", []).append(received[0] / 1e6)
    frame = page.query_selector(MAP_FRAME).content_frame()
    # the map's scripts and styles (streamlit-folium's bundle, Leaflet's) as fetched over the network: 0 when the
    # browser's HTTP cache had them (a returning browser; dashboard/serve_app.py's cache headers)
    fetched = page.evaluate(MAP_FILES_SENT) + (frame.evaluate(MAP_FILES_SENT) if frame else 0)
    BROWSER.setdefault("map's files over the network (KB)", []).append(fetched / 1e3)
    BROWSER.setdefault("map's layers file over the network (KB)", []).append(
        (frame.evaluate(LAYERS_SENT) if frame else 0) / 1e3)
    drawn_at = frame.evaluate("() => window.__benchDrawnAt || null") if frame else None
    if drawn_at:
        # the figure: by the page's clock (its navigation start to the marker drawn), not by when this process,
        # polling through Playwright, noticed it (seconds later on a loaded machine)
        noticed = seconds
        seconds = (drawn_at - page.evaluate("() => performance.timeOrigin")) / 1000
        BROWSER.setdefault("polling lag (s)", []).append(noticed - seconds)
    # the map comes first; the rest of the page (the feed, the timeline chart) with the run its first report causes
    page.wait_for_selector(WHOLE_PAGE, state="attached", timeout=timeout_s * 1000)
    STAGES.setdefault("whole page drawn", []).append(time.perf_counter() - started)
    cdp.detach()
    return seconds, page


def in_map_frame(page, expression: str, arg, deadline: float, frame_selector: str = MAP_FRAME) -> None:
    """Wait until `expression` is true in the map's frame. The frame is looked up again and again: Streamlit
    may replace the component's iframe while the page settles, and a wait on the old one never ends."""
    from playwright.sync_api import Error as PlaywrightError

    while True:
        try:
            handle = page.query_selector(frame_selector)
            frame = handle.content_frame() if handle else None
            if frame is not None:
                frame.wait_for_function(expression, arg=arg, timeout=1000, polling="raf")
                return
        except PlaywrightError:  # a timeout of this look, or a frame gone meanwhile: look again
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the map frame never met: {expression[:60]}")
        page.wait_for_timeout(50)


def filter_change(page, timeout_s: float = 120) -> float | None:
    """Seconds from changing the event-type filter to the new map's first marker drawn (None: no filter control
    found on the page).

    A filter change sends the map new layers, which the dashboard swaps into the map on screen (streamlit-folium's
    `feature_group_to_add`; a remounted map would be a new frame): the markers on screen are tagged before the
    click, and the clock stops when a marker without the tag is drawn, in this frame or a new one. Timed by the
    page's own clock (the click as the page saw it, a 10 ms poll in the frame for the new marker), like the first
    marker; the lag of this process noticing it goes to BROWSER["filter change, polling lag (s)"]."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    control = sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="type").first
    if not control.count():
        return None
    settle(page, timeout_s)
    for frame in page.frames:
        if "st_folium" in frame.url:
            frame.evaluate("sel => document.querySelectorAll(sel).forEach(e => e.setAttribute('data-bench-old', '1'))",
                           MARKER)
            frame.evaluate(NEW_DRAWN, NEW_MARKER)
    control.click()
    # one event type (Streamlit's list starts with "Select all", which would leave the map as it was)
    option = page.get_by_role("option").filter(has_not_text=re.compile("select all", re.I)).first
    option.wait_for(timeout=10_000)
    page.evaluate("() => document.addEventListener('click', () => { window.__benchClickAt = Date.now(); }, "
                  "{capture: true, once: true})")
    started = time.perf_counter()
    option.click()
    in_map_frame(page, DRAWN, NEW_MARKER, time.monotonic() + timeout_s)
    noticed = time.perf_counter() - started
    clicked = page.evaluate("() => window.__benchClickAt || null")
    frame = page.query_selector(MAP_FRAME).content_frame()
    drawn_at = frame.evaluate("() => window.__benchNewAt || null") if frame else None
    if not (clicked and drawn_at):  # a new frame (no poll in it): as this process noticed it
        return noticed
    seconds = (drawn_at - clicked) / 1000
    BROWSER.setdefault("filter change, polling lag (s)", []).append(noticed - seconds)
    return seconds


def settle(page, timeout_s: float) -> None:
    """Until no script run is under way (Streamlit's status widget gone) and the map frame has its markers."""
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=timeout_s * 1000)
    in_map_frame(page, DRAWN, MARKER, time.monotonic() + timeout_s)


# What each step between two stages of `first_marker` covers.
PHASES = {"Streamlit's page booted": "Streamlit's page and its JS",
          "first element of the script run": "websocket, script start",
          "map frame in the page": "script run up to the map (queries, pandas, folium) + transfer",
          "Leaflet loaded in the frame": "component iframe, Leaflet parse",
          "first marker drawn": "map script parse, marker drawing",
          "whole page drawn": "then the rest of the page (feed, timeline, table)"}


def _split(stages: dict[str, list[float]]) -> str:
    """Medians of the stages as the time spent in each phase (one stage to the next)."""
    parts, before = [], 0.0
    for name, values in stages.items():
        at = statistics.median(values)
        parts.append(f"{PHASES.get(name, name)} {at - before:.2f} s")
        before = at
    return "; ".join(parts)


def raise_revision(url: str) -> None:
    """A change that moves no event (a correction of a name no event is placed by): the revision moves, the caches
    keyed by the change token go stale, the events frame stays (dashboard.data: only changed events are read)."""
    from store.db import bump_revision, open_store

    sessions = open_store(url)
    with sessions() as session, session.begin():
        bump_revision(session)


def ingest_one(url: str) -> None:
    """What an ingest of one article with one event does to the store (as `store.ingest` writes it, without the
    reading): a new article, a new event at a known place, its source, the revision raised."""
    from datetime import datetime, timezone

    from sqlalchemy import func, select

    from store.db import bump_revision, open_store
    from store.schema import Article, Event, EventSource

    sessions = open_store(url)
    with sessions() as session, session.begin():
        known = session.execute(select(Event.event_date, Event.place_id).where(Event.place_id.is_not(None))
                                .order_by(Event.id.desc()).limit(1)).one()
        article_id = f"bench-ingest-{session.scalar(select(func.count()).select_from(Article)) + 1}"
        session.add(Article(id=article_id, source_path="bench.txt", outlet="Bench Wire", title="One more report",
                            text="One more report.", ingested_at=datetime.now(timezone.utc)))
        session.flush()
        event = Event(key=article_id, event_date=known.event_date, event_type="Battles", sub_event_type="Armed clash",
                      actor1="Bench side", place_id=known.place_id, losses={}, contested=False)
        session.add(event)
        session.flush()
        session.add(EventSource(event_id=event.id, article_id=article_id, text="One more report.", start=0, end=16))
        bump_revision(session)


def measure(browser, url: str, folder: Path, with_filter: bool) -> dict[str, float | None]:
    server = Server(url, folder)
    try:
        cold, page = first_marker(browser, server.base, timeout_s=600)  # the first load: fills its caches
        page.context.close()
        warm, warm_cpu = [], []
        for _ in range(WARM_TRIES):
            cpu = server.cpu()
            seconds, page = first_marker(browser, server.base)
            warm_cpu.append(server.cpu() - cpu)
            warm.append(seconds)
            page.context.close()
        changed, changed_cpu, revised, revised_cpu, later, later_cpu = [], [], [], [], [], []
        for change, times, cpus, wait in ((ingest_one, changed, changed_cpu, 0.0),
                                          (raise_revision, revised, revised_cpu, 0.0),
                                          (ingest_one, later, later_cpu, LATER)):
            for _ in range(CHANGED_TRIES):
                cpu = server.cpu()
                change(url)
                time.sleep(wait)  # an editor who opens the map a moment after the ingest (the server may use it)
                seconds, page = first_marker(browser, server.base)
                cpus.append(server.cpu() - cpu)
                times.append(seconds)
                page.context.close()
        STAGES.clear()
        BROWSER.clear()
        for _ in range(WARM_TRIES):
            seconds, page = first_marker(browser, server.base)
            page.context.close()
        stages, used = _split(STAGES), _medians(BROWSER)
        # an editor's browser: it has opened the dashboard before (one tab to fill its HTTP cache), new tabs
        returning = browser.new_context(viewport={"width": 1440, "height": 900})
        try:
            first_marker(browser, server.base, context=returning)[1].close()
            STAGES.clear()
            BROWSER.clear()
            again = []
            for _ in range(WARM_TRIES):
                seconds, page = first_marker(browser, server.base, context=returning)
                again.append(seconds)
                page.close()
        finally:
            returning.close()
        result = {"server's first load": cold, "warm": statistics.median(warm),
                  "warm, returning browser": statistics.median(again), "after a change": statistics.median(changed),
                  "after a revision only": statistics.median(revised),
                  "after a change, tab later": statistics.median(later)}
        print(f"  warm, where the time to the first marker goes (medians, phase by phase): {stages}; browser: {used}",
              flush=True)
        print(f"  warm, returning browser: {_seconds(again)}; phase by phase: {_split(STAGES)}; browser: "
              f"{_medians(BROWSER)}", flush=True)
        print(f"  {url.rsplit('/', 1)[-1]}: warm {_seconds(warm)}, after a change (one article ingested) "
              f"{_seconds(changed)}, after a revision only {_seconds(revised)}, after an ingest with the tab opened "
              f"{LATER:.0f} s later {_seconds(later)}; server CPU per new tab (from the change): warm "
              f"{_seconds(warm_cpu)}, after a change {_seconds(changed_cpu)}, after a revision only "
              f"{_seconds(revised_cpu)}, tab {LATER:.0f} s later {_seconds(later_cpu)}", flush=True)
        if with_filter:
            _, page = first_marker(browser, server.base)
            try:
                cpu = server.cpu()
                result["filter change"] = filter_change(page, timeout_s=90)
                print(f"  server CPU for the filter change: {server.cpu() - cpu:.2f} s", flush=True)
            except Exception as err:  # noqa: BLE001 - reported as n/a with the reason, the other figures still print
                print(f"  filter change: {err}", flush=True)
                result["filter change"] = None
            finally:
                page.context.close()
        return result
    finally:
        server.stop()


def _medians(values: dict[str, list[float]]) -> str:
    return ", ".join(f"{name} {statistics.median(v):.2f}" for name, v in values.items())


def _seconds(values: list[float]) -> str:
    return "[" + ", ".join(f"{v:.2f}" for v in values) + "] s"


def _copy_sample(target: Path) -> str:
    from store.db import default_url

    source_url = default_url()
    if not source_url.startswith("sqlite:///"):
        raise RuntimeError(f"the sample store is not a SQLite file ({source_url}); run `make setup`")
    source = sqlite3.connect(source_url.removeprefix("sqlite:///"))
    with sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    return f"sqlite:///{target}"


def _synth_copy(target: Path, n_events: int, n_places: int) -> str:
    """A copy of a synthetic store: made once and kept in the temp folder, keyed by the code that writes it
    (store/synth.py, the schema, the migrations), since making 100k events costs minutes on a busy machine."""
    import hashlib

    from store.synth import synthesize

    digest = hashlib.sha256()
    for path in sorted([ROOT / "store" / "synth.py", ROOT / "store" / "schema.py",
                        *(ROOT / "store" / "migrations").rglob("*.py")]):
        digest.update(path.read_bytes())
    kept = Path(tempfile.gettempdir()) / f"clashmap-bench-synth-{n_events}-{n_places}-{digest.hexdigest()[:12]}.sqlite"
    if not kept.exists():
        # made in the run's own folder (the store may be in WAL mode: a bare file move could drop the log),
        # then copied with SQLite's backup into a single file, renamed into place when complete
        made = target.with_name(target.stem + "-made.sqlite")
        synthesize(f"sqlite:///{made}", n_events=n_events, n_places=n_places)
        partial = kept.with_name(kept.name + f".{os.getpid()}.partial")
        _backup(made, partial)
        partial.replace(kept)
    _backup(kept, target)
    return f"sqlite:///{target}"


def _backup(source_path: Path, target: Path) -> None:
    source = sqlite3.connect(source_path)
    with sqlite3.connect(target) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    copy.close()
    source.close()


BLANK_APP = 'import streamlit as st\n\nst.write("x")\n'
# the first element's text appearing, by the page's own clock (as FIRST_DRAWN: no polling lag)
FIRST_ELEMENT = """(() => {
  const timer = setInterval(() => {
    const el = document.querySelector('[data-testid="stMarkdown"]');
    if (el && el.textContent.trim() === 'x') { window.__benchShownAt = Date.now(); clearInterval(timer); }
  }, 10);
})();"""


def floor(browser, folder: Path) -> dict[str, float]:
    """Streamlit's own floor: a blank app (`st.write("x")`) served by `streamlit run` from the project's folder
    (so with its .streamlit/config.toml), and from an empty folder (Streamlit's defaults), seconds from navigating
    a new tab to its one element shown; medians of new browsers (an empty HTTP cache) and of a returning one."""
    results = {}
    for name, cwd in (("blank app, this config", ROOT), ("blank app, Streamlit's defaults", folder)):
        script = folder / "blank_app.py"
        script.write_text(BLANK_APP, encoding="utf-8")
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CLASHMAP_", "STREAMLIT_"))}
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                                 "--server.address", "127.0.0.1", "--server.headless", "true",
                                 "--browser.gatherUsageStats", "false"], cwd=cwd, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            if not _healthy(base, proc):
                raise RuntimeError("streamlit run did not start")

            def shown(context) -> float:
                page = context.new_page()
                page.add_init_script(FIRST_ELEMENT)
                page.goto(base, wait_until="commit")
                page.wait_for_function("() => window.__benchShownAt", timeout=120_000, polling=50)
                seconds = page.evaluate("() => (window.__benchShownAt - performance.timeOrigin) / 1000")
                page.close()
                return seconds

            fresh = []
            for _ in range(WARM_TRIES + 1):  # the first fills the server's own caches; not counted
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                fresh.append(shown(context))
                context.close()
            returning = browser.new_context(viewport={"width": 1440, "height": 900})
            shown(returning)
            again = [shown(returning) for _ in range(WARM_TRIES)]
            returning.close()
            results[name] = statistics.median(fresh[1:])
            results[name + ", returning browser"] = statistics.median(again)
            print(f"  {name}: new browser {_seconds(fresh[1:])}, returning browser {_seconds(again)}", flush=True)
        finally:
            _stop(proc)
    return results


def server_split(url: str) -> str:
    """Where a script run's map time goes on the server, measured in this process on store `url` with empty
    caches: the queries, the pandas work (filters, aggregation per place), the folium map and the
    streamlit-folium payload (script + HTML), and the payload's size (what the websocket carries)."""
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "missing ScriptRunContext" outside a server
    from streamlit_folium import _get_header, _get_html, _get_map_string

    from dashboard.filters import Filters, apply_filters
    from dashboard.map_view import aggregate_places, build_map, playback_start
    from store.db import change_token, open_store
    from store.queries import articles_frame, dateline_places_frame, events_frame

    spent: dict[str, float] = {}

    def timed(name, work):
        started = time.perf_counter()
        result = work()
        spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
        return result

    sessions = open_store(url)
    timed("queries", lambda: change_token(sessions))
    events = timed("queries", lambda: events_frame(sessions))
    timed("queries", lambda: (articles_frame(sessions), dateline_places_frame(sessions)))
    shown = timed("pandas", lambda: apply_filters(events, Filters()))
    places = timed("pandas", lambda: aggregate_places(shown))
    start = timed("pandas", lambda: playback_start(shown))
    m = timed("folium", lambda: build_map(places, None, playback_start=start))

    def payload(m):
        m.get_root().render()
        return len(_get_html(m)) + len(_get_header(m)) + len(_get_map_string(m).encode())

    size = timed("folium", lambda: payload(m))
    return ", ".join(f"{k} {v:.2f} s" for k, v in spent.items()) + f"; map payload {size / 1e6:.2f} MB"


def run(stores: tuple[str, ...] = ("floor", "sample", "100k")) -> None:
    """Streamlit's floor and both stores by default; `python -m bench.bench_browser sample` measures the sample
    store only (a minute, not ten: for checking a change to the page), `... floor` the blank app only."""
    if not Path(CHROMIUM).exists():
        print(f"bench browser: {CHROMIUM} is not installed (make test installs it with apt): skipped")
        return
    from playwright.sync_api import sync_playwright

    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        folder = Path(tmp)
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            if "floor" in stores:
                rows["floor"] = floor(browser, folder)
            if "sample" in stores:
                rows["sample"] = measure(browser, _copy_sample(folder / "sample.sqlite"), folder, with_filter=True)
            if "100k" in stores:
                synth_url = _synth_copy(folder / "synth-100k.sqlite", n_events=100_000, n_places=2_000)
                print(f"  100k, a script run's map work on the server (cold, in-process): {server_split(synth_url)}",
                      flush=True)
                try:
                    rows["100k"] = measure(browser, synth_url, folder, with_filter=True)
                except Exception as err:  # noqa: BLE001 - the sample's figures are still worth printing
                    print(f"  100k: {type(err).__name__}: {str(err)[:300]}", flush=True)
        finally:
            browser.close()
    _table(rows)


def _table(rows: dict[str, dict]) -> None:
    print(f"{'store':<8} {'measure':<38} {'seconds':>8} {'target':>8}  ")
    for store, result in rows.items():
        for name, seconds in result.items():
            target = TARGETS.get((store, name))
            shown = "n/a" if seconds is None else f"{seconds:.2f}"
            verdict = "" if seconds is None or target is None else ("ok" if seconds < target else "MISSED")
            label = {"server's first load": "first marker, new server", "warm": "first marker, warm",
                     "warm, returning browser": "first marker, warm, returning", "after a change": "first marker, after an ingest",
                     "after a revision only": "first marker, after a revision",
                     "after a change, tab later": f"first marker, tab {LATER:.0f} s after an ingest",
                     "filter change": "filter change to redrawn map"}.get(name, name)
            print(f"{store:<8} {label:<38} {shown:>8} {('< ' + str(target)) if target else '':>8}  {verdict}")
    floor = rows.get("floor") or {}
    for kind, suffix in (("new browser", ""), ("returning browser", ", returning browser")):
        blank = floor.get("blank app, this config" + suffix)
        if blank is not None:
            measure = "warm" + suffix
            room = ", ".join(f"{store} {measure} < {TARGETS[(store, measure)]} (left for our page: "
                             f"{TARGETS[(store, measure)] - blank:+.2f} s)" for store in ("sample", "100k"))
            print(f"Streamlit's floor, {kind}: {blank:.2f} s beside the targets {room}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} at the end (other work on the machine slows "
          "every figure)")
    print("first marker: a new tab (a new session) from navigation to the first marker drawn in Chromium; "
          "CLASHMAP_OFFLINE_ASSETS=1; 1440x900")


if __name__ == "__main__":
    run(tuple(sys.argv[1:]) or ("floor", "sample", "100k"))
