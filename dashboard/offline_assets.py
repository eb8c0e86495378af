"""Serve Leaflet from this machine instead of CDNs, when asked to.

A real user keeps the CDN links folium declares. Tests (and any machine without internet)
set `CLASHMAP_OFFLINE_ASSETS=1`: folium's class attributes `default_js` / `default_css`, which
both folium and streamlit-folium read, are then pointed at `/app/static/vendor/...` (filled by
`static/fetch_assets.py`). Assets the clashmap map never uses (jQuery, Bootstrap, awesome-markers,
Font Awesome) are dropped in that mode rather than left pointing at an unreachable host, because
streamlit-folium waits for every script and one failed load would stop the map from drawing.
"""

from __future__ import annotations

from pathlib import Path

import folium
import folium.plugins

from clashmap.settings import get_settings

VENDOR_URL = "/app/static/vendor"

# folium asset name -> file under static/vendor/
LOCAL_JS = {
    "leaflet": "leaflet/leaflet.js",
    "markerclusterjs": "markercluster/leaflet.markercluster.js",
    "leaflet-heat.js": "heat/leaflet_heat.min.js",
}
LOCAL_CSS = {
    "leaflet_css": "leaflet/leaflet.css",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "markercluster/MarkerCluster.Default.css",
}
# The dashboard map's scripts and styles, each in one file (made by static/fetch_assets.py from the files above):
# streamlit-folium loads a map's scripts one after the other, so one file is one round trip instead of three.
BUNDLE_JS = "leaflet/clashmap-map.js"
BUNDLE_CSS = "leaflet/clashmap-map.css"
STATIC_DIR = Path(__file__).resolve().parent / "static" / "vendor"

PATCHED_CLASSES = (folium.Map, folium.plugins.MarkerCluster, folium.plugins.HeatMap)

# The CDN declarations as folium ships them, kept so exports (an HTML file sent by e-mail) can use them.
ORIGINAL: dict[type, tuple[list, list]] = {cls: (list(cls.default_js), list(cls.default_css)) for cls in PATCHED_CLASSES}


def offline_requested() -> bool:
    return get_settings().offline_assets


def use_local_assets(base_url: str = VENDOR_URL) -> None:
    """Point folium's asset lists at `base_url`; idempotent."""
    for cls in PATCHED_CLASSES:
        js, css = ORIGINAL[cls]
        cls.default_js = [(name, f"{base_url}/{LOCAL_JS[name]}") for name, _ in js if name in LOCAL_JS]
        cls.default_css = [(name, f"{base_url}/{LOCAL_CSS[name]}") for name, _ in css if name in LOCAL_CSS]


def use_cdn_assets() -> None:
    """Put folium's own CDN declarations back."""
    for cls in PATCHED_CLASSES:
        cls.default_js, cls.default_css = list(ORIGINAL[cls][0]), list(ORIGINAL[cls][1])


def apply_setting() -> bool:
    """Local assets when the environment asks for them; returns whether they are in use."""
    if offline_requested():
        use_local_assets()
        return True
    return False


def bundled(js: list[str], css: list[str], base_url: str = VENDOR_URL) -> tuple[list[str], list[str]]:
    """The asset links `js`, `css` with the local Leaflet files replaced by the two bundles (which hold Leaflet and
    every plugin the map may use), when Leaflet is local and the bundles are made; anything else as it was."""
    local_js, local_css = (f"{base_url}/{p}" for p in (LOCAL_JS["leaflet"], LOCAL_CSS["leaflet_css"]))
    if local_js not in js or not (STATIC_DIR / BUNDLE_JS).is_file() or not (STATIC_DIR / BUNDLE_CSS).is_file():
        return js, css
    ours_js = {f"{base_url}/{p}" for p in LOCAL_JS.values()}
    ours_css = {f"{base_url}/{p}" for p in LOCAL_CSS.values()}
    js = [f"{base_url}/{BUNDLE_JS}", *(u for u in js if u not in ours_js)]
    css = [f"{base_url}/{BUNDLE_CSS}", *(u for u in css if u not in ours_css)] if local_css in css else css
    return js, css


def cdn_url_for(local_url: str) -> str | None:
    """The CDN address of a local asset URL (for standalone exports made while offline)."""
    for cls in PATCHED_CLASSES:
        js, css = ORIGINAL[cls]
        for name, url in js:
            if name in LOCAL_JS and local_url.endswith(LOCAL_JS[name]):
                return url
        for name, url in css:
            if name in LOCAL_CSS and local_url.endswith(LOCAL_CSS[name]):
                return url
    return None
