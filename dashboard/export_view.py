"""The standalone HTML map export: one file that opens from disk, from an e-mail, without internet.

    page = html_map(events, public_url="https://maps.newsroom.example")

The page is a folium map of the filtered events, one circle per place (never one element per event: the
places travel as one JSON array read by one small script, as on the dashboard), with:

- Leaflet and Leaflet.markercluster inlined (read from the `xstatic-leaflet*` packages the dashboard already
  uses offline; the CSS images as data: URIs); folium's other CDN assets (jQuery, Bootstrap, Font Awesome,
  awesome-markers) are not used by this map and are left out, so nothing but the map tiles is fetched;
- its legend (the event types shown, in the dashboard's colours, with counts) and the credits (OpenStreetMap,
  GeoNames, clashmap) inside the page, never under it;
- links to the article view made absolute with the deployment's public address (`CLASHMAP_PUBLIC_URL`); without
  one the links are left out and the page says so (a relative link would become `file:///article...`);
- every text that comes from articles (places, actors, claimants) escaped with `html.escape`, and the data
  array written so that no text can close its `<script>`.

The same page comes from `clashmap export --format html` and from the dashboard's "Export HTML map".
"""

from __future__ import annotations

import base64
import html
import json
import re
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import folium
import pandas as pd
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from dashboard.filters import country_name
from dashboard.palette import OTHER_COLOUR, TYPE_COLOURS, colour_of

CLUSTER_CDN = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.4.1"
POPUP_EVENTS = 5  # latest events listed per place
TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
CREDITS = ('Map data &copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors · '
           'places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)')
NO_LINKS_NOTE = ("Links to the articles are left out: this export was made without the dashboard's public "
                 "address (set CLASHMAP_PUBLIC_URL).")


