"""Where a new tab's time to the first marker goes, by the page's own clock (issue 13, speed).

    python -m bench.trace_first_paint [sample|100k] [tabs]

A `clashmap serve` on a copy of the store (as `bench.bench_browser`), one tab to warm the server, then `tabs` new tabs
(default 3), each in a new browser (an empty HTTP cache), then as many in one returning browser. For each: the
milliseconds from navigation to each step, from the browser's own timings (the page's and the map frame's resource
and navigation timings, a hook on the page's WebSocket, the frame's 10 ms marker poll of `bench_browser`), and the
median of each step and of the gap before it.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

from bench.bench_browser import (CHROMIUM, CHROMIUM_ARGS, FIRST_DRAWN, MAP_FRAME, MARKER, Server, _copy_sample,
                                 _synth_copy)

WS_HOOK = """(() => {
  if (!window.WebSocket || location.href.includes('/component/')) { return; }
  const Base = window.WebSocket, t = window.__cmTrace = {};
  window.WebSocket = function(...args) {
    const ws = new Base(...args);
    ws.addEventListener('open', () => { if (!t.ws_open) { t.ws_open = performance.now(); } });
    ws.addEventListener('message', () => { if (!t.ws_first) { t.ws_first = performance.now(); } });
    return ws;
  };
  window.WebSocket.prototype = Base.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();"""
PAGE_STEPS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const js = performance.getEntriesByType('resource').filter(e => /\\/static\\/js\\/index[^/]*\\.js$/.test(e.name));
  return {origin: performance.timeOrigin, html: nav.responseEnd,
          js: js.length ? Math.max(...js.map(e => e.responseEnd)) : null,
          ws_open: (window.__cmTrace || {}).ws_open || null, ws_first: (window.__cmTrace || {}).ws_first || null};
}"""
FRAME_STEPS = """() => {
  const res = performance.getEntriesByType('resource');
  const end = re => { const e = res.filter(x => re.test(x.name)); return e.length ? Math.max(...e.map(x => x.responseEnd)) : null; };
  const start = re => { const e = res.filter(x => re.test(x.name)); return e.length ? Math.min(...e.map(x => x.startTime)) : null; };
  return {origin: performance.timeOrigin, bundle: end(/\\/static\\/js\\/main[^/]*\\.js$/),
          leaflet: end(/clashmap-map\\.js|leaflet[^/]*\\.js$/), layers_asked: start(/layers\\//),
          layers: end(/layers\\//), drawn: window.__benchDrawnAt || null};
}"""
STEPS = ["HTML", "Streamlit's JS bundle", "websocket open", "first message", "map frame made",
         "component bundle", "Leaflet", "layers asked", "layers received", "first marker"]


def trace(page_or_context, base: str) -> dict[str, float | None]:
    page = page_or_context.new_page()
    page.add_init_script(WS_HOOK)
    page.add_init_script(FIRST_DRAWN % json.dumps(MARKER))
    page.goto(base + "/", wait_until="commit")
    page.wait_for_selector(MAP_FRAME, state="attached", timeout=300_000)
    frame = page.query_selector(MAP_FRAME).content_frame()
    frame.wait_for_function("() => window.__benchDrawnAt", timeout=300_000, polling=100)
    p, f = page.evaluate(PAGE_STEPS), frame.evaluate(FRAME_STEPS)
    shift = f["origin"] - p["origin"]

    def in_frame(value):
        return None if value is None else value + shift

    steps = dict(zip(STEPS, [p["html"], p["js"], p["ws_open"], p["ws_first"], shift, in_frame(f["bundle"]),
                             in_frame(f["leaflet"]), in_frame(f["layers_asked"]), in_frame(f["layers"]),
                             f["drawn"] - p["origin"]]))
    page.close()
    return steps


def _report(name: str, runs: list[dict]) -> None:
    print(f"{name} ({len(runs)} tabs, ms from navigation; median, and the gap from the step before)")
    before = 0.0
    for step in STEPS:
        values = [r[step] for r in runs if r[step] is not None]
        if not values:
            print(f"  {step:<24} n/a")
            continue
        at = statistics.median(values)
        print(f"  {step:<24} {at:8.0f}  (+{at - before:6.0f})   tabs: {', '.join(f'{v:.0f}' for v in values)}")
        before = at


def main(store: str = "sample", tabs: int = 3) -> None:
    import os

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        folder = Path(tmp)
        url = (_copy_sample(folder / "sample.sqlite") if store == "sample"
               else _synth_copy(folder / "synth-100k.sqlite", n_events=100_000, n_places=2_000))
        server = Server(url, folder)
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            trace(context, server.base)  # the server's caches
            context.close()
            fresh = []
            for _ in range(tabs):
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                fresh.append(trace(context, server.base))
                context.close()
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            trace(context, server.base)
            again = [trace(context, server.base) for _ in range(tabs)]
            context.close()
        finally:
            browser.close()
            server.stop()
    _report(f"{store}, new browser", fresh)
    _report(f"{store}, returning browser", again)
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sample", int(sys.argv[2]) if len(sys.argv) > 2 else 3)
