"""The map on the page: streamlit-folium's component, sent arguments made once and kept.

`st_folium(m, feature_group_to_add=[...])` renders the whole folium map on every script run (every pan, zoom,
click, filter change, new tab): its templates, the Jinja compilation of its tile layers, and regular
expressions and a `textwrap.dedent` over the layers script (~1 MB at 2,000 places). None of that changes while
the map's view options and data do not, so it is done once here and kept (see `dashboard.data.map_base` and
`map_script`), and each run only hands the kept strings to the same component, with the same arguments
`st_folium` would give it (its own helpers make them, so they are the same text).

    base = base_args(build_base_map(view))          # once per base map
    layers = layers_arg(layers_script(places))      # once per data and view options
    out = show(base, layers, key="map", ...)        # every run: no folium work
"""

from __future__ import annotations

import json
from typing import Callable, Iterable

import folium
import streamlit as st
import streamlit_folium
from streamlit_folium import _component_func, generate_js_hash

from dashboard import layer_files, offline_assets

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
    js, css = offline_assets.bundled(list(dict.fromkeys(js)), list(dict.fromkeys(css)))
    try:
        bounds = m.get_bounds()
    except AttributeError:
        bounds = [[None, None], [None, None]]
    (south, west), (north, east) = bounds
    return {"script": script, "header": header, "html": html, "id": streamlit_folium.get_full_id(m),
            "css_links": css, "js_links": js,
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


# where `layers_arg`'s text ends and streamlit-folium's own lines (the feature group it adds and keeps) begin
_GROUP_LINES = "\nvar feature_group_feature_group_0 = "
_LOADER = """(function(m) {
  // the layers script as a file of the server (dashboard/layer_files.py), named by its content: the browser keeps it.
  // Fetched, not a synchronous request (deprecated on the main thread): streamlit-folium binds its click handler to
  // the map's layers right after this text runs, to the group its next lines add among them; once the file has run,
  // that handler is bound to the layers it made too. A newer loader's run makes an older answer stale.
  var run = m.__cmLayersRun = (m.__cmLayersRun || 0) + 1;
  fetch(%s).then(function(r) {
    if (!r.ok) { throw new Error(String(r.status)); }
    return r.text();
  }).then(function(text) {
    if (m.__cmLayersRun !== run) { return; }
    (new Function("map_div", text))(m);
    var groups = window.feature_group || [], group = groups[groups.length - 1];
    var bound = group && group._events && group._events.click;
    if (!bound || !bound.length) { return; }
    var onClick = bound[0].fn;
    for (var id in m._layers) {
      var layer = m._layers[id];
      if (layer && typeof layer.on === "function") { layer.off("click", onClick); layer.on("click", onClick); }
    }
  }).catch(function(err) { console.error("clashmap: the map's layers did not load (" + err.message + ")"); });
})(map_div);"""
_LOADERS: dict[str, tuple[str, str, str]] = {}  # layers_arg text -> (digest, layers script, streamlit-folium's lines)


def layers_loader(layers: str | None) -> str | None:
    """The `feature_group` argument to send this run: with `clashmap serve` (dashboard/layer_files.py serves the
    layers) a few hundred bytes that fetch the layers script as a file, else `layers` itself."""
    if layers is None or not layer_files.served():
        return layers
    found = _LOADERS.get(layers)
    if found is None:
        head, marker, tail = layers.partition(_GROUP_LINES)
        if not marker:  # not the text layers_arg makes: sent as it is
            return layers
        if len(_LOADERS) > 64:
            _LOADERS.clear()
        found = _LOADERS[layers] = (layer_files.digest_of(head), head, marker + tail)
    digest, head, rest = found
    layer_files.publish(head, digest)  # kept (again) for this run's browser, by any server process
    # relative to the map's frame (<base>/component/<name>/index.html): the server's base path is kept
    return _LOADER % json.dumps("../.." + layer_files.path_for(digest)) + rest


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
                           feature_group=layers_loader(layers), return_on_hover=False, layer_control=None, pixelated=False,
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
