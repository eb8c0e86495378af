"""The folium map, built from the filtered events frame: one marker per place, never one per event.

    places = aggregate_places(events)
    m = build_map(places, datelines, mode="markers", cluster=True)

Why per place: folium costs ~0.7 ms and ~0.7 kB per element, so 100k per-event markers mean a
minute of rendering and 70 MB of HTML. Here all places travel as one JSON array read by one small
script, so the HTML grows with the number of places shown and a popup lists only the latest few events.
A popup travels as data (its events' fields, each distinct text once in a table shared by the layer) and is
made into HTML in the browser when it opens; every text from articles is escaped there (`esc`), and the JSON
carries no `<`, `>` or `&` at all (see `_json_for_script`).
"""

from __future__ import annotations

import html
import json
import math

import folium
import folium.plugins
import numpy as np
import pandas as pd
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from dashboard.palette import DATELINE_COLOUR, TYPE_COLOURS, colour_of

LINK_STATE_KEYS = ("datelines", "play_to", "basemap")  # URL keys the map's script keeps (layer, playback, basemap)
POPUP_EVENTS = 5  # latest events listed in a place's popup (fewer when many places are shown)
POPUP_LINES = 4_000  # popup lines for the whole map: 2 per place at 2,000 places
TILE_ATTRIBUTION = ('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors; '
                    'places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)')
_CARTO = ' &copy; <a href="https://carto.com/attributions">CARTO</a>'
_ESRI = ('Imagery &copy; <a href="https://www.esri.com/">Esri</a>, Maxar, Earthstar Geographics and the GIS User '
         'Community; places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)')
# name -> (tile URL, attribution, max zoom, the colour of its offline stand-in tile)
BASEMAPS: dict[str, tuple[str, str, int, str]] = {
    "OpenStreetMap": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", TILE_ATTRIBUTION, 19, "#e9e5dc"),
    "Light": ("https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png", TILE_ATTRIBUTION + _CARTO, 20, "#f4f4f2"),
    "Dark": ("https://{s}.basemaps.cartocdn.com/dark_all/{z}/{x}/{y}{r}.png", TILE_ATTRIBUTION + _CARTO, 20, "#262a2e"),
    "Satellite": ("https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
                  _ESRI, 18, "#3a4636"),
}
DEFAULT_BASEMAP = "OpenStreetMap"


def _offline_tile(colour: str) -> str:
    """A plain tile as a data: URL (no request at all), for CLASHMAP_OFFLINE_ASSETS=1: tests and offline machines."""
    return ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='256' height='256'%3E%3Crect "
            f"width='256' height='256' fill='%23{colour.lstrip('#')}'/%3E%3C/svg%3E")

# The first map script of a page (the base map's BasemapChoice, or a PlaceLayer when there is no basemap) makes the
# browser-side view and starts the timer that keeps it in the page's link.
_KEEPER = """
    // First map of this page: the state the link opened with (read by the server before it rewrote the URL).
    kept = host.__cmMapView = %s;
    // Made and started in the page's own realm: the map's iframe is replaced on some reruns, and timers
    // started from a replaced document stop.
    new host.Function(
      "var keys = ['datelines', 'play_to', 'basemap'], history = window.history;" +
      // the address with the map's keys as the map holds them now, or null when it has them already
      "function withKept(address) {" +
      " var kept = window.__cmMapView, u = new URL(address, window.location.href), changed = false;" +
      " keys.forEach(function(k) { var want = kept[k] || null;" +
      "  if (u.searchParams.get(k) !== want) { changed = true;" +
      "   if (want === null) { u.searchParams.delete(k); } else { u.searchParams.set(k, want); } } });" +
      " return changed ? u.toString() : null; }" +
      // Streamlit rewrites the link with the query of the run's request, which can predate a key the map set since:
      // each address it writes gets the map's keys at once, not after a gap in which a copied link misses them.
      "['pushState', 'replaceState'].forEach(function(name) { var own = history[name];" +
      " history[name] = function(state, title, address) {" +
      "  var fixed = address === undefined || address === null ? null : withKept(String(address));" +
      "  return own.call(history, state, title, fixed || address); }; });" +
      // a key the map itself changes (a layer shown, a playback step) goes into the link within 0.3 s
      "window.setInterval(function() { var fixed = withKept(window.location.href);" +
      " if (fixed) { try { history.replaceState(history.state, '', fixed); } catch (e) {} } }, 300);")();"""


class BasemapChoice(MacroElement):
    """Keeps the basemap picked in the layer control across redraws and in the link (`basemap=Dark`)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function() {
  var host = window;
  try { if (window.parent.location.href) { host = window.parent; } } catch (e) {}
  var kept = host.__cmMapView;
  if (!kept) {
    {{ this.keeper }}
  }
  var map = {{ this._parent.get_name() }}, layers = { {% for name, layer in this.layers %}{{ name | tojson }}: {{ layer }}{{ "," if not loop.last }}{% endfor %} };
  var want = kept.basemap;
  if (want && layers[want] && !map.hasLayer(layers[want])) {
    Object.keys(layers).forEach(function(k) { if (map.hasLayer(layers[k])) { map.removeLayer(layers[k]); } });
    layers[want].addTo(map);
  }
  map.on("baselayerchange", function(e) {
    if (e.name === {{ this.default | tojson }}) { delete kept.basemap; } else { kept.basemap = e.name; }
  });
})();
{% endmacro %}
""")

    def __init__(self, layers: dict, link_state: dict | None) -> None:
        super().__init__()
        self._name = "BasemapChoice"
        self.layers = [(name, layer.get_name()) for name, layer in layers.items()]
        self.default = DEFAULT_BASEMAP
        self.link_state = _json_for_script({k: str(v) for k, v in (link_state or {}).items() if k in LINK_STATE_KEYS})
        self.keeper = _KEEPER % self.link_state


