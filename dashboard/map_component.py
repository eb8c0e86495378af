"""The map on the page: streamlit-folium's component, sent arguments made once and kept.

`st_folium(m, feature_group_to_add=[...])` renders the whole folium map on every script run (every pan, zoom,
click, filter change, new tab): its templates, the Jinja compilation of its tile layers, and regular
expressions and a `textwrap.dedent` over the layers script (~1 MB at 2,000 places). None of that changes while
the map's view options and data do not, so it is done once here and kept (see `dashboard.data.map_base` and
`map_script`), and each run only hands the kept strings to the same component, with the same arguments
`st_folium` would give it (its own helpers make them, so they are the same text).

    base = base_args(build_base_map(view))          # once per base map
    layers = layers_arg(MapLayers(FetchedLayers(layers_script(places)).arg))  # once per data and view options
    out = show(base, layers, key="map", ...)        # every run: no folium work

The layers themselves (~0.85 MB at 2,000 places) do not travel in the component's arguments, which Streamlit sends
again on every run that draws the map (a new tab, the run that completes the page, a rerun): `FetchedLayers` writes
them once to a file named by its content's hash, served by Streamlit's static serving at /app/static/cm-layers/,
and the map's argument is a small script that fetches that file (`cache: "force-cache"`: a name never changes its
content, so a copy the browser holds is always right) and runs it. A second tab, or a rerun, sends a few hundred
bytes; a browser that drew these layers before fetches nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterable

import folium
import streamlit as st
import streamlit_folium
from streamlit_folium import _component_func, generate_js_hash

from dashboard.map_view import MAP_TOKEN

MAP_ID = "map_div"  # what streamlit-folium names the map in its scripts


def base_args(m: folium.Map) -> dict:
    """The component's arguments for the map itself (its script, header, HTML, asset links, default bounds and
    zoom), as `st_folium` makes them. `m` is used up (streamlit-folium renames its elements)."""
    m.get_root().render()
    m.render()
    html = streamlit_folium._get_html(m)
    header = streamlit_folium._get_header(m)
    script = streamlit_folium._get_map_string(m)
    css: list[str] = []
    js: list[str] = []
    for element in _walk(m):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    try:
        bounds = m.get_bounds()
    except AttributeError:
        bounds = [[None, None], [None, None]]
    (south, west), (north, east) = bounds
    return {"script": script, "header": header, "html": html, "id": streamlit_folium.get_full_id(m),
            "css_links": list(dict.fromkeys(css)), "js_links": list(dict.fromkeys(js)),
            "bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
            "zoom": m.options.get("zoom")}


def _walk(element):
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def layers_arg(layers: folium.MacroElement) -> str:
    """The component's `feature_group` argument for one element of `feature_group_to_add` (a `MapLayers`), as
    `st_folium` makes it: the element is placed on a stand-in map named as streamlit-folium names its map."""
    holder = folium.Map(tiles=None)
    holder._id = MAP_ID.removeprefix("map_")
    return streamlit_folium._get_feature_group_string(layers, map=holder, idx=0)


def show(base: dict, layers: str | None, *, key: str, height: int, returned_objects: Iterable[str],
         center=None, zoom: int | None = None, on_change: Callable | None = None) -> dict | None:
    """The map on the page, like `st_folium(..., use_container_width=True, feature_group_to_add=...)`, from
    arguments made by `base_args` and `layers_arg`. Returns what the map reported (the `returned_objects`)."""
    defaults = {"last_clicked": None, "last_object_clicked": None, "last_object_clicked_count": None,
                "last_object_clicked_tooltip": None, "last_object_clicked_popup": None, "all_drawings": None,
                "last_active_drawing": None, "bounds": base["bounds"], "zoom": base["zoom"],
                "last_circle_radius": None, "last_circle_polygon": None, "selected_layers": None,
                "selected_tags": None, "last_geocoder_result": None}
    returned = list(returned_objects)
    hash_key = _hash_key(base["script"], key)

    def changed() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    return _component_func(script=base["script"], header=base["header"], html=base["html"], id=base["id"],
                           key=hash_key, height=height, width=None, returned_objects=returned,
                           default={k: v for k, v in defaults.items() if k in returned}, zoom=zoom, center=center,
                           feature_group=layers, return_on_hover=False, layer_control=None, pixelated=False,
                           css_links=base["css_links"], js_links=base["js_links"], on_change=changed,
                           wrap_longitude=False)


_HASHES: dict[tuple[str, str], str] = {}


def _hash_key(script: str, key: str) -> str:
    """streamlit-folium's widget key for this map script and `key` (a regular expression over the script: kept)."""
    found = _HASHES.get((script, key))
    if found is None:
        if len(_HASHES) > 256:
            _HASHES.clear()
        found = _HASHES[(script, key)] = generate_js_hash(script, key, False)
    return found


