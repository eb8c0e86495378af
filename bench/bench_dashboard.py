"""Dashboard at scale: script-run time and map payload at 1k / 10k / 100k synthetic events.

For each size a synthetic store is made (`store.synth`, 2,000 places), the main page is run with
`streamlit.testing.v1.AppTest` (the same script `streamlit run` executes), once cold and then warm
(caches filled: what an editor waits for after each click), and the map's payload is what
streamlit-folium sends to the browser (script + HTML + header + asset links). Beside it: a plain
folium map with one Marker and popup per event, the approach this dashboard avoids.
Targets from the issue: at 100k events a warm run under 1 s and a map payload under 2 MB.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000, 100_000)
PLACES = 2_000
PLAIN_MEASURED_UP_TO = 10_000  # beyond that a per-event folium map takes minutes: extrapolated, marked "est."


def _app_run(url: str) -> tuple[float, float, float, int, int]:
    """(cold s, warm rerun median s, filter-change run s, map payload bytes, places drawn) on store `url`."""
    from streamlit.testing.v1 import AppTest

    os.environ["CLASHMAP_DB"] = url
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=600)
    started = time.perf_counter()
    at.run()
    cold = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"app failed on {url}: {at.exception[0].message}")
    warm = []
    for _ in range(3):
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
    component = next(el for el in at.get("component_instance") if "st_folium" in el.proto.component_name)
    args = json.loads(component.proto.json_args)
    payload = sum(len(str(args.get(k, "")).encode()) for k in ("script", "html", "header")) \
        + sum(len(u) for u in args.get("js_links", []) + args.get("css_links", []))
    places = args["script"].count("<div class='cm-pop'>")  # one popup per event place
    # A filter change: caches warm, but the map's aggregation and the table are recomputed.
    started = time.perf_counter()
    at.multiselect(key="f_type").set_value(["Battles", "Explosions/Remote violence"]).run()
    changed = time.perf_counter() - started
    return cold, statistics.median(warm), changed, payload, places


def _plain_folium(events) -> tuple[float, int]:
    """Render time and HTML bytes of one folium Marker (with a popup) per event."""
    import folium

    m = folium.Map(location=[39.5, 45.0], zoom_start=6)
    started = time.perf_counter()
    for row in events.itertuples(index=False):
        folium.Marker([row.lat, row.lon], popup=f"{row.event_date.date()} {row.event_type}").add_to(m)
    size = len(m.get_root().render().encode())
    return time.perf_counter() - started, size


def run() -> None:
    from store.db import open_store
    from store.queries import events_frame
    from store.synth import synthesize

    rows = []
    plain_per_event = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            url = f"sqlite:///{Path(tmp) / f'synth-{n}.sqlite'}"
            started = time.perf_counter()
            synthesize(url, n_events=n, n_places=PLACES)
            synth_s = time.perf_counter() - started
            cold, warm, changed, payload, places = _app_run(url)
            if n <= PLAIN_MEASURED_UP_TO:
                plain_s, plain_bytes = _plain_folium(events_frame(open_store(url)))
                plain_per_event = (plain_s / n, plain_bytes / n)
                plain = f"{plain_s:8.2f} s {plain_bytes / 1e6:8.1f} MB"
            else:
                plain = f"{plain_per_event[0] * n:8.0f} s {plain_per_event[1] * n / 1e6:8.0f} MB (est.)"
            rows.append((n, synth_s, cold, warm, changed, payload, places, plain))
    print(f"{'events':>8} {'synth':>7} {'cold run':>9} {'warm run':>9} {'new filter':>10} {'map payload':>12} "
          f"{'places':>7}   plain folium, one marker per event (render, HTML)")
    for n, synth_s, cold, warm, changed, payload, places, plain in rows:
        print(f"{n:>8} {synth_s:6.1f}s {cold:8.2f}s {warm:8.2f}s {changed:9.2f}s {payload / 1e6:10.2f}MB "
              f"{places:>7}   {plain}")
    print("targets at 100k events over 2,000 places: warm run < 1 s, map payload < 2 MB "
          "(payload grows with places shown, not with events)")


if __name__ == "__main__":
    run()
