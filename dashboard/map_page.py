"""The main page: filters in the sidebar, the map and the timeline, the event table, exports.

State lives in one place: widgets are seeded from `st.query_params` on a session's first run,
and after every run the URL is rewritten from the filters and the selection, so a copied link
reproduces the view. Selections narrow the *other* views: a timeline span narrows the map and
the table, a place clicked on the map narrows the timeline and the table, table rows narrow the map.
Viewers get the exports without article text (GeoJSON, HTML map); the CSV quotes it and is for editors.
"""

from __future__ import annotations

import time

import folium
import streamlit as st

from clashmap.settings import get_settings
from dashboard import data, feed, map_component
from dashboard.auth import can_edit
from dashboard.safe_text import md
from dashboard.filters import (Filters, Selection, apply_filters, apply_place, apply_rows, apply_span, country_name,
                               current_filters, empty_state, fatalities_total, readable_cells, seed_widgets, sidebar)
from dashboard.export_view import html_map
from dashboard.freshness import freshness_line
from dashboard.offline_assets import offline_requested
from dashboard.map_view import (LINK_STATE_KEYS, MapLayers, aggregate_places, build_base_map, layers_script, map_bounds,
                                place_from_tooltip, playback_start)
from dashboard.timeline import span_from_selection, timeline_chart
from store.db import default_url
from store.export import to_acled_csv, to_geojson

TABLE_LIMIT = 1000
MAP_HEIGHT = 560
READING_HELP = """
- **Markers**: one per place, coloured by its most frequent event type, sized by its number of events (or of
  reported killed: the size switch above the map). A cluster (a white disc with its number of events, ringed by the
  mix of its types) groups nearby places: clicking it zooms in and selects nothing.
- **Basemaps**: OpenStreetMap, Light, Dark, Satellite in the layer list (top right); the choice stays in the link.
- **Click a marker**: its popup lists the latest events with links to the articles; the timeline and the
  table narrow to that place (✕ above the map clears it).
- **Event feed** (beside the map, below it on a phone): the latest events first, with the original article
  and the article view; "Show on map" sends the map there and selects the place; a marker click narrows it.
- **Share the view**: the address bar holds the filters, the selection, the map's centre and zoom, the
  dateline layer and the playback position; copy it as it is.
"""
# No "last_object_clicked": a click is a place only by its tooltip (a cluster has none and only zooms).
MAP_RETURNS = ["last_object_clicked_tooltip", "last_object_clicked_count", "center", "zoom"]
VIEW_KEYS = ("mode", "cluster")
# `datelines` and `play_to` in the URL belong to the map's own script (see map_view.PlaceLayer): it keeps them
# in the page's link itself, so they are not written (nor dropped for good) here.


WIDGET_KEYS = ("f_dates", "f_type", "f_sub", "f_actor", "f_country", "f_place", "f_outlet", "f_contested", "f_q",
               "f_min_fat", "map_mode", "map_cluster", "map_size")


def _seed_from_url(events) -> None:
    """First run of a session: copy the URL's filters into the widgets' state.

    Later runs restore the widgets' values kept at the end of the last map run: Streamlit drops the state
    of widgets a run did not draw, so a visit to another page would otherwise lose the filters."""
    if st.session_state.get("_seeded"):
        for key, value in st.session_state.get("_kept_widgets", {}).items():
            if key not in st.session_state:
                st.session_state[key] = value
        return
    params = st.query_params.to_dict()
    f = Filters.from_query(params)
    ss = st.session_state
    dates = events["event_date"].dropna()
    lo = dates.min().date() if len(dates) else None
    hi = dates.max().date() if len(dates) else None
    seed_widgets(ss, f, lo, hi)  # dashboard/filters.py
    ss["sel"] = Selection.from_query(params)
    ss["map_mode"] = "Heatmap" if params.get("mode") == "heatmap" else "Markers"
    ss["map_cluster"] = params.get("cluster") != "0"
    ss["map_size"] = "Size: killed" if params.get("size") == "fatalities" else "Size: events"
    view = _view_from_query(params)
    if view:
        # The first frame opens there too: a view the map reported before applying `center`/`zoom`
        # would otherwise be taken for the editor's own and send the map back to its default view.
        ss["_map_view"] = ss["_link_view"] = view
    ss["_link_state"] = {k: params[k] for k in LINK_STATE_KEYS if params.get(k)}
    ss["_seeded"] = True