@lru_cache(maxsize=1)
def _asset_files() -> dict[str, Path]:
    """File name as folium's CDN URLs end -> the same file installed from PyPI (xstatic packages)."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as cluster

    leaflet_dir, cluster_dir = Path(leaflet.BASE_DIR), Path(cluster.BASE_DIR)
    return {"leaflet.js": leaflet_dir / "leaflet.js", "leaflet.css": leaflet_dir / "leaflet.css",
            "leaflet.markercluster.js": cluster_dir / "leaflet.markercluster.js",
            "MarkerCluster.css": cluster_dir / "MarkerCluster.css",
            "MarkerCluster.Default.css": cluster_dir / "MarkerCluster.Default.css"}


@lru_cache(maxsize=8)
def _inline_text(name: str) -> str:
    path = _asset_files()[name]
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"//# sourceMappingURL=\S+", "", text)  # no request for a .map file
    if name.endswith(".css"):  # Leaflet's CSS points at images/...png: carry them inside the page
        def data_uri(match: re.Match) -> str:
            image = path.parent / match.group(1)
            if not image.is_file():
                return match.group(0)
            return f"url(data:image/png;base64,{base64.b64encode(image.read_bytes()).decode('ascii')})"
        text = re.sub(r"url\(\s*['\"]?(images/[\w.-]+\.png)['\"]?\s*\)", data_uri, text)
    # nothing in the file may close the element it is put in
    return re.sub(r"</(script|style)", r"<\\/\1", text, flags=re.IGNORECASE)


_SCRIPT_TAG = re.compile(r'<script src="([^"]+)"></script>')
_CSS_TAG = re.compile(r'<link rel="stylesheet" href="([^"]+)"\s*/?>')


def inline_assets(page: str) -> str:
    """Put the Leaflet files inside the page; drop any other external script or style sheet."""
    files = _asset_files()

    def script(match: re.Match) -> str:
        name = match.group(1).rsplit("/", 1)[-1]
        return f"<script>{_inline_text(name)}</script>" if name in files else ""

    def css(match: re.Match) -> str:
        name = match.group(1).rsplit("/", 1)[-1]
        return f"<style>{_inline_text(name)}</style>" if name in files else ""

    return _CSS_TAG.sub(css, _SCRIPT_TAG.sub(script, page))


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _event_line(row, public_url: str) -> str:
    """One popup line: date, type, actors, losses, who claims it, a link to the article view."""
    esc = html.escape
    day = row.event_date.date().isoformat() if not pd.isna(row.event_date) else "undated"
    kind = _text(row.event_type) or "Other"
    sub = _text(row.sub_event_type)
    parts = [f"<b>{esc(day)}</b> {esc(kind)}" + (f" ({esc(sub)})" if sub else "")]
    actors = " vs ".join(esc(a) for a in (_text(row.actor1), _text(row.actor2)) if a)
    if actors:
        parts.append(actors)
    if isinstance(row.fatalities, (int, float)) and not pd.isna(row.fatalities):
        parts.append(f"{int(row.fatalities)} killed")
    if _text(row.claimed_by):
        parts.append("claimed by " + esc(row.claimed_by) + (" (contested)" if row.contested else ""))
    ids = row.article_ids if isinstance(row.article_ids, list) else []
    if ids and public_url:
        href = f"{public_url}/article?{urlencode({'id': ids[0]})}"
        parts.append(f'<a href="{esc(href)}" target="_blank" rel="noopener">article</a>')
    return " · ".join(parts)


def place_rows(events: pd.DataFrame, public_url: str = "") -> list[list]:
    """[lat, lon, radius, colour, tooltip, popup HTML] per place, the busiest places first (whole-frame
    operations: one pass per column, not one per place)."""
    located = events.dropna(subset=["lat", "lon"])
    if located.empty:
        return []
    located = located.assign(
        cm_key=located["place_id"].fillna(-1).astype("int64").astype(str) + "|" + located["lat"].round(5).astype(str)
        + "|" + located["lon"].round(5).astype(str),
        cm_type=located["event_type"].where(located["event_type"].map(lambda v: isinstance(v, str) and v != ""),
                                            "Other"),
    ).sort_values("event_date", ascending=False, na_position="last", kind="stable")
    groups = located.groupby("cm_key", sort=False)
    counts = groups.size().sort_values(ascending=False, kind="stable")
    killed = groups["fatalities"].sum(min_count=1)
    dominant = (located.groupby(["cm_key", "cm_type"], sort=False).size().rename("c").reset_index()
                .sort_values("c", ascending=False, kind="stable").drop_duplicates("cm_key")
                .set_index("cm_key")["cm_type"])
    firsts = groups.head(1).set_index("cm_key")
    lines: dict[str, list[str]] = {}
    for row in groups.head(POPUP_EVENTS).itertuples(index=False):
        lines.setdefault(row.cm_key, []).append(_event_line(row, public_url))
    n_max = int(counts.iloc[0])
    rows = []
    for key, n in counts.items():
        first = firsts.loc[key]
        n = int(n)
        name = _text(first["place"]) or f"{first['lat']:.3f}, {first['lon']:.3f}"
        country = country_name(_text(first["country_code"]))
        label = f"{name}, {country}" if country else name
        dead = killed[key]
        head = (f"<b>{html.escape(label)}</b> · {n} event{'s' if n != 1 else ''}"
                + (f" · {int(dead)} killed" if not pd.isna(dead) else ""))
        more = f"<br><i>and {n - POPUP_EVENTS} earlier</i>" if n > POPUP_EVENTS else ""
        popup = f"<div class='cm-pop'>{head}<br>" + "<br>".join(lines[key]) + more + "</div>"
        radius = round(5 + 13 * (n / n_max) ** 0.5, 1)
        rows.append([round(float(first["lat"]), 5), round(float(first["lon"]), 5), radius,
                     colour_of(dominant[key]), html.escape(f"{label}: {n} event{'s' if n != 1 else ''}"), popup])
    return rows


def _script_json(value) -> str:
    """JSON safe inside <script>: no "</script>" or "<!--" can close or confuse the element."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class PlacesLayer(JSCSSMixin, MacroElement):
    """All places as one JSON array drawn by one script: circles in a cluster group with neutral clusters.
    Its files are declared as folium declares them (CDN addresses); `inline_assets` replaces them."""

    default_js = [("markerclusterjs", f"{CLUSTER_CDN}/leaflet.markercluster.js")]
    default_css = [("markerclustercss", f"{CLUSTER_CDN}/MarkerCluster.css")]

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var rows = {{ this.rows_json }};
  var group = L.markerClusterGroup({maxClusterRadius: 40, showCoverageOnHover: false,
    iconCreateFunction: function (cluster) {
      var n = cluster.getChildCount(), size = n < 10 ? 30 : n < 100 ? 36 : 44;
      return L.divIcon({html: '<div><span>' + n + '</span></div>', className: 'cm-cluster',
                        iconSize: L.point(size, size)});
    }});
  var bounds = [];
  rows.forEach(function (r) {
    var m = L.circleMarker([r[0], r[1]], {radius: r[2], color: '#333', weight: 1, fillColor: r[3],
                                          fillOpacity: 0.85, className: 'cm-place'});
    m.bindTooltip(r[4]);
    m.bindPopup(r[5], {maxWidth: 340});
    group.addLayer(m);
    bounds.push([r[0], r[1]]);
  });
  map.addLayer(group);
  // keep the markers clear of the legend (top right) and of the credits (bottom)
  var legend = document.querySelector('.cm-legend'), about = document.querySelector('.cm-about');
  // the credits sit above the scale bar and the attribution (on a phone they would cover both)
  var lift = 0;
  document.querySelectorAll('.leaflet-bottom').forEach(function (c) { lift = Math.max(lift, c.offsetHeight); });
  if (about) { about.style.bottom = (lift + 4) + 'px'; }
  var right = legend ? legend.offsetWidth + 30 : 30, bottom = about ? about.offsetHeight + lift + 20 : 30;
  if (bounds.length) { map.fitBounds(bounds, {paddingTopLeft: [40, 40], paddingBottomRight: [right, bottom],
                                              maxZoom: 10}); }
  window.clashmapPlaces = rows.length;
})();
{% endmacro %}
""")

    def __init__(self, rows: list[list]) -> None:
        super().__init__()
        self._name = "PlacesLayer"
        self.rows_json = _script_json(rows)

    def render(self, **kwargs) -> None:
        """folium's render without its second Jinja pass over the output, which would run `{{ ... }}` in an
        article's text as template code."""
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        figure.script.add_child(_Fixed(self._template.module.script(self, kwargs)), name=self.get_name())


