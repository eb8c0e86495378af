"""Cached loaders over `store.queries`: the pages read the store through these only.

The frames are kept with `st.cache_resource` (shared, not copied): unpickling a 100k-row frame on
every run, as `st.cache_data` would, costs more than the whole page should. Callers treat them as
read-only. Each loader is keyed by the store's `change_token` (its revision counter, raised by every
ingest, reprocess and correction, and a few COUNT/MAX queries), so a rerun sees what another process
ingested, re-read or corrected; `refresh()` also drops everything at once.
The events frame of a new token is brought up to date from the latest one (`store.queries.read_events`: only
changed events are read again) and, when no event changed, is the same frame, still named by the token it was
first read at (`token_of`), so the caches keyed by that token stay valid.

What the map draws (places aggregated from the filtered events, dateline cities, playback start) is kept
once for every session by `map_layers(url, key, build)`, where `key` holds the token of the events frame
it was computed from (`token_of(frame)`): a new tab, or a filter an editor used before, skips the work.
The map's layers script made from them (`map_script`) is kept the same way, per view options too, and so is the
map without its data (`map_base`): a run hands the component kept strings (see `dashboard.map_component`).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref

import pandas as pd
import streamlit as st

from store.db import change_token, default_url, open_store
from store.queries import (article_datelines_frame, article_detail, article_links_frame, articles_frame,
                           dateline_places_frame, read_events)


@st.cache_resource(show_spinner=False)
def sessions(url: str | None = None):
    return open_store(url or default_url())


def _token(url: str) -> tuple:
    return change_token(sessions(url))


@st.cache_resource(show_spinner="Loading events…", max_entries=2)
def _events(url: str, token: tuple) -> pd.DataFrame:
    with _READ_LOCK:
        previous = _LATEST.get(url)
    read = read_events(sessions(url), previous)  # only what changed since the latest read (store.queries)
    with _READ_LOCK:
        _LATEST[url] = read
        if read is not previous:  # a frame with new content; the same content keeps the token it was first read at
            _READ_AT[(url, token)] = read.frame  # see token_of()
    return read.frame


# url -> the latest read of its events, which the next change token's read starts from (`store.queries.read_events`):
# after an ingest, a reprocess or a correction only the events that changed are read again, and when none did
# (another article's mentions corrected, a revision raised) the frame and every cache keyed by its token stay.
_LATEST: dict = {}
# (url, token) -> the events frame first read at that token, while a cache holds it. Not `frame.attrs`: pandas
# copies attrs into every derived frame, and Streamlit tries to serialise them with each table.
_READ_AT: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
_READ_LOCK = threading.Lock()


def token_of(frame: pd.DataFrame) -> tuple | None:
    """The change token the events frame from `events()` was first read at (None for another frame): it names the
    frame's content, which later tokens keep while no event changes. Caches keyed by it cannot pair a frame of one
    store state with results computed from another."""
    with _READ_LOCK:
        return next((token for (_, token), kept in _READ_AT.items() if kept is frame), None)


def newer_than(url: str, token: tuple | None) -> tuple | None:
    """The token of the latest events frame of store `url` this server has read (a run's, or the store watcher's,
    see `watch`) when its content is newer than the frame first read at `token`; else None. No look at the store:
    a part of the page that reruns alone (the map fragment) asks it to learn that its events are out of date."""
    with _READ_LOCK:
        latest = _LATEST.get(url)
    if latest is None or token is None:
        return None
    now = token_of(latest.frame)
    return now if now is not None and now != token else None


@st.cache_resource(show_spinner=False, max_entries=24)
def _map_layers(url: str, key: str, _build):
    return _build()


def map_layers(url: str, key: str | None, build):
    """`build()` (the map's aggregated layers) computed once per `key` for every session. `key` must name
    the store state (see `token_of`) and everything the result depends on (filters, selection); with
    None (no known store state) it is computed afresh."""
    return build() if key is None else _map_layers(url, key, build)


@st.cache_resource(show_spinner=False, max_entries=24)
def _view_parts(url: str, key: str) -> dict:
    return {}


def view_parts(url: str, key: str | None) -> dict:
    """A dict shared by every session for one store state and view (`key`, as for `map_layers`): the page keeps
    there what it derives from the events (filtered frames, the feed's items, the table), so a new tab or a view
    used before skips the pandas work. A fresh dict when `key` is None. Callers treat the values as read-only."""
    return {} if key is None else _view_parts(url, key)


def part(parts: dict, name: str, build):
    """`parts[name]`, built once by `build()` (two sessions building it at the same time get equal values)."""
    if name not in parts:
        parts[name] = build()
    return parts[name]


@st.cache_resource(show_spinner=False, max_entries=24)
def _map_script(url: str, key: str, _build) -> str:
    return _build()


def map_script(url: str, key: str | None, build) -> str:
    """`build()` (the map's layers as the component's argument, `map_component.layers_arg`: ~1 MB at 2,000
    places) made once per `key` for every session: `key` names the store state, the filters and selection, and
    the view options (mode, clustering, size, link state). With None it is made afresh."""
    return build() if key is None else _map_script(url, key, build)


@st.cache_resource(show_spinner=False, max_entries=64)
def _map_base(key: str, _build) -> dict:
    return _build()


def map_base(key: str, build) -> dict:
    """`build()` (the component's arguments for the map without its data, `map_component.base_args`) made once
    per `key` for every session: `key` names the view it opens at, the link state and the assets."""
    return _map_base(key, build)


@st.cache_resource(show_spinner=False, max_entries=2)
def _articles(url: str, token: tuple) -> pd.DataFrame:
    return articles_frame(sessions(url))


@st.cache_resource(show_spinner=False, max_entries=2)
def _datelines(url: str, token: tuple) -> pd.DataFrame:
    return dateline_places_frame(sessions(url))


@st.cache_resource(show_spinner=False, max_entries=2)
def _facets(url: str, token: tuple, _frame: pd.DataFrame | None = None) -> dict:
    frame = _frame if _frame is not None else _events(url, token)

    def values(series) -> list[str]:
        # the distinct values first (vectorised): iterating 100k Arrow strings one by one costs ~0.4 s a column
        return sorted(v for v in series.dropna().unique().tolist() if isinstance(v, str) and v)

    return {"type": values(frame["event_type"]),
            "actor": sorted(set(values(frame["actor1"])) | set(values(frame["actor2"]))),
            "country": values(frame["country_code"]), "place": values(frame["place"]),
            "outlet": sorted({o for xs in frame["outlets"] for o in xs}),
            "sub_by_type": {t: values(g) for t, g in frame.groupby("event_type")["sub_event_type"]}}


@st.cache_resource(show_spinner=False, max_entries=2)
def _article_links(url: str, token: tuple) -> dict[str, str]:
    frame = article_links_frame(sessions(url))
    return {a: u for a, u in zip(frame["article_id"], frame["url"]) if isinstance(u, str) and u}


def article_links(url: str, token: tuple | None = None) -> dict[str, str]:
    """article_id -> the original article's URL, for the articles that have one (the event feed links them).
    `token`: the store state the caller's events were read at (`token_of`), which saves reading it again."""
    return _article_links(url, token if token is not None else _token(url))


def events(url: str) -> pd.DataFrame:
    return _events(url, _token(url))


def articles(url: str) -> pd.DataFrame:
    return _articles(url, _token(url))


def datelines(url: str) -> pd.DataFrame:
    """Where reports were filed from (place, lat, lon, n_articles)."""
    return _datelines(url, _token(url))


@st.cache_resource(show_spinner=False, max_entries=2)
def _article_datelines(url: str, token: tuple) -> pd.DataFrame:
    return article_datelines_frame(sessions(url))


def article_datelines(url: str) -> pd.DataFrame:
    """article_id -> dateline place id (articles with a dateline place), to show only the datelines of the
    articles in view: two columns read, not the articles frame (its dates through SQLAlchemy)."""
    return _article_datelines(url, _token(url))


def facets(url: str, token: tuple | None = None, frame: pd.DataFrame | None = None) -> dict:
    """The values each sidebar filter offers, computed once per store state rather than on every run.
    `token`: as for `article_links` (None: the store's state now); `frame`: the events frame read at `token`
    (`token_of(frame)`), if at hand, used only with its token. Without it, the frame of `token` is read."""
    if token is None:
        token, frame = _token(url), None
    return _facets(url, token, frame)


def article(url: str, article_id: str) -> dict | None:
    return article_detail(sessions(url), article_id)


def watch(url: str, every: float, then=None) -> None:
    """Look at store `url`'s change token every `every` seconds, in a daemon thread of this server (started once
    per store; `every` 0: not at all), and when it moved, bring what every page needs first up to date: the events
    frame (`read_events`: only the changed events read again), the sidebar's facets, the dateline tables. A tab
    opened after another process's ingest then finds them ready instead of waiting for them (at 100k events ~1 CPU
    s, which the watcher spends while the browser is still loading Streamlit's page). Only a store this server has
    already shown is watched for changes (`_LATEST`); a tab asking while the watcher reads waits for its result
    (Streamlit computes a cached value once). `then(url, frame)`, if given, is called after that with the new
    events frame (the map page makes its default view, `map_page.prepare_default_view`)."""
    if every <= 0:
        return
    with _READ_LOCK:
        running = _WATCHERS.get(url)
        if running is not None and running[0].is_alive():
            return
        stop = threading.Event()
        thread = threading.Thread(target=_watch, args=(url, every, stop, then), name=_WATCH_THREAD, daemon=True)
        _WATCHERS[url] = (thread, stop)
    thread.start()


_WATCHERS: dict[str, tuple[threading.Thread, threading.Event]] = {}  # url -> its watcher and what stops it
_WATCH_THREAD = "clashmap-store-watch"


class _NotInWatcher(logging.Filter):
    """Streamlit warns of a missing ScriptRunContext for every cached call outside a script run: not the watcher's."""

    def filter(self, record: logging.LogRecord) -> bool:
        return threading.current_thread().name != _WATCH_THREAD


logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_NotInWatcher())


def _watch(url: str, every: float, stop: threading.Event, then) -> None:
    seen = None
    while not stop.wait(every):
        try:
            with _READ_LOCK:
                shown = url in _LATEST
            token = _token(url)
            if not shown or token == seen:
                continue
            frame = _events(url, token)
            _facets(url, token_of(frame) or token, frame)
            _article_datelines(url, token)
            _datelines(url, token)
            seen = token
            if then is not None:
                then(url, frame)
        except Exception as err:  # noqa: BLE001 - the page's own run reads the store again and reports the problem
            _LOG.info("store watch of %s: %s", url.split("@")[-1], str(err).splitlines()[0][:200] if str(err) else err)


_LOG = logging.getLogger(__name__)


def refresh() -> None:
    with _READ_LOCK:
        _LATEST.clear()
        for _, stop in _WATCHERS.values():  # the next run starts them again
            stop.set()
        _WATCHERS.clear()
    for loader in (_events, _articles, _article_datelines, _datelines, _facets, _article_links, _map_layers, _view_parts, _map_script,
                   _map_base):
        loader.clear()


def freshness(url: str) -> dict:
    """{"events": n, "updated_at": newest ingest}, read now (not cached): the page's "last updated" line polls it."""
    from store.queries import freshness as store_freshness

    # `read_at`: when it was read, so a caller in the same run can use it again (see freshness.freshness_line)
    return {**store_freshness(sessions(url)), "read_at": time.monotonic()}