# Streamlit serves the main script's folder's static/ (dashboard/static) at /app/static/ (server.enableStaticServing).
LAYERS_DIR = Path(__file__).resolve().parent / "static" / "cm-layers"
LAYERS_URL = "/app/static/cm-layers"
KEEP_LAYER_FILES = 200  # files kept in LAYERS_DIR (the newest); older ones go once an hour has passed
_KEEP_YOUNGER_S = 3600.0
# The map's argument in place of the layers: fetch the file, run it on the map unless newer layers were sent since.
# streamlit-folium gives its click handler to the layers on the map right after it runs this text (before the file
# has come): the layers the file draws get the same handlers, taken from the stand-in layer it added then.
_FETCHER = """(function(__cm_map__) {
  var url = %s;
  __cm_map__.__cmLayersUrl = url;
  function draw(text) {
    if (__cm_map__.__cmLayersUrl !== url) { return; }
    var before = Object.assign({}, __cm_map__._layers);
    new Function("cmFetchedMap", text)(__cm_map__);
    var stand = (window.feature_group || [])[(window.feature_group || []).length - 1];
    ["click", "mouseover"].forEach(function(type) {
      var listeners = (stand && stand._events && stand._events[type]) || [];
      Object.keys(__cm_map__._layers).forEach(function(id) {
        var layer = __cm_map__._layers[id];
        if (before[id] || !layer || typeof layer.on !== "function") { return; }
        listeners.forEach(function(l) { if (!layer.listens(type, l.fn, l.ctx)) { layer.on(type, l.fn, l.ctx); } });
      });
    });
  }
  fetch(url, {cache: "force-cache", credentials: "same-origin"})
    .then(function(r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.text(); })
    .then(draw)
    .catch(function(e) { console.error("clashmap: the map's layers " + url + " did not load: " + e); });
})(__cm_map__);
"""


class FetchedLayers:
    """A layers script (`map_view.layers_script`, for the map `__cm_map__`) kept in a file named by its content, and
    `arg`, the small script that fetches and runs it on the map, to pass as the map's layers (see the docstring)."""

    def __init__(self, script: str, folder: Path = LAYERS_DIR) -> None:
        self.text = script.replace(MAP_TOKEN, "cmFetchedMap")  # the map's name in the file (the fetcher's is renamed)
        name = hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:40] + ".js"
        self.path = folder / name
        self.arg = _FETCHER % json.dumps(f"{LAYERS_URL}/{name}")
        self.ensure()

    def ensure(self) -> str:
        """`arg`, after making sure the file is there (written again if something removed it since)."""
        if not self.path.exists():
            folder = self.path.parent
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".part", delete=False) as out:
                out.write(self.text)
            os.replace(out.name, self.path)  # whole or not at all: another server may be serving the folder
            _prune(folder)
        return self.arg


def layer_file_text(arg: str, folder: Path = LAYERS_DIR) -> str | None:
    """The layers script a map argument made by `FetchedLayers` fetches (None if it fetches none)."""
    start = arg.find(LAYERS_URL + "/")
    if start < 0:
        return None
    name = arg[start + len(LAYERS_URL) + 1:].split('"', 1)[0]
    return (folder / name).read_text(encoding="utf-8")


def _prune(folder: Path) -> None:
    """Keep the newest KEEP_LAYER_FILES files, and any written in the last hour (a page may still fetch them)."""
    try:
        files = sorted(((p.stat().st_mtime, p) for p in folder.iterdir() if p.suffix in (".js", ".part")),
                       reverse=True)
    except OSError:
        return
    now = time.time()
    for mtime, path in files[KEEP_LAYER_FILES:]:
        if now - mtime > _KEEP_YOUNGER_S:
            path.unlink(missing_ok=True)