class _Fixed(Element):
    """HTML added to the page as is (no Jinja pass over it: `{{` in a text stays text)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


PAGE_CSS = """<style>
html, body {height: 100%; margin: 0; padding: 0; overflow: hidden; font: 13px/1.35 system-ui, sans-serif}
.folium-map {position: absolute; top: 0; bottom: 0; left: 0; right: 0}
.cm-box {position: absolute; z-index: 1000; background: rgba(255,255,255,.93); border-radius: 4px;
         box-shadow: 0 0 4px rgba(0,0,0,.35); padding: 5px 8px; font-size: 12px}
.cm-legend {top: 10px; right: 10px; max-width: 240px}
.cm-legend summary {cursor: pointer; font-weight: bold}
.cm-swatch {display: inline-block; width: 10px; height: 10px; border-radius: 6px; margin-right: 5px;
            border: 1px solid #333; vertical-align: -1px}
.cm-about {bottom: 22px; left: 50%; transform: translateX(-50%); max-width: min(620px, 70%); text-align: center}
.cm-cluster div {background: rgba(70,70,70,.8); color: #fff; border-radius: 50%; width: 100%; height: 100%;
                 display: flex; align-items: center; justify-content: center; font-weight: bold;
                 box-shadow: 0 0 0 4px rgba(70,70,70,.25)}
.cm-pop {font-size: 12px; max-height: 260px; overflow-y: auto}
@media (max-width: 500px) {.cm-legend {max-width: 150px} .cm-about {max-width: 80%; font-size: 10px}}
</style>"""


def _legend(events: pd.DataFrame) -> str:
    counts = events.dropna(subset=["lat", "lon"])["event_type"].fillna("Other").value_counts()
    items = [(name, TYPE_COLOURS[name]) for name in TYPE_COLOURS if name in counts.index]
    items += [(name, OTHER_COLOUR) for name in counts.index if name not in TYPE_COLOURS]
    lines = "".join(f'<div><span class="cm-swatch" style="background:{colour}"></span>{html.escape(name)} '
                    f'({int(counts[name]):,})</div>' for name, colour in items)
    if not lines:
        lines = "<div>No placed events in this export.</div>"
    return (f'<details open class="cm-box cm-legend"><summary>Event types</summary>{lines}'
            '<div><i>Colour: most frequent type at the place. Size: number of events. '
            'Grey circles: several places, click to zoom.</i></div></details>')


def html_map(events: pd.DataFrame, public_url: str = "", title: str = "clashmap export",
             filters: str = "", now: datetime | None = None) -> str:
    """The filtered events as one standalone HTML page (see the module's docstring)."""
    public_url = (public_url or "").rstrip("/")
    now = now or datetime.now(timezone.utc)
    placed = events.dropna(subset=["lat", "lon"])
    m = folium.Map(location=[30.0, 30.0], zoom_start=3, tiles=None, max_zoom=18, control_scale=True)
    folium.TileLayer(TILES_URL, attr=CREDITS + " · events: clashmap", name="OpenStreetMap", max_zoom=18).add_to(m)
    m.add_child(PlacesLayer(place_rows(events, public_url)))
    root = m.get_root()
    root.header.add_child(_Fixed(f"<title>{html.escape(title)}</title>"), name="cm_title")
    root.header.add_child(_Fixed(PAGE_CSS), name="cm_css")
    root.html.add_child(_Fixed(_legend(events)), name="cm_legend")
    about = (f"{len(placed):,} event{'s' if len(placed) != 1 else ''} on the map"
             + (f" ({len(events) - len(placed):,} without a place left out)" if len(events) > len(placed) else "")
             + f" · exported {now.strftime('%Y-%m-%d %H:%M')} UTC"
             + (f" · filters: {html.escape(filters)}" if filters else ""))
    about += "<br>" + (f'Articles: <a href="{html.escape(public_url)}">{html.escape(public_url)}</a>'
                       if public_url else html.escape(NO_LINKS_NOTE))
    root.html.add_child(_Fixed(f'<div class="cm-box cm-about">{about}<br>{CREDITS}</div>'), name="cm_about")
    page = root.render()
    return inline_assets(page)
