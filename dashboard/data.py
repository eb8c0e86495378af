"""Cached loaders over `store.queries`: the pages read the store through these only.

The events frame is kept with `st.cache_resource` (shared, not copied): unpickling a 100k-row frame
on every run, as `st.cache_data` would, costs more than the whole page should. Callers treat it
as read-only. `refresh()` drops the caches after an ingest or a correction.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from store.db import default_url, open_store
from store.queries import article_detail, articles_frame, dateline_places_frame, events_frame


@st.cache_resource(show_spinner=False)
def sessions(url: str | None = None):
    return open_store(url or default_url())


@st.cache_resource(show_spinner="Loading events…", ttl=600)
def events(url: str) -> pd.DataFrame:
    return events_frame(sessions(url))


@st.cache_resource(show_spinner=False, ttl=600)
def articles(url: str) -> pd.DataFrame:
    return articles_frame(sessions(url))


@st.cache_resource(show_spinner=False, ttl=600)
def datelines(url: str) -> pd.DataFrame:
    return dateline_places_frame(sessions(url))


@st.cache_resource(show_spinner=False, ttl=600)
def article_datelines(url: str) -> pd.DataFrame:
    """article_id -> dateline place id, to show only the datelines of the articles in view."""
    frame = articles(url)
    return frame[["article_id", "dateline_place_id"]]


def article(url: str, article_id: str) -> dict | None:
    return article_detail(sessions(url), article_id)


def refresh() -> None:
    facets.clear()
    events.clear()
    articles.clear()
    datelines.clear()
    article_datelines.clear()


@st.cache_resource(show_spinner=False, ttl=600)
def facets(url: str) -> dict[str, list[str]]:
    """The values each sidebar filter offers, computed once per store load rather than on every run."""
    frame = events(url)

    def values(series) -> list[str]:
        return sorted({v for v in series.dropna() if isinstance(v, str) and v})

    return {"type": values(frame["event_type"]), "actor": sorted(set(values(frame["actor1"])) | set(values(frame["actor2"]))),
            "country": values(frame["country_code"]), "place": values(frame["place"]),
            "outlet": sorted({o for xs in frame["outlets"] for o in xs}),
            "sub_by_type": {t: values(g) for t, g in frame.groupby("event_type")["sub_event_type"]}}
