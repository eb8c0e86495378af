"""The Sources page (editors only): what `clashmap follow` polls and how each source is doing.

One row per source: kind, address, tags (country, language, affiliation), enabled or DISABLED, last
fetch and its HTTP status, new articles of the last fetch, articles, duplicates, teasers and articles in
a language clashmap does not read yet, next fetch and the last error. Disabled sources are also listed
above the table with their error. Below: the pages the last fetches did not read (teasers, other
languages, duplicates, failures) with the reason. Editors can add a source and remove one here, as
with `clashmap sources add|remove`. Tables show text as text (st.dataframe); messages go through
`dashboard.safe_text.md`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import select

from dashboard import auth, data
from dashboard.safe_text import md
from store.db import default_url

COLUMNS = ["name", "kind", "url", "country", "language", "affiliation", "state", "last fetch", "status",
           "new articles", "articles", "duplicates", "teasers", "other language", "next fetch", "error"]
PAGE_COLUMNS = ["fetched", "source", "url", "status", "language", "published", "note"]
RECENT_PAGES = 200


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else ""


def sources_frame(sessions) -> pd.DataFrame:
    from store.sources import list_sources

    rows = []
    for s in list_sources(sessions):
        rows.append([s.name, s.kind, s.url, s.country or "", s.language or "", s.affiliation or "",
                     "enabled" if s.enabled else "DISABLED", _when(s.last_fetch), s.last_status or "",
                     s.new_articles, s.articles, s.duplicates, s.teasers, s.unread_language,
                     _when(s.next_fetch) if s.enabled else "", s.last_error or ""])
    return pd.DataFrame(rows, columns=COLUMNS)


def pages_frame(sessions) -> pd.DataFrame:
    from store.schema import FetchedPage, Source

    with sessions() as session:
        rows = session.execute(
            select(FetchedPage.fetched_at, Source.name, FetchedPage.url, FetchedPage.status, FetchedPage.language,
                   FetchedPage.published, FetchedPage.note)
            .outerjoin(Source, Source.id == FetchedPage.source_id)
            .where(FetchedPage.status.in_(("teaser", "language", "duplicate", "rejected", "blocked", "failed")))
            .order_by(FetchedPage.fetched_at.desc()).limit(RECENT_PAGES)).all()
    return pd.DataFrame([[_when(r[0]), r[1] or "", r[2], r[3], r[4] or "", r[5] or "", r[6] or ""] for r in rows],
                        columns=PAGE_COLUMNS)


def render() -> None:
    st.title("Sources")
    auth.require_editor()
    sessions = data.sessions(default_url())
    frame = sources_frame(sessions)
    for row in frame[frame["state"] == "DISABLED"].itertuples():
        st.error(f"{md(row.name)} is disabled: {md(row.error)}")
    if frame.empty:
        st.info("No sources yet: add a feed, a news sitemap or a page below (or `clashmap sources add`), "
                "then run `clashmap follow`.")
    else:
        st.caption(f"{len(frame)} sources; `clashmap follow` polls them (see the README, Following the news).")
        st.dataframe(frame, hide_index=True, width="stretch")
    pages = pages_frame(sessions)
    if not pages.empty:
        st.subheader("Pages not read as articles")
        st.dataframe(pages, hide_index=True, width="stretch")
    _add_form(sessions)
    if not frame.empty:
        _remove_form(sessions, list(frame["name"]))


def _add_form(sessions) -> None:
    from store.sources import KINDS, SourceError, add_source

    with st.form("add_source", clear_on_submit=False):
        st.subheader("Add a source")
        name = st.text_input("Name")
        url = st.text_input("Address (URL)")
        kind = st.selectbox("Kind", KINDS)
        country = st.text_input("Country (ISO code, e.g. GB)")
        language = st.text_input("Language (e.g. en)")
        affiliation = st.text_input("Affiliation (e.g. state media)")
        if st.form_submit_button("Add source"):
            try:
                row = add_source(sessions, name, url, kind=kind, country=country or None, language=language or None,
                                 affiliation=affiliation or None)
            except SourceError as err:
                st.error(md(str(err)))
            else:
                st.success(f"added source {md(row.name)}")
                st.rerun()


def _remove_form(sessions, names: list[str]) -> None:
    from store.sources import SourceError, remove_source

    with st.form("remove_source"):
        st.subheader("Remove a source")
        name = st.selectbox("Source", names)
        if st.form_submit_button("Remove source"):
            try:
                remove_source(sessions, name)
            except SourceError as err:
                st.error(md(str(err)))
            else:
                st.rerun()