def _view_from_query(params) -> dict | None:
    """The map's centre and zoom from a shared link (`lat`, `lon`, `z`), or None for a missing or bad one."""
    try:
        lat, lon, zoom = float(params["lat"]), float(params["lon"]), int(params["z"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 1 <= zoom <= 18):
        return None
    return {"center": (lat, lon), "zoom": zoom}


def _view_query() -> dict[str, str]:
    view = st.session_state.get("_map_view")
    if not view:
        return {}
    (lat, lon), zoom = view["center"], view["zoom"]
    return {"lat": f"{lat:.4f}", "lon": f"{lon:.4f}", "z": str(int(zoom))}


def _browser_keys() -> dict[str, str]:
    """The map script's own keys (`datelines`, `play_to`) as the browser sent them: kept, not dropped, by a
    rewrite of the link (the script corrects them within a moment if they were stale)."""
    params = st.query_params.to_dict()
    return {k: params[k] for k in LINK_STATE_KEYS if params.get(k)}


def _write_view_to_url() -> None:
    """A pan or zoom reruns the map fragment only: the link is rewritten here, whole, from the session.

    Not key by key over `st.query_params`: a run's query params are the address the browser sent with its
    rerun request, and a map move sent while the run of a marker click or a ticked row was still on its way
    carries the address from before that selection; writing one key back over it would drop the selection
    from the link the editor copies."""
    if "_url_query" not in st.session_state:
        return  # the session's first run: `_write_url` writes the link at its end
    query = {**st.session_state["_url_query"], **_view_query(), **_browser_keys()}
    # the mode, clustering and size switches live in the map fragment: their values are the session's, now
    for key in ("mode", "cluster", "size"):
        query.pop(key, None)
    query.update(_map_options_query())
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def _sidebar(events, complete: bool) -> Filters:
    """The filters, drawn in the sidebar on a whole-page run. A map-first run (a new tab, see `_page_complete`)
    reads them from the session without drawing them: rendering the sidebar's ten widgets (date field, lists,
    radios) held the browser's main thread, which the map's frame shares, about 1 s before the map's frame was
    made; they come with the rest of the page, once the map has drawn."""
    if not complete:
        st.sidebar.caption("Loading the filters…")
        return current_filters(events)  # dashboard/filters.py: the same Filters the widgets will hold
    # the facets of the store state the events were read at: no second look at the store's change token
    return sidebar(events, data.facets(default_url(), data.token_of(events), events))  # dashboard/filters.py


def _clear_selection(part: str = "all") -> None:
    sel: Selection = st.session_state["sel"]
    if part in ("all", "span"):
        sel.span_start = sel.span_end = None
    if part in ("all", "place"):
        sel.place_id = None
    if part in ("all", "rows"):
        sel.events = []


def _on_feed_go(item: dict) -> None:
    """A feed item's "Show on map": its place is selected and the map goes there (zoomed in to 9 at least)."""
    ss = st.session_state
    ss["sel"].place_id = int(item["place_id"])
    ss["_feed_event"] = item["event_id"]
    zoom = max(int((ss.get("_map_view") or {}).get("zoom") or 0), 9)
    lat, lon = float(item["lat"]), float(item["lon"])
    before = (ss.get("_link_view") or {}).get("center")
    if before and abs(before[0] - lat) < 1e-9 and abs(before[1] - lon) < 1e-9:
        lat += 1e-7  # the map moves only for a target it was not sent before (see _map_target); 1e-7° is 1 cm
    # Both the map's target and its reported view (for the link): the map goes there, and stays there.
    ss["_map_view"] = ss["_link_view"] = {"center": (lat, lon), "zoom": zoom}


def _on_span() -> None:
    span = span_from_selection(st.session_state.get("timeline"))
    sel: Selection = st.session_state["sel"]
    sel.span_start, sel.span_end = span if span else (None, None)


def _on_rows() -> None:
    state = st.session_state.get("table")
    rows = list(state.selection.rows) if state is not None else []
    ids = st.session_state.get("_table_ids", [])
    st.session_state["sel"].events = [int(ids[i]) for i in rows if i < len(ids)]


def _map_options_query() -> dict[str, str]:
    """The map's mode, clustering and marker size in the link (only when not the default)."""
    query = {}
    if st.session_state.get("map_mode") == "Heatmap":
        query["mode"] = "heatmap"
    if not st.session_state.get("map_cluster", True):
        query["cluster"] = "0"
    if st.session_state.get("map_size") == "Size: killed":
        query["size"] = "fatalities"
    return query


def _write_url(f: Filters, sel: Selection) -> None:
    query = {**f.to_query(), **sel.to_query(), **_map_options_query()}
    st.session_state["_url_query"] = dict(query)  # the map fragment's own runs write the link from this
    query.update(_view_query())
    query.update(_browser_keys())
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def _dateline_frame(url, events):
    """Dateline cities of the articles behind the events in view, with how many of those articles."""
    ids = {a for xs in events["article_ids"] for a in xs}
    arts = data.article_datelines(url)
    arts = arts[arts["dateline_place_id"].notna()]
    # a set lookup per article: `Series.isin(set)` on Arrow strings converts the set item by item (30x slower)
    arts = arts.loc[[a in ids for a in arts["article_id"].tolist()]]
    counts = arts.groupby("dateline_place_id").size().rename("n_articles")
    places = data.datelines(url).drop(columns=["n_articles"]).set_index("place_id")
    return places.join(counts, how="inner").reset_index()


def _map_key() -> str:
    """The map widget's key: a Reset gives the map a new one, so the old map's last reported view (its widget
    value, or a move it reports while being replaced) cannot bring the view from before the reset back."""
    return f"map-{st.session_state.get('_map_generation', 0)}"


def _remember_view() -> None:
    """Runs before the rerun a pan or zoom causes, so the map is redrawn where the editor left it
    (reading the view after `st_folium` returns would pass the previous one and make the map jump back)."""
    value = st.session_state.get(_map_key()) or {}
    centre = value.get("center")
    if centre and value.get("zoom"):
        st.session_state["_map_view"] = {"center": (centre["lat"], centre["lng"]), "zoom": value["zoom"]}
        st.session_state["_map_reported"] = True  # the map has drawn: see _page_complete


def _data_view(places) -> dict:
    """Around the places shown: where the map goes after a filter change until the editor moves it."""
    centre, zoom = map_bounds(places)
    return {"center": centre, "zoom": zoom}


def _base_view(places) -> dict:
    """Where this map widget opens, fixed for its key: streamlit-folium mounts a new map (a new frame, Leaflet
    parsed again, tiles fetched again) whenever the map's own text changes, so later views go as center/zoom."""
    ss = st.session_state
    kept = ss.get("_map_base")
    if not kept or kept[0] != _map_key():
        kept = ss["_map_base"] = (_map_key(), ss.get("_link_view") or _data_view(places))
    return kept[1]


def _map_layers_script(url: str, cache_key: str | None, places, datelines, start, mode: str, size_by: str) -> str:
    """The layers script (map_view.layers_script) for this data and view, as the map component's argument
    (map_component.layers_arg), shared by sessions per `cache_key`."""
    ss = st.session_state
    return _layers_arg(url, cache_key, places, datelines, start, mode, bool(ss["map_cluster"]), size_by,
                       ss.get("_link_state") or {})


def _layers_arg(url: str, cache_key: str | None, places, datelines, start, mode: str, cluster: bool, size_by: str,
                link_state: dict) -> str:
    key = None if cache_key is None else repr((cache_key, mode, cluster, size_by, sorted(link_state.items())))
    return data.map_script(url, key, lambda: map_component.layers_arg(MapLayers(layers_script(
        places, datelines, mode=mode, cluster=cluster, playback_start=start, link_state=link_state,
        size_by=size_by))))


def _places(url: str, cache_key: str | None, map_events) -> tuple:
    """The places, dateline cities and playback start of `map_events`, shared by every session per `cache_key`:
    they depend on the store state and the filters/selection in it only, not on the map's mode."""
    return data.map_layers(url, cache_key, lambda: (
        aggregate_places(map_events), _dateline_frame(url, map_events), playback_start(map_events)))


def _map_base(view: dict, link_state: dict | None) -> dict:
    """The map without its data (map_view.build_base_map) as the map component's arguments, shared by sessions
    per view, link state and assets (local or CDN)."""
    key = repr((view, sorted((link_state or {}).items()), offline_requested(), folium.Map.default_js))
    return data.map_base(key, lambda: map_component.base_args(build_base_map(view, link_state=link_state)))


def _map_target(places) -> dict:
    """The view sent to the map (`center`/`zoom` of st_folium): only where the app itself wants the map to be.

    streamlit-folium moves the map whenever the view it is sent differs from the one sent before. Sending the
    view the map last reported (an echo) moved it back: a marker click's rerun carried the view from before the
    popup's own pan, so the map jumped back and the popup, with its article link, was cut off at the map's top.
    So: a shared link's view or a feed item's place (`_link_view`), else, until the map has reported a view of its
    own, the data's view; after that nothing, and the map stays where the editor leaves it."""
    ss = st.session_state
    if ss.get("_link_view"):
        return ss["_link_view"]
    return {} if ss.get("_map_view") else _data_view(places)


@st.fragment
def map_fragment(url: str, map_events, cache_key: str | None, token: tuple | None = None) -> None:
    """The map alone reruns on pan, zoom and its own controls; a marker click reruns the page."""
    ss = st.session_state
    newer = data.newer_than(url, token)
    if newer is not None and ss.get("_rerun_for_token") != newer:
        # the events this fragment was given are older than the server's latest read (a correction, an ingest or
        # a reprocess by any process): the whole page runs again, so the map, the feed and the counts agree
        ss["_rerun_for_token"] = newer
        st.rerun(scope="app")
    if not ss.get(PAGE_COMPLETE) and ss.get("_map_reported"):
        # the map has drawn and reported its view: now the whole page (see render), without sending the map twice
        ss[PAGE_COMPLETE] = True
        st.rerun(scope="app")
    c1, c2, c4, c3 = st.columns([2, 2, 2, 3])
    # The controls come with the whole page (a map-first run draws the map with the session's values): their
    # widgets cost the browser's main thread 0.1-0.2 s before the map's frame is made. The columns stay, so the
    # map keeps its place in the page and is not remounted when they come.
    if ss.get(PAGE_COMPLETE):
        c1.radio("Map", ["Markers", "Heatmap"], key="map_mode", horizontal=True, label_visibility="collapsed")
        c2.toggle("Clusters", key="map_cluster", disabled=ss["map_mode"] == "Heatmap")
        c4.radio("Marker size", ["Size: events", "Size: killed"], key="map_size", horizontal=True,
                 label_visibility="collapsed", disabled=ss["map_mode"] == "Heatmap")
    sel: Selection = ss["sel"]
    places, datelines, start = _places(url, cache_key, map_events)  # shared by every session per `cache_key`
    mode = "heatmap" if ss["map_mode"] == "Heatmap" else "markers"
    size_by = "fatalities" if ss.get("map_size") == "Size: killed" else "events"
    layers = _map_layers_script(url, cache_key, places, datelines, start, mode, size_by)
    view = _map_target(places)
    c3.caption(f"{len(places)} places, {len(map_events)} events on the map. Click a marker to narrow the timeline "
               "and the table; dateline cities are a layer (top right); ▶ Play (bottom right) plays the weeks back.")
    # The map itself (basemaps, controls) keeps its text for the session, so streamlit-folium keeps it on screen;
    # the data goes as `feature_group_to_add`, which it swaps in place when a filter or a view option changes.
    # Both made once and kept (dashboard/map_component.py): a run does no folium work.
    out = map_component.show(_map_base(_base_view(places), ss.get("_link_state")), layers, key=_map_key(),
                             height=MAP_HEIGHT, returned_objects=MAP_RETURNS, center=view.get("center"),
                             zoom=view.get("zoom"), on_change=_remember_view) or {}
    _write_view_to_url()
    click = (out.get("last_object_clicked_tooltip"), out.get("last_object_clicked_count"))
    if click != ss.get("_last_click"):
        ss["_last_click"] = click
        # Only a marker's own tooltip names a place: a cluster click (no tooltip) zooms and selects nothing
        # (the nearest place to a cluster is a place the editor never chose).
        place_id = place_from_tooltip(click[0], places)
        if place_id is not None and place_id != sel.place_id:
            sel.place_id = place_id
            ss[PAGE_COMPLETE] = True
            st.rerun(scope="app")


PAGE_COMPLETE = "_page_complete"
FIRST_PAINT = "cm_first_paint"  # the feed's stand-in on a map-first run (its class `st-key-cm_first_paint`)
COMPLETE_AFTER = 12.0  # seconds: the rest of the page comes by then even if the map never reports (no script, an error)


def _page_complete() -> bool:
    """Whether this run draws the whole page, or the map first (a session's runs until its map has reported).

    A session without a browser (`st.context.headers` empty: AppTest) has no frame to make room for: whole."""
    ss = st.session_state
    if not ss.get(PAGE_COMPLETE) and not st.context.headers:
        ss[PAGE_COMPLETE] = True
    return bool(ss.get(PAGE_COMPLETE))


@st.fragment(run_every=COMPLETE_AFTER)
def _complete_later() -> None:
    """Drawn on a map-first run only: if the map has not reported within COMPLETE_AFTER seconds, the rest of the
    page comes anyway (its first run, at once, draws nothing)."""
    ss = st.session_state
    started = ss.setdefault("_complete_timer", time.monotonic())
    if not ss.get(PAGE_COMPLETE) and time.monotonic() - started >= COMPLETE_AFTER * 0.9:
        ss[PAGE_COMPLETE] = True
        st.rerun(scope="app")


def _table_frame(events) -> tuple:
    """The table as shown (the latest TABLE_LIMIT events, readable cells) and its rows' event ids."""
    shown = events.sort_values("event_date", ascending=False).head(TABLE_LIMIT)
    table = shown.assign(
        date=shown["event_date"].dt.date,
        losses=shown["losses"].map(lambda d: ", ".join(f"{v} {k}" for k, v in d.items()) if isinstance(d, dict) else ""),
        country_code=shown["country_code"].map(country_name),
        sources=shown["outlets"].map(lambda xs: "; ".join(xs)),
        article=shown["article_ids"].map(lambda xs: f"article?id={xs[0]}" if xs else None),
    )[["date", "event_type", "sub_event_type", "place", "country_code", "actor1", "actor2", "fatalities", "losses",
       "claimed_by", "contested", "sources", "article", "evidence"]]
    return readable_cells(table), shown["event_id"].tolist()  # dashboard/filters.py: no "None" or "{}" cells


def _table(events, prepared: tuple) -> None:
    table, ids = prepared
    st.session_state["_table_ids"] = ids
    picked = set(st.session_state["sel"].events)
    # Rows chosen before (or in a shared link) start ticked; later clicks are the editor's own.
    ticked = {"selection": {"rows": [i for i, event_id in enumerate(ids) if event_id in picked]}}
    st.dataframe(table, key="table", on_select=_on_rows, selection_mode="multi-row", hide_index=True,
                 selection_default=ticked if picked else None,
                 height=min(400, 38 + 35 * max(len(table), 1)),
                 column_config={"article": st.column_config.LinkColumn("article", display_text="open"),
                                "event_type": "type", "sub_event_type": "sub-type", "country_code": "country",
                                "claimed_by": "claimed by"})
    if len(events) > TABLE_LIMIT:
        st.caption(f"Showing the latest {TABLE_LIMIT} of {len(events)} events; narrow the filters or export all.")


def _exports(events) -> None:
    """CSV for editors only: its `notes` column is the evidence sentence, raw article text. GeoJSON and the
    HTML map carry coded fields only (date, type, actors, place, losses, claims; popups have no evidence)."""
    c1, c2, c3 = st.columns(3)
    if can_edit():
        c1.download_button("Export CSV (ACLED columns)", data=lambda: to_acled_csv(events),
                           file_name="clashmap-events.csv", mime="text/csv", on_click="ignore")
    else:
        c1.button("Export CSV (ACLED columns)", disabled=True, key="csv_locked",
                           help="The CSV quotes article text (evidence in `notes`): it needs an editor login.")
        c1.caption("CSV (with article text): editors only.")
    c2.download_button("Export GeoJSON", data=lambda: to_geojson(events), file_name="clashmap-events.geojson",
                       mime="application/geo+json", on_click="ignore")
    c3.download_button("Export HTML map", data=lambda: html_map(events, public_url=get_settings().public_url),
                       file_name="clashmap-map.html", mime="text/html", on_click="ignore")  # dashboard/export_view.py


def render() -> None:
    url = default_url()
    # another process's change read, and the default view made, before a tab asks
    data.watch(url, get_settings().store_watch_seconds, then=prepare_default_view)
    fresh = data.freshness(url)  # before the events: an ingest in between is then offered, not missed
    events = data.events(url)
    _seed_from_url(events)
    complete = _page_complete()
    f = _sidebar(events, complete)
    sel: Selection = st.session_state["sel"]

    # The map's layers are shared by sessions per store state and view (`cache_key`); what the rest of the page
    # derives from the events is shared the same way, per place selected too: a new tab (the default view) or a
    # view used before skips the pandas work and the map is sent sooner.
    token = data.token_of(events)
    cache_key, parts = _view(url, events, token, f, sel)
    filtered, timeline_events, map_events, table_events = (parts[name] for name in (
        "filtered", "timeline_events", "map_events", "table_events"))
    n_articles, killed = parts["summary"]

    st.title("clashmap")
    freshness_line(url, fresh)  # dashboard/freshness.py: "updated 3 min ago", "2 new events · Show"
    st.markdown(f"**{len(filtered)}** events from **{n_articles}** articles match the filters, "
                f"**{killed}** reported killed"
                + (f"; **{len(table_events)}** in the current selection." if len(table_events) != len(filtered) else "."))
    _selection_bar(events, sel)
    empty_state(filtered)

    # Map first: the map takes the width, the timeline sits under it, the table is a tab away. Everything after
    # the map is drawn while the browser loads it.
    # The event feed beside the map (below it on a phone, where Streamlit stacks the columns).
    map_col, feed_col = st.columns([3, 1], gap="small")
    with map_col:
        map_fragment(url, map_events, cache_key, token)
    if not complete:
        # A new tab's first paint: the header and the map only (the filters: see _sidebar). The feed, the timeline
        # chart and the table cost the browser's main thread (which the map's frame shares) about 2 s of
        # rendering; they are drawn by the run the map's first report triggers (see map_fragment), once its
        # markers are on screen.
        feed_col.container(height=MAP_HEIGHT + 40, border=False, key=FIRST_PAINT).caption("Loading the event feed…")
        _complete_later()
        _write_url(f, sel)
        st.session_state["_kept_widgets"] = {k: st.session_state[k] for k in WIDGET_KEYS if k in st.session_state}
        return
    with feed_col:
        picked = st.session_state.get("_feed_event") if sel.place_id is not None else None
        items = data.part(parts, "feed", lambda: feed.feed_items(table_events, data.article_links(url, token)))
        feed.render(table_events, items, selected_event=picked, on_go=_on_feed_go, height=MAP_HEIGHT + 40)
    with st.container():
        span = (sel.span_start, sel.span_end) if sel.span_start and sel.span_end else None
        chart = data.part(parts, "timeline", lambda: timeline_chart(timeline_events, span))
        st.altair_chart(chart, key="timeline", on_select=_on_span, selection_mode="span", width="stretch")
        st.caption("Events per day. Drag across the chart to select a span; ✕ above the map clears it.")
    events_tab, help_tab = st.tabs(["Events", "Reading the map"])
    with events_tab:
        _table(table_events, data.part(parts, "table", lambda: _table_frame(table_events)))
        _exports(map_events if sel.events else table_events)
    with help_tab:
        st.markdown(READING_HELP)
    _write_url(f, sel)
    st.session_state["_kept_widgets"] = {k: st.session_state[k] for k in WIDGET_KEYS if k in st.session_state}


def _view(url: str, events, token, f: Filters, sel: Selection) -> tuple[str | None, dict]:
    """The view's cache key (the store state `token`, the filters and the selection but the place: see
    `map_fragment`) and what the page derives from the events for it, shared by every session per key and place."""
    cache_key = None if token is None else repr((token, f.to_query(), sel.span_start, sel.span_end,
                                                  tuple(sel.events)))
    parts = data.view_parts(url, None if cache_key is None else repr((cache_key, sel.place_id)))
    filtered = data.part(parts, "filtered", lambda: apply_filters(events, f))
    data.part(parts, "timeline_events", lambda: apply_place(filtered, sel))
    data.part(parts, "map_events", lambda: apply_rows(apply_span(filtered, sel), sel))
    data.part(parts, "table_events", lambda: apply_span(apply_place(filtered, sel), sel))
    data.part(parts, "summary", lambda: (len({a for xs in filtered["article_ids"] for a in xs}),
                                         fatalities_total(filtered)))
    return cache_key, parts


def prepare_default_view(url: str, events) -> None:
    """What a new tab with no filters in its link draws first, made ahead for every session (the store watcher
    calls it after another process's change, `data.watch`): the view's parts, the map's places and its layers
    script in the default mode (markers, clustered, sized by events), the base map at the data's view; then the
    feed's items, the timeline chart and the table. The same calls and keys as `render`."""
    token = data.token_of(events)
    if token is None:
        return
    cache_key, parts = _view(url, events, token, Filters(), Selection())
    places, datelines, start = _places(url, cache_key, parts["map_events"])
    _layers_arg(url, cache_key, places, datelines, start, "markers", True, "events", {})
    _map_base(_data_view(places), {})
    # then what the run after the map's first report draws: the feed, the timeline chart, the table
    table_events = parts["table_events"]
    data.part(parts, "feed", lambda: feed.feed_items(table_events, data.article_links(url, token)))
    data.part(parts, "timeline", lambda: timeline_chart(parts["timeline_events"], None))
    data.part(parts, "table", lambda: _table_frame(table_events))


def _selection_bar(events, sel: Selection) -> None:
    parts = []
    if sel.span_start and sel.span_end:
        parts.append(("span", md(f"{sel.span_start} to {sel.span_end}")))
    if sel.place_id is not None:
        name = events.loc[events["place_id"] == sel.place_id, "place"]
        # a button label is markdown: the place's name goes through md()
        parts.append(("place", f"place: {md(name.iloc[0] if len(name) else sel.place_id)}"))
    if sel.events:
        parts.append(("rows", f"{len(sel.events)} table row(s)"))
    bar = st.container()  # always drawn: the elements after it keep their place, so the map is not remounted
    if not parts:
        return
    cols = bar.columns(len(parts) + 1)
    for col, (part, label) in zip(cols, parts):
        col.button(f"✕ {label}", key=f"clear_{part}", on_click=_clear_selection, args=(part,))
    cols[-1].button("Clear selection", key="clear_all", on_click=_clear_selection)