def add_basemaps(m: folium.Map, offline: bool | None = None) -> dict:
    """The four basemaps as the layer control's base layers (OpenStreetMap shown). Offline, plain tiles
    from data: URLs stand in for them (same names, same attributions): no request leaves the machine."""
    if offline is None:
        from dashboard.offline_assets import offline_requested

        offline = offline_requested()
    layers = {}
    for name, (url, attribution, max_zoom, colour) in BASEMAPS.items():
        layers[name] = folium.TileLayer(_offline_tile(colour) if offline else url, attr=attribution, name=name,
                                        max_zoom=max_zoom, max_native_zoom=min(max_zoom, 19), overlay=False,
                                        control=True, show=name == DEFAULT_BASEMAP)
        layers[name].add_to(m)
    return layers


def _losses_text(losses) -> str:
    if not isinstance(losses, dict) or not losses:
        return ""
    return ", ".join(f"{count} {kind}" for kind, count in losses.items())


LINE_COLUMNS = ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "fatalities", "losses",
                "claimed_by", "contested", "article_ids")  # what _popup_event reads


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _popup_event(event_date, event_type, sub_event_type, actor1, actor2, fatalities, losses, claimed_by, contested,
                 article_ids) -> list:
    """One popup line as data, made into HTML in the browser (`popupHtml` in PlaceLayer): [day, type, sub-type,
    actor 1, actor 2, killed, other losses, claimed by, contested, article id]; texts raw (escaped there).
    Takes one event's LINE_COLUMNS, in that order."""
    day = event_date.date().isoformat() if not pd.isna(event_date) else None
    killed = int(fatalities) if isinstance(fatalities, (int, float)) and not pd.isna(fatalities) else None
    ids = article_ids if isinstance(article_ids, list) else []
    return [day, _text(event_type), _text(sub_event_type), _text(actor1), _text(actor2), killed,
            _losses_text(losses) or None, _text(claimed_by), 1 if contested else 0, ids[0] if ids else None]


def _columns(frame: pd.DataFrame, *names: str):
    """The rows of `frame`'s columns `names` as tuples of Python values: each column converted at once (its
    `tolist`), not row by row as `itertuples` does (Arrow strings one element at a time: 0.1-0.3 s at 100k)."""
    return zip(*(frame[name].tolist() for name in names))


