"""Exports at scale: ACLED CSV, RFC 7946 GeoJSON and the standalone HTML map of 10k and 100k synthetic events
(time and size).

What an editor waits for after clicking a download button or running `clashmap export`: the events
frame is read once, then each format is built from it.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

SIZES = (10_000, 100_000)
PLACES = 2000
TARGETS = {"csv": 5.0, "geojson": 10.0, "html": 5.0}  # seconds at 100k events on this kind of 2-core machine


def run() -> None:
    from store.db import open_store
    from dashboard.export_view import html_map
    from store.export import to_acled_csv, to_geojson
    from store.queries import events_frame
    from store.synth import synthesize

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            url = f"sqlite:///{Path(tmp) / f'synth-{n}.sqlite'}"
            synthesize(url, n_events=n, n_places=PLACES)
            started = time.perf_counter()
            events = events_frame(open_store(url))
            read_s = time.perf_counter() - started
            figures = [n, read_s]
            for build in (to_acled_csv, to_geojson, html_map):
                started = time.perf_counter()
                size = len(build(events).encode("utf-8"))
                figures += [time.perf_counter() - started, size]
            rows.append(figures)
    print(f"{'events':>8} {'read frame':>10} {'ACLED CSV':>10} {'size':>9} {'GeoJSON':>9} {'size':>9} "
          f"{'HTML map':>9} {'size':>9}")
    for n, read_s, csv_s, csv_b, geo_s, geo_b, html_s, html_b in rows:
        print(f"{n:>8} {read_s:9.2f}s {csv_s:9.2f}s {csv_b / 1e6:7.1f}MB {geo_s:8.2f}s {geo_b / 1e6:7.1f}MB "
              f"{html_s:8.2f}s {html_b / 1e6:7.1f}MB")
    print(f"targets at 100k events: CSV < {TARGETS['csv']:.0f} s, GeoJSON < {TARGETS['geojson']:.0f} s, "
          f"HTML map < {TARGETS['html']:.0f} s (after the frame is read)")


if __name__ == "__main__":
    run()
