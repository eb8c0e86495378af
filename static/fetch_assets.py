"""Fill `static/vendor/` with the Leaflet files the map needs, for browsers that cannot reach a CDN.

    python static/fetch_assets.py        # idempotent; prints what it copied

Sources are Python packages only (no npm, no download): `xstatic-leaflet` and
`xstatic-leaflet-markercluster` from PyPI, and the heat-map script that ships inside folium.
Streamlit serves the folder at `/app/static/vendor/` when `enableStaticServing` is on;
`dashboard/offline_assets.py` points folium at it when `CLASHMAP_OFFLINE_ASSETS=1`.

The dashboard's map loads one file for the scripts (Leaflet, then its cluster and heat plugins) and one for the
styles, `BUNDLES`, made here from the same files: streamlit-folium loads a map's scripts one after the other,
each waiting for the one before, so three files cost three round trips before the map can draw.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"


def _sources() -> dict[str, Path]:
    """Relative target path -> installed source file (or folder)."""
    import folium
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as cluster

    leaflet_dir = Path(leaflet.BASE_DIR)
    cluster_dir = Path(cluster.BASE_DIR)
    return {
        "leaflet/leaflet.js": leaflet_dir / "leaflet.js",
        "leaflet/leaflet.css": leaflet_dir / "leaflet.css",
        "leaflet/images": leaflet_dir / "images",
        "markercluster/leaflet.markercluster.js": cluster_dir / "leaflet.markercluster.js",
        "markercluster/MarkerCluster.css": cluster_dir / "MarkerCluster.css",
        "markercluster/MarkerCluster.Default.css": cluster_dir / "MarkerCluster.Default.css",
        "heat/leaflet_heat.min.js": Path(folium.__file__).parent / "templates" / "leaflet_heat.min.js",
    }


# bundle -> its parts, in load order (relative to the vendor folder). In leaflet/, beside leaflet.css, so the
# styles' relative `images/...` addresses still hold.
BUNDLES = {
    "leaflet/clashmap-map.js": ("leaflet/leaflet.js", "markercluster/leaflet.markercluster.js",
                                "heat/leaflet_heat.min.js"),
    "leaflet/clashmap-map.css": ("leaflet/leaflet.css", "markercluster/MarkerCluster.css",
                                 "markercluster/MarkerCluster.Default.css"),
}


def fetch(vendor: Path = VENDOR) -> list[Path]:
    """Copy every asset into `vendor`; returns the paths written. Missing sources raise with their name.

    A file already the same is left alone, and a changed one is written beside its place and renamed over it, so a
    server reading the folder (another test worker's, a running dashboard) never reads a half-written file."""
    written = []
    for relative, source in _sources().items():
        if not source.exists():
            raise FileNotFoundError(f"fetch_assets: {source} is missing (reinstall xstatic-leaflet / folium)")
        target = vendor / relative
        files = ([(s, target / s.relative_to(source)) for s in sorted(source.rglob("*")) if s.is_file()]
                 if source.is_dir() else [(source, target)])
        for src, dst in files:
            _put(dst, src.read_bytes())
        written.append(target)
    for bundle, parts in BUNDLES.items():
        texts = [(vendor / part).read_text(encoding="utf-8") for part in parts]
        if bundle.endswith(".js"):
            # ";" keeps a part without a final semicolon from running on into the next; the parts' source map
            # comments name maps that are not there
            texts = ["\n".join(line for line in t.splitlines() if not line.startswith("//# sourceMappingURL"))
                     for t in texts]
        text = ("\n;\n" if bundle.endswith(".js") else "\n").join(texts)
        _put(vendor / bundle, text.encode("utf-8"))  # unchanged: its date too (caching)
        written.append(vendor / bundle)
    return written


def _put(target: Path, data: bytes) -> None:
    """Write `data` to `target` unless it already holds it: to a temporary name beside it, then renamed over it."""
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)

if __name__ == "__main__":
    try:
        paths = fetch()
    except (ImportError, FileNotFoundError) as err:
        print(f"fetch_assets: {err}", file=sys.stderr)
        raise SystemExit(1)
    print(f"fetch_assets: {len(paths)} assets in {VENDOR}")
