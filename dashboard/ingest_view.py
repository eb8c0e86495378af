"""The ingest page: paste text or upload files (txt, json, csv); progress bar; a per-file report.

Editors only: anyone else gets `dashboard.auth.require_editor`'s message and login form. Editors also
see the online geocoder's recent failures (`geo.online.recent_failures`) when Nominatim is in use."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import auth, data
from store.db import default_url


FAILURE_WINDOW = timedelta(hours=1)  # older outages are over: their names have been asked again since


@st.cache_resource(show_spinner="Loading the reading pipeline…")
def _pipeline(url: str):
    from clashmap.pipeline import Pipeline

    return Pipeline(data.sessions(url))


def ingest_uploads(uploads: list[tuple[str, bytes]], pasted: str, url: str, progress=None) -> pd.DataFrame:
    """Read and store each item; one report row per file (or per record of a batch file)."""
    from articles.model import ArticleError
    from articles.reader import read_file, read_text
    from store.loading import ingest_articles

    rows = []
    items: list[tuple[str, bytes | str]] = list(uploads)
    if pasted.strip():
        items.append(("pasted text", pasted))
    sessions = data.sessions(url)
    pipeline = None
    for index, (name, payload) in enumerate(items):
        if progress:
            progress(index, len(items), name)
        temp_path = ""
        try:
            if isinstance(payload, str):
                articles = [read_text(payload, name)]
            else:
                suffix = Path(name).suffix.lower()
                if suffix not in (".txt", ".json", ".jsonl", ".csv", ".md", ""):
                    raise ArticleError(name, f"has an unsupported type {suffix!r} (use .txt, .json or .csv)")
                with tempfile.TemporaryDirectory() as tmp:
                    path = Path(tmp) / Path(name).name
                    path.write_bytes(payload)
                    temp_path = str(path)
                    articles = read_file(path)
                articles = [replace(a, source=a.source.replace(str(path), name)) for a in articles]
        except ArticleError as err:
            reason = str(err).replace(temp_path, name) if temp_path else str(err)
            rows.append({"file": name, "article": "", "status": "rejected", "reason": reason})
            continue
        pipeline = pipeline or _pipeline(url)
        report = ingest_articles(articles, sessions, pipeline)
        for label in report.added:
            rows.append({"file": name, "article": label, "status": "added", "reason": ""})
        for label in report.unchanged:
            rows.append({"file": name, "article": label, "status": "unchanged", "reason": "already stored"})
    if progress:
        progress(len(items), len(items), "")
    data.refresh()
    return pd.DataFrame(rows, columns=["file", "article", "status", "reason"])


def geocoder_failures(window: timedelta = FAILURE_WINDOW) -> list:
    """Nominatim's failures of the last `window` in this process; [] when the offline gazetteer is in use."""
    if os.environ.get("CLASHMAP_GEOCODER", "offline").lower() != "nominatim":
        return []
    from geo.online import recent_failures

    return recent_failures(since=datetime.now(timezone.utc) - window)


def _geocoder_warning() -> None:
    """Tells editors that place names were answered offline because Nominatim failed (outage, 429, timeout)."""
    failures = geocoder_failures()
    if not failures:
        return
    latest = failures[-1]
    hours = FAILURE_WINDOW.total_seconds() / 3600
    # The error text quotes the place name (article text): it goes in the table below, never in markdown.
    st.warning(f"The online geocoder ({latest.service}) failed {len(failures)} time(s) in the last {hours:g} h, "
               f"latest at {latest.at:%H:%M} UTC. Those names were placed with the offline gazetteer and will be "
               "asked online again at a later ingest.")
    with st.expander("Failed requests"):
        st.dataframe(pd.DataFrame([{"time (UTC)": f.at.strftime("%Y-%m-%d %H:%M:%S"), "service": f.service,
                                    "name": f.query, "error": f.error} for f in reversed(failures)]),
                     hide_index=True, width="stretch")


def render() -> None:
    auth.require_editor()
    st.title("Ingest articles")
    _ingest_form()
    _geocoder_warning()  # after the form, so failures of the ingest just run show at once


def _ingest_form() -> None:
    st.caption("Plain text may start with `source:`/`title:` lines and a `date YYYY-MM-DD CITY, COUNTRY –` line. "
               "JSON and CSV batches need a `text` field per record (optional: title, source, url, published).")
    with st.form("ingest", clear_on_submit=False):
        pasted = st.text_area("Paste an article", height=200)
        files = st.file_uploader("or upload files", type=["txt", "json", "jsonl", "csv"], accept_multiple_files=True)
        submitted = st.form_submit_button("Ingest")
    if not submitted:
        return
    uploads = [(f.name, f.getvalue()) for f in files or []]
    if not uploads and not pasted.strip():
        st.warning("Nothing to ingest: paste text or choose files.")
        return
    bar = st.progress(0.0, text="Starting…")

    def progress(i: int, n: int, name: str) -> None:
        bar.progress(i / max(n, 1), text=f"{i}/{n} {name}" if name else f"{n}/{n} done")

    report = ingest_uploads(uploads, pasted, default_url(), progress)
    counts = report["status"].value_counts().to_dict()
    st.success(", ".join(f"{counts.get(k, 0)} {k}" for k in ("added", "unchanged", "rejected")))
    st.dataframe(report, hide_index=True, width="stretch")
