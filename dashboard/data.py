"""Cached loaders over `store.queries`: the pages read the store through these only.

The frames are kept with `st.cache_resource` (shared, not copied): unpickling a 100k-row frame on
every run, as `st.cache_data` would, costs more than the whole page should. Callers treat them as
read-only. Each loader is keyed by the store's `change_token` (its revision counter, raised by every
ingest, reprocess and correction, and a few COUNT/MAX queries), so a rerun sees what another process
ingested, re-read or corrected; `refresh()` also drops everything at once.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from store.db import change_token, default_url, open_store
from store.queries import article_detail, articles_frame, dateline_places_frame, events_frame


@st.cache_resource(show_spinner=False)
def sessions(url: str | None = None):
    return open_store(url or default_url())


def _token(url: str) -> tuple:
    return change_token(sessions(url))


@st.cache_resource(show_spinner="Loading events…", max_entries=2)
def _events(url: str, token: tuple) -> pd.DataFrame:
    return events_frame(sessions(url))


@st.cache_resource(show_spinner=False, max_entries=2)
def _articles(url: str, token: tuple) -> pd.DataFrame:
    return articles_frame(sessions(url))


@st.cache_resource(show_spinner=False, max_entries=2)
def _datelines(url: str, token: tuple) -> pd.DataFrame:
    return dateline_places_frame(sessions(url))


@st.cache_resource(show_spinner=False, max_entries=2)
def _facets(url: str, token: tuple) -> dict:
    frame = _events(url, token)

    def values(series) -> list[str]:
        return sorted({v for v in series.dropna() if isinstance(v, str) and v})

    return {"type": values(frame["event_type"]),
            "actor": sorted(set(values(frame["actor1"])) | set(values(frame["actor2"]))),
            "country": values(frame["country_code"]), "place": values(frame["place"]),
            "outlet": sorted({o for xs in frame["outlets"] for o in xs}),
            "sub_by_type": {t: values(g) for t, g in frame.groupby("event_type")["sub_event_type"]}}


def events(url: str) -> pd.DataFrame:
    return _events(url, _token(url))


def articles(url: str) -> pd.DataFrame:
    return _articles(url, _token(url))


def datelines(url: str) -> pd.DataFrame:
    """Where reports were filed from (place, lat, lon, n_articles)."""
    return _datelines(url, _token(url))


def article_datelines(url: str) -> pd.DataFrame:
    """article_id -> dateline place id, to show only the datelines of the articles in view."""
    return articles(url)[["article_id", "dateline_place_id"]]


def facets(url: str) -> dict:
    """The values each sidebar filter offers, computed once per store state rather than on every run."""
    return _facets(url, _token(url))


def article(url: str, article_id: str) -> dict | None:
    return article_detail(sessions(url), article_id)


def refresh() -> None:
    for loader in (_events, _articles, _datelines, _facets):
        loader.clear()


def freshness(url: str) -> dict:
    """{"events": n, "updated_at": newest ingest}, read now (not cached): the page's "last updated" line polls it."""
    from store.queries import freshness as store_freshness

    return store_freshness(sessions(url))