def aggregate_places(events: pd.DataFrame) -> pd.DataFrame:
    """One row per place: coordinates, number of events, dominant type, tooltip, popup data ([name, number of
    events, number not listed, [latest events as `_popup_event`]])."""
    # only the columns read here: sorting or dropping rows takes every column it is given (at 100k events the
    # frame's two dozen columns, Arrow strings and lists, cost 0.4 s of `take` that these few do not)
    wanted = ["event_id", "place_id", "place", "country_code", "lat", "lon", *LINE_COLUMNS]
    located = events[[c for c in dict.fromkeys(wanted) if c in events.columns]]
    located = located.dropna(subset=["lat", "lon", "place_id"])
    columns = ["place_id", "place", "country_code", "lat", "lon", "n", "killed", "dominant", "mix", "tooltip", "popup",
               "weeks"]
    if located.empty:
        return pd.DataFrame(columns=columns)
    groups = located.groupby("place_id", sort=False)
    places = groups.agg(place=("place", "first"), country_code=("country_code", "first"),
                        lat=("lat", "first"), lon=("lon", "first"), n=("event_id", "size"))
    places["killed"] = pd.to_numeric(located["fatalities"], errors="coerce").fillna(0).groupby(located["place_id"]).sum()
    type_counts = located.groupby(["place_id", "event_type"]).size().reset_index(name="k")
    dominant = type_counts.sort_values(["place_id", "k", "event_type"], ascending=[True, False, True]) \
        .drop_duplicates("place_id").set_index("place_id")["event_type"]
    places["dominant"] = dominant
    # [colour, count, colour, count, ...] per place: a cluster's ring shows the mix of its places' types
    mix: dict = {}
    for r in type_counts.itertuples(index=False):
        mix.setdefault(r.place_id, []).extend((colour_of(r.event_type), int(r.k)))
    places["mix"] = pd.Series(mix, dtype=object)
    per_place = max(2, min(POPUP_EVENTS, POPUP_LINES // len(places)))
    # which rows: sorted and grouped on two columns, then only those rows of the others taken
    keys = pd.DataFrame({"event_date": located["event_date"].to_numpy(), "place_id": located["place_id"].to_numpy()})
    picked = keys.sort_values("event_date", ascending=False).groupby("place_id", sort=False).head(per_place)
    latest = located.take(picked.index.to_numpy())
    joined: dict = {}
    for place_id, *line in _columns(latest, "place_id", *LINE_COLUMNS):
        joined.setdefault(place_id, []).append(_popup_event(*line))
    places["lines"] = pd.Series(joined, dtype=object)
    places["weeks"] = _weekly_counts(located)
    places = places.reset_index()
    places["tooltip"] = [_tooltip(*r) for r in _columns(places, "place", "country_code", "n", "killed")]
    places["popup"] = [[str(place), int(n), max(int(n) - per_place, 0), lines if isinstance(lines, list) else []]
                       for place, n, lines in _columns(places, "place", "n", "lines")]
    return places[columns].sort_values("n", ascending=False, kind="stable").reset_index(drop=True)


def _weekly_counts(located: pd.DataFrame) -> pd.Series:
    """Per place, a flat [week, count, week, count, ...] list for the playback (weeks since the first event).

    Bounded by places x weeks, not by events: a year of data adds at most 53 pairs per place."""
    dated = located.dropna(subset=["event_date"])
    if dated.empty:
        return pd.Series(dtype=object)
    t0 = dated["event_date"].min().normalize()
    week = ((dated["event_date"] - t0).dt.days // 7).astype(int)
    counts = dated.groupby([dated["place_id"], week.rename("week")]).size()  # sorted by place, then week
    ids = counts.index.get_level_values(0).to_numpy()
    pairs = np.column_stack([counts.index.get_level_values(1).to_numpy(), counts.to_numpy()]).ravel().tolist()
    cuts = [0, *(np.flatnonzero(ids[1:] != ids[:-1]) + 1).tolist(), len(ids)]
    return pd.Series({ids[a].item(): pairs[2 * a:2 * b] for a, b in zip(cuts, cuts[1:])}, dtype=object)


def playback_start(events: pd.DataFrame) -> str | None:
    """The day week 0 of the playback starts on (the first dated event)."""
    dates = events.dropna(subset=["lat", "lon", "place_id", "event_date"])["event_date"]
    return dates.min().date().isoformat() if len(dates) else None


def _tooltip(place, country_code, n, killed=0) -> str:
    from dashboard.filters import country_name

    cc = f", {country_name(country_code)}" if isinstance(country_code, str) and country_code else ""
    dead = f" · {int(killed)} killed" if killed else ""
    return f"{place}{cc} · {int(n)} event{'s' if n != 1 else ''}{dead}"


def place_from_tooltip(tooltip: str | None, places: pd.DataFrame) -> int | None:
    """The place id whose tooltip text a marker click returned (streamlit-folium's last_object_clicked_tooltip)."""
    if not tooltip or places.empty:
        return None
    hit = places.loc[places["tooltip"] == tooltip.strip(), "place_id"]
    return int(hit.iloc[0]) if len(hit) else None


def nearest_place(lat: float, lon: float, places: pd.DataFrame, max_km: float = 25.0) -> int | None:
    """Fallback when a click carries only coordinates: the closest place within `max_km`."""
    if places.empty:
        return None
    dlat = (places["lat"] - lat).to_numpy()
    dlon = ((places["lon"] - lon) * math.cos(math.radians(lat))).to_numpy()
    dist = (dlat ** 2 + dlon ** 2) ** 0.5 * 111.2
    i = int(dist.argmin())
    return int(places["place_id"].iloc[i]) if dist[i] <= max_km else None


def _radius(n: int, n_max: int) -> float:
    """Marker radius in pixels: area grows with the count, kept readable from 0 to the largest place."""
    return round(5 + 17 * math.sqrt(max(n, 0) / max(n_max, 1)), 1)


def _json_for_script(value) -> str:
    # No `<`, `>` or `&` at all (JSON strings allow the escaped forms): `</script` would end the element early and
    # `<!--<script` would keep the real end tag from ending it; the page's text holds no markup from articles.
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


class PlaceLayer(JSCSSMixin, folium.map.Layer):
    """All place markers from one JSON array: circle markers, optionally clustered.

    Each marker carries an escaped tooltip (the click handler of streamlit-folium returns its text) and a popup:
    HTML escaped on the server (a string: the dateline cities), or data (a list, see `aggregate_places`) made into
    HTML here when the popup opens, every text through `esc`.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function() {
  // The page's URL (the map lives in a same-origin component iframe; a standalone file uses its own).
  function pageUrl() { try { return new URL(window.parent.location.href); } catch (e) { return null; } }
  // The browser-side view (dateline layer shown, playback position) is kept in the page's window, which
  // outlives a redraw of the map, and written into the page's link; Streamlit rewrites the link on each
  // run without these keys, so they are put back when missing.
  var host = window;
  try { if (window.parent.location.href) { host = window.parent; } } catch (e) {}
  var kept = host.__cmMapView;
  if (!kept) {
    {{ this.keeper }}
  }
  function keepInUrl(key, value) {
    if (value === null) { delete kept[key]; } else { kept[key] = value; }
  }
  var linked = {searchParams: {get: function(k) { return kept[k] || null; }}};
  // A cluster is neutral (white, dark number of events) with a ring showing the mix of its event types in the
  // legend's colours: never the green/yellow/orange of Leaflet.markercluster, which read as event types.
  function clusterIcon(cluster) {
    var mix = {}, total = 0, kids = cluster.getAllChildMarkers();
    for (var i = 0; i < kids.length; i++) {
      var m = kids[i].options.cmMix || [];
      for (var j = 0; j < m.length; j += 2) { mix[m[j]] = (mix[m[j]] || 0) + m[j + 1]; total += m[j + 1]; }
    }
    var stops = [], at = 0;
    Object.keys(mix).sort(function(a, b) { return mix[b] - mix[a]; }).forEach(function(c) {
      var end = at + 100 * mix[c] / Math.max(total, 1);
      stops.push(c + " " + at.toFixed(1) + "% " + end.toFixed(1) + "%"); at = end;
    });
    var size = Math.round(30 + 4 * Math.min(4, Math.log10(Math.max(total, 1))));
    var html = '<div class="cm-cluster" title="' + total + ' events in ' + kids.length + ' places" style="width:' + size +
      'px;height:' + size + 'px;background:conic-gradient(' + (stops.join(",") || "#999 0 100%") + ')"><span>' + total + '</span></div>';
    return L.divIcon({html: html, className: "marker-cluster cm-cluster-icon", iconSize: L.point(size, size)});
  }
  // Popups are made when they open, from the row's data and the layer's table of texts: all of it escaped.
  var texts = {{ this.strings }};
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function(c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; });
  }
  function text(i) { return i === null || i === undefined ? "" : texts[i]; }
  function popupHtml(p) {
    var lines = p[3].map(function(e) {
      var sub = text(e[2]), parts = ["<b>" + esc(e[0] || "undated") + "</b> " + esc(text(e[1])) + (sub ? " (" + esc(sub) + ")" : "")];
      var actors = [text(e[3]), text(e[4])].filter(function(a) { return a; }).map(esc).join(" vs ");
      if (actors) { parts.push(actors); }
      var losses = text(e[6]);
      if (e[5] !== null && e[5] !== undefined) { losses = e[5] + " killed" + (losses ? "; " + losses : ""); }
      if (losses) { parts.push("losses: " + esc(losses)); }
      if (text(e[7])) { parts.push("claimed by " + esc(text(e[7])) + (e[8] ? " (contested)" : "")); }
      // absolute: the map lives in a component iframe
      if (e[9]) { parts.push('<a href="' + esc("/article?id=" + encodeURIComponent(e[9])) + '" target="_blank">article</a>'); }
      return "<li>" + parts.join(" \u00b7 ") + "</li>";
    });
    return "<div class='cm-pop'><b>" + esc(p[0]) + "</b> (" + p[1] + " event" + (p[1] !== 1 ? "s" : "") + ")<ul>" +
      lines.join("") + "</ul>" + (p[2] > 0 ? "<i>+" + p[2] + " earlier (click to list them below)</i>" : "") + "</div>";
  }
  function popupOf(p) { return function() { return popupHtml(p); }; }
  var group = {{ 'L.markerClusterGroup({disableClusteringAtZoom: 9, maxClusterRadius: 40, iconCreateFunction: clusterIcon})' if this.cluster else 'L.featureGroup()' }};
  var rows = {{ this.data }}, markers = [];
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    var opts = {radius: r[2], color: r[3], weight: {{ this.weight }}, fillColor: r[3], cmMix: r[7] || [r[3], 1],
                fillOpacity: {{ this.fill_opacity }}, dashArray: {{ this.dash | tojson }}, className: {{ this.css_class | tojson }}};
    var marker = L.circleMarker([r[0], r[1]], opts);
    marker.bindTooltip(r[4]);
    if (r[5]) { marker.bindPopup(typeof r[5] === "string" ? r[5] : popupOf(r[5]), {maxWidth: 360}); }
    group.addLayer(marker);
    markers.push([marker, r[6] || [], r[2]]);
  }
  {% if this.playback_start %}
  // Playback: step through weeks; a place shows once its first event is reached, growing with its count.
  var t0 = new Date({{ this.playback_start | tojson }} + "T00:00:00Z"), maxWeek = 0, nMax = 1;
  markers.forEach(function(m) {
    var total = 0;
    for (var j = 0; j < m[1].length; j += 2) { maxWeek = Math.max(maxWeek, m[1][j]); total += m[1][j + 1]; }
    nMax = Math.max(nMax, total);
  });
  function showWeek(step) {
    markers.forEach(function(m) {
      var n = 0;
      for (var j = 0; j < m[1].length; j += 2) { if (m[1][j] <= step) { n += m[1][j + 1]; } }
      var on = group.hasLayer(m[0]);
      if (n === 0 && on) { group.removeLayer(m[0]); }
      if (n > 0) { m[0].setRadius(5 + 17 * Math.sqrt(n / nMax)); if (!on) { group.addLayer(m[0]); } }
    });
    var day = new Date(t0.getTime() + (step * 7 + 6) * 86400000);
    label.textContent = step >= maxWeek ? "all dates" : "to " + day.toISOString().slice(0, 10);
    // The position lives in the link (`play_to`), so a filter change or a shared link keeps it.
    keepInUrl("play_to", step >= maxWeek ? null : day.toISOString().slice(0, 10));
  }
  var label, slider, timer = null;
  var control = L.control({position: "bottomright"});
  control.onAdd = function() {
    var div = L.DomUtil.create("div", "cm-playback leaflet-bar");
    div.style.cssText = "background:#fff;padding:4px 6px;font:12px sans-serif";
    var button = L.DomUtil.create("button", "cm-play", div);
    button.type = "button"; button.textContent = "\u25B6 Play"; button.title = "Play the events back week by week";
    slider = L.DomUtil.create("input", "cm-week", div);
    slider.type = "range"; slider.min = 0; slider.max = maxWeek; slider.value = maxWeek;
    slider.style.cssText = "width:130px;vertical-align:middle;margin:0 6px";
    label = L.DomUtil.create("span", "cm-week-label", div);
    label.textContent = "all dates";
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.on(slider, "input", function() { showWeek(+slider.value); });
    L.DomEvent.on(button, "click", function() {
      if (timer) { clearInterval(timer); timer = null; button.textContent = "\u25B6 Play"; return; }
      var step = +slider.value >= maxWeek ? 0 : +slider.value;
      button.textContent = "\u23F8 Pause";
      timer = setInterval(function() {
        slider.value = step; showWeek(step); step += 1;
        if (step > maxWeek) { clearInterval(timer); timer = null; button.textContent = "\u25B6 Play"; }
      }, 700);
    });
    return div;
  };
  control.addTo({{ this._parent.get_name() }});
  // removed when the layers are replaced (see MapLayers)
  ({{ this._parent.get_name() }}.__cmControls = {{ this._parent.get_name() }}.__cmControls || []).push(control);
  var playTo = linked && linked.searchParams.get("play_to");
  if (playTo && !isNaN(new Date(playTo + "T00:00:00Z"))) {
    var step = Math.floor((new Date(playTo + "T00:00:00Z") - t0) / (7 * 86400000));
    step = Math.max(0, Math.min(maxWeek, step));
    slider.value = step; showWeek(step);
  }
  {% endif %}
  {% if this.cluster is not none and not this.url_key %}
  // A narrow map (a phone) starts with its legend and layer list folded, so they do not cover it.
  setTimeout(function() {
    var owner = {{ this._parent.get_name() }}, box = owner.getContainer();
    if (owner.getSize().x >= 560) { return; }
    var legend = document.querySelector(".cm-legend");
    if (legend) { legend.open = false; }
    var layers = box.querySelector(".leaflet-control-layers"), toggle = layers && layers.querySelector(".leaflet-control-layers-toggle");
    if (!layers || !toggle) { return; }
    layers.classList.remove("leaflet-control-layers-expanded");
    L.DomEvent.on(toggle, "click", function(e) { L.DomEvent.preventDefault(e); layers.classList.add("leaflet-control-layers-expanded"); });
    owner.on("click", function() { layers.classList.remove("leaflet-control-layers-expanded"); });
  }, 0);
  {% endif %}
  {% if this.url_key %}
  // Shown or hidden with the layer control: kept in the link as `{{ this.url_key }}=1`.
  var owner = {{ this._parent.get_name() }};
  owner.on("overlayadd", function(e) { if (e.layer === group) { keepInUrl({{ this.url_key | tojson }}, "1"); } });
  owner.on("overlayremove", function(e) { if (e.layer === group) { keepInUrl({{ this.url_key | tojson }}, null); } });
  if (linked && linked.searchParams.get({{ this.url_key | tojson }}) === "1") { group.addTo(owner); }
  {% endif %}
  return group;
})();
{% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
{% endmacro %}
""")

    def __init__(self, rows: list, name: str, *, cluster: bool = False, show: bool = True, dash=None,
                 weight: int = 1, fill_opacity: float = 0.75, css_class: str = "cm-place",
                 playback_start: str | None = None, url_key: str | None = None,
                 link_state: dict | None = None, strings: list[str] | None = None) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self.strings = _json_for_script(strings or [])
        self.url_key = url_key
        self.link_state = _json_for_script({k: str(v) for k, v in (link_state or {}).items()
                                            if k in LINK_STATE_KEYS})
        self._name = "PlaceLayer"
        self.keeper = _KEEPER % self.link_state
        self.data = _json_for_script(rows)
        self.cluster = cluster
        self.dash = dash
        self.weight = weight
        self.fill_opacity = fill_opacity
        self.css_class = css_class
        self.playback_start = playback_start
        # Marker-cluster assets as folium declares them (CDN, or local when offline_assets patched them).
        self.default_js = list(folium.plugins.MarkerCluster.default_js) if cluster else []
        self.default_css = list(folium.plugins.MarkerCluster.default_css) if cluster else []

    def render(self, **kwargs) -> None:
        """Like folium's render, minus the Jinja compilation of the output (see `_RawScript`)."""
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        figure.script.add_child(_RawScript(self._template.module.script(self, kwargs)), name=self.get_name())


class _RawScript(Element):
    """Script text added to the page as is. branca would compile it as a Jinja template, which costs a
    tokenizer pass over megabytes and would read `{{` or `{%` in an article as template code."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class Legend(MacroElement):
    """The legend as a Leaflet control in the bottom-left corner: Leaflet stacks it above the scale (never over
    it), and it is folded on a narrow map. Marker colour = event type; size = events or killed (the switch)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function() {
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function() {
    var box = L.DomUtil.create("div", "cm-legend-box");
    box.innerHTML = {{ this.html | tojson }};
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  legend.addTo({{ this._parent.get_name() }});
  ({{ this._parent.get_name() }}.__cmControls = {{ this._parent.get_name() }}.__cmControls || []).push(legend);
})();
{% endmacro %}
""")

    def __init__(self, size_by: str = "events") -> None:
        super().__init__()
        self._name = "Legend"
        swatch = ('<span style="display:inline-block;width:9px;height:9px;border-radius:5px;background:{};'
                  'margin-right:4px"></span>{}<br>')
        items = "".join(swatch.format(colour, html.escape(label)) for label, colour in TYPE_COLOURS.items())
        size = "number of reported killed" if size_by == "fatalities" else "number of events"
        self.html = (
            '<details open class="cm-legend" style="background:rgba(255,255,255,.92);padding:4px 7px;border-radius:4px;'
            'font:11px/1.35 sans-serif;box-shadow:0 0 4px rgba(0,0,0,.3);max-width:210px">'
            '<summary style="cursor:pointer;font-weight:bold">Legend</summary>' + items
            + f'<span style="display:inline-block;width:9px;height:9px;border:2px dashed {DATELINE_COLOUR};'
            'margin-right:4px"></span>Dateline city (layer, off by default)<br>'
            '<span class="cm-cluster" style="display:inline-flex;width:14px;height:14px;vertical-align:middle;'
            'margin-right:4px;background:conic-gradient(#d62728 0 60%,#ff7f0e 60% 100%)"><span style="font-size:0">'
            '</span></span>Cluster: events nearby, ring = their types<br>'
            f'<i>Colour: dominant type. Size: {size}</i></details>')


CSS = """
<style>
.cm-cluster-icon.marker-cluster { background: none; border: none; }
.cm-cluster-icon .cm-cluster { margin: 0; }
.cm-cluster { border-radius: 50%; display: flex; align-items: center; justify-content: center;
              box-shadow: 0 0 0 1px rgba(60,60,60,.7), 0 1px 3px rgba(0,0,0,.35); }
.cm-cluster > span { background: #fff; color: #333; border-radius: 50%; width: 68%; height: 68%; display: flex;
                     align-items: center; justify-content: center; font: bold 11px sans-serif; }
</style>
"""


class Strings:
    """Each distinct text once: `strings(text)` is its index in `strings.values` (None stays None). A popup's
    type, actors, losses and claimant are mostly the same few texts over thousands of places."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, text: str | None) -> int | None:
        if text is None:
            return None
        found = self._index.get(text)
        if found is None:
            found = self._index[text] = len(self.values)
            self.values.append(text)
        return found


# the fields of a `_popup_event` that go through the strings table: type, sub-type, actors, losses, claimant
_SHARED_FIELDS = (1, 2, 3, 4, 6, 7)


def _compact_popup(popup, strings: Strings) -> list:
    name, n, more, events = popup
    return [name, n, more, [[strings(v) if i in _SHARED_FIELDS else v for i, v in enumerate(e)] for e in events]]


def place_rows(places: pd.DataFrame, size_by: str = "events", strings: Strings | None = None) -> list:
    """One JSON row per place; `size_by` "events" or "fatalities" (reported killed) sets the marker's radius.
    The popup's shared texts go into `strings` (the layer's table, see `PlaceLayer`)."""
    strings = strings if strings is not None else Strings()
    column = "killed" if size_by == "fatalities" else "n"
    top = int(places[column].max()) if len(places) else 1
    return [[round(float(lat), 5), round(float(lon), 5), _radius(int(size), top), colour_of(dominant),
             html.escape(tooltip), _compact_popup(popup, strings), weeks if isinstance(weeks, list) else [],
             mix if isinstance(mix, list) else []]
            for lat, lon, size, dominant, tooltip, popup, weeks, mix
            in _columns(places, "lat", "lon", column, "dominant", "tooltip", "popup", "weeks", "mix")]


def dateline_rows(datelines: pd.DataFrame) -> list:
    rows = []
    for r in datelines.itertuples(index=False):
        label = f"Dateline: {r.place} · {int(r.n_articles)} report{'s' if r.n_articles != 1 else ''} filed here"
        rows.append([round(float(r.lat), 5), round(float(r.lon), 5), 7, DATELINE_COLOUR, html.escape(label),
                     f"<b>{html.escape(label)}</b><br>Where reports were filed, not where events happened."])
    return rows


def trimmed_box(places: pd.DataFrame) -> tuple[float, float, float, float]:
    """(south, west, north, east) holding most events: weighted by events and trimmed, so one far-away
    report does not zoom the whole map out."""
    repeat = places["n"].clip(upper=1000).astype(int).to_numpy()
    lats = np.repeat(places["lat"].to_numpy(dtype=float), repeat)
    lons = np.repeat(places["lon"].to_numpy(dtype=float), repeat)
    lo, hi = (0.05, 0.95) if len(lats) >= 40 else (0.0, 1.0)
    return (float(np.quantile(lats, lo)), float(np.quantile(lons, lo)),
            float(np.quantile(lats, hi)), float(np.quantile(lons, hi)))


def map_bounds(places: pd.DataFrame) -> tuple[tuple[float, float], int]:
    """A centre and zoom for the first frame (the browser then fits the box exactly)."""
    if places.empty:
        return (40.0, 45.0), 4
    lat_min, lon_min, lat_max, lon_max = trimmed_box(places)
    span = max(lat_max - lat_min, (lon_max - lon_min) * 0.6, 0.05)
    zoom = int(max(2, min(11, math.floor(math.log2(200 / span)))))
    return (round((lat_min + lat_max) / 2, 4), round((lon_min + lon_max) / 2, 4)), zoom


MAP_TOKEN = "__cm_map__"  # stands for the map's variable in a layers script until it is placed on a map


class LayerList(MacroElement):
    """The layer control: the basemaps, then the overlays the layers script adds (`map.__cmLayerControl`), so a
    redraw of the layers replaces their entries without rebuilding the map."""

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.__cmLayerControl = L.control.layers(
  { {% for name, layer in this.layers %}{{ name | tojson }}: {{ layer.get_name() }}{{ "," if not loop.last }}{% endfor %} },
  {}, {collapsed: false, autoZIndex: true}).addTo({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, basemaps: dict) -> None:
        super().__init__()
        self._name = "LayerList"
        self.layers = list(basemaps.items())


class MapAssets(JSCSSMixin, MacroElement):
    """The plugins' scripts and styles for the dashboard's map: both the marker clusters and the heatmap, loaded
    once with the map, so that switching mode or clustering only replaces the layers (see `MapLayers`)."""

    _template = Template("{% macro script(this, kwargs) %}{% endmacro %}")

    def __init__(self, cluster: bool = True, heat: bool = True) -> None:
        super().__init__()
        self._name = "MapAssets"
        self.default_js = ((list(folium.plugins.MarkerCluster.default_js) if cluster else [])
                           + (list(folium.plugins.HeatMap.default_js) if heat else []))
        self.default_css = list(folium.plugins.MarkerCluster.default_css) if cluster else []


def layers_script(places: pd.DataFrame, datelines: pd.DataFrame | None = None, *, mode: str = "markers",
                  cluster: bool = True, show_datelines: bool = False, playback_start: str | None = None,
                  link_state: dict | None = None, size_by: str = "events") -> str:
    """What the map draws from the data, as one script for a map named `MAP_TOKEN`: the places (markers,
    clustered or not, or a heatmap), the dateline cities, the playback control and the legend.

    The script first takes away what an earlier one drew (layers, their layer-control entries, controls), so the
    dashboard sends it to the map already on screen (streamlit-folium's `feature_group_to_add`) instead of
    rebuilding the map: a filter, mode or size change redraws the markers, and the basemap, the view and the
    tiles stay. The text depends on the data and the view options only: it can be kept and shared by sessions."""
    holder = folium.Map(tiles=None)  # the parts render against a stand-in map, renamed to MAP_TOKEN below
    parts, layers = [], []
    if mode == "heatmap":
        points = [[round(float(r.lat), 5), round(float(r.lon), 5), float(r.n)] for r in places.itertuples(index=False)]
        parts.append(f"var cm_heat = L.heatLayer({_json_for_script(points)}, "
                     "{radius: 25, maxZoom: 10, minOpacity: 0.5, blur: 15}).addTo(__cm_map__);")
        layers.append(("cm_heat", "Heatmap of events"))
    else:
        strings = Strings()
        rows = place_rows(places, size_by, strings)
        place_layer = PlaceLayer(rows, "Event places", cluster=cluster, playback_start=playback_start,
                                 link_state=link_state, strings=strings.values)
        holder.add_child(place_layer)
        parts.append(place_layer._template.module.script(place_layer, {}))
        layers.append((place_layer.get_name(), "Event places"))
    if datelines is not None and len(datelines):
        dateline_layer = PlaceLayer(dateline_rows(datelines), "Dateline cities", show=show_datelines, dash="4 3",
                                    weight=3, fill_opacity=0.0, css_class="cm-dateline", url_key="datelines",
                                    link_state=link_state)
        holder.add_child(dateline_layer)
        parts.append(dateline_layer._template.module.script(dateline_layer, {}))
        layers.append((dateline_layer.get_name(), "Dateline cities"))
    if mode != "heatmap":
        legend = Legend(size_by)
        holder.add_child(legend)
        parts.append(legend._template.module.script(legend, {}))
    names = "[" + ", ".join(f"[{var}, {json.dumps(label)}]" for var, label in layers) + "]"
    body = "\n".join(parts).replace(holder.get_name(), MAP_TOKEN)
    return f"""(function(__cm_map__) {{
  // what the previous layers script drew goes first
  if (__cm_map__.__cmDrop) {{ __cm_map__.__cmDrop(); }}
{body}
  var cmLayers = {names}, cmList = __cm_map__.__cmLayerControl;
  cmLayers.forEach(function(l) {{ if (cmList) {{ cmList.addOverlay(l[0], l[1]); }} }});
  // Leaflet's vector renderer draws a circle only inside the area it last measured (others stay "M0 0" until the
  // map moves): the layers come after the map was made, so it measures again now and once the frame has its size
  function cmMeasure() {{ __cm_map__.invalidateSize({{pan: false}}); __cm_map__.fire("moveend"); }}
  cmMeasure();
  window.requestAnimationFrame(cmMeasure);
  __cm_map__.__cmDrop = function() {{
    // out of the layer list first: a layer the list still holds announces its removal as the editor's own
    // (overlayremove), which would drop `datelines=1` from the link
    cmLayers.forEach(function(l) {{ if (cmList) {{ cmList.removeLayer(l[0]); }} __cm_map__.removeLayer(l[0]); }});
    (__cm_map__.__cmControls || []).forEach(function(c) {{ c.remove(); }});
    __cm_map__.__cmControls = [];
  }};
}})(__cm_map__);
"""


class MapLayers(MacroElement):
    """A `layers_script` text on a map. Named as a FeatureGroup: streamlit-folium's `feature_group_to_add` adds the
    variable `feature_group_<id>` to its map, and replaces it (and runs the new text) when the text changes."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.text() }}{% endmacro %}")

    def __init__(self, script: str) -> None:
        super().__init__()
        self._name = "FeatureGroup"
        self._script = script

    def text(self) -> str:
        # the handle streamlit-folium adds to the map and later removes; the script itself draws the layers
        return (self._script.replace(MAP_TOKEN, self._parent.get_name())
                + f"var {self.get_name()} = L.layerGroup();\n")

    def render(self, **kwargs) -> None:
        self.get_root().script.add_child(_RawScript(self.text()), name=self.get_name())


def build_base_map(view: dict | None = None, *, link_state: dict | None = None, tiles: str | None = "OpenStreetMap",
                   cluster_assets: bool = True, heat_assets: bool = True) -> folium.Map:
    """The map without its data: basemaps, layer control, scale, styles, plugin assets. `view`
    ({"center": (lat, lon), "zoom": z}) is where it opens. Its text does not change with the filters: the
    dashboard keeps one per session and sends the data as a `layers_script`."""
    centre, zoom = (tuple(view["center"]), int(view["zoom"])) if view else ((40.0, 45.0), 4)
    m = folium.Map(location=centre, zoom_start=zoom, tiles=None, max_zoom=18, control_scale=True)
    basemaps = add_basemaps(m) if tiles else {}
    m.get_root().header.add_child(Element(CSS), name="cm_css")
    if cluster_assets or heat_assets:
        m.add_child(MapAssets(cluster_assets, heat_assets))
    m.add_child(LayerList(basemaps))
    if basemaps:
        m.add_child(BasemapChoice(basemaps, link_state))
    return m


def build_map(places: pd.DataFrame, datelines: pd.DataFrame | None = None, *, mode: str = "markers",
              cluster: bool = True, show_datelines: bool = False, tiles: str | None = "OpenStreetMap",
              playback_start: str | None = None, view: dict | None = None,
              link_state: dict | None = None, size_by: str = "events") -> folium.Map:
    """A whole folium map of aggregated places (`build_base_map` + `layers_script`). `mode` is "markers" or "heatmap".

    `link_state` ({"datelines": "1", "play_to": day} from a link) is the browser-side view to start from.
    `view` ({"center": (lat, lon), "zoom": z}) opens the map there instead of around the places.
    With `playback_start` (the date of week 0, see `playback_start()`), a control plays the events back
    week by week in the browser, without rerunning the page. `size_by` ("events" or "fatalities") sizes the markers;
    `tiles` None draws no basemap, anything else the four of `BASEMAPS` (OpenStreetMap shown)."""
    if not view:
        centre, zoom = map_bounds(places)
        view = {"center": centre, "zoom": zoom}
    m = build_base_map(view, link_state=link_state, tiles=tiles, cluster_assets=mode != "heatmap" and cluster,
                       heat_assets=mode == "heatmap")
    m.add_child(MapLayers(layers_script(places, datelines, mode=mode, cluster=cluster, show_datelines=show_datelines,
                                        playback_start=playback_start, link_state=link_state, size_by=size_by)))
    return m


def standalone_html(m: folium.Map, title: str = "clashmap export") -> str:
    """The map as one HTML file an editor can attach to an e-mail (CDN assets, whatever the local setting)."""
    from dashboard.offline_assets import cdn_url_for

    page = m.get_root().render()
    for token in ("/app/static/vendor/",):
        while token in page:
            start = page.index(token)
            end = start + len(token)
            while end < len(page) and page[end] not in "\"' ":
                end += 1
            local = page[start:end]
            page = page.replace(local, cdn_url_for(local) or local)
            if cdn_url_for(local) is None:
                break
    head = f"<title>{html.escape(title)}</title>"
    return page.replace("<head>", "<head>" + head, 1)
