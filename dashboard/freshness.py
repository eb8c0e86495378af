"""The map page's "last updated" line, and a notice when events arrive while the page is open.

A fragment reruns every `POLL` seconds on its own (not the page): it reads the store's size and newest ingest
time (two COUNT/MAX queries) and says how fresh the map is ("updated 3 minutes ago"). When another process
(`clashmap ingest`, `clashmap follow`, the ingest page) stored events since the page was drawn, it offers them:
"2 new events · Show", which reruns the page; the map is not redrawn under the editor's hands unasked.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

import humanize
import streamlit as st

from dashboard import data

POLL = 5  # seconds between two looks at the store


def updated_text(updated_at: datetime | None, now: datetime | None = None) -> str:
    """"Updated 3 minutes ago" from the newest ingest time; "No article stored yet" for an empty store."""
    if updated_at is None:
        return "No article stored yet"
    now = now or datetime.now(timezone.utc)
    return f"Updated {humanize.naturaltime(now - updated_at)}"


@st.fragment(run_every=POLL)
def freshness_line(url: str, shown: dict) -> None:
    """`shown` is the freshness the page was drawn with (`data.freshness(url)` read in the same run): the page's
    own run uses it as it is (read a moment ago), the fragment's runs every `POLL` seconds read the store again."""
    now = shown if time.monotonic() - shown.get("read_at", 0.0) < 1.0 else data.freshness(url)
    text = updated_text(now["updated_at"])
    stamp = now["updated_at"].strftime("%Y-%m-%d %H:%M UTC") if now["updated_at"] else ""
    new = now["events"] - shown["events"]
    changed = now["updated_at"] != shown["updated_at"]
    if changed:
        line, button = st.columns([5, 1], vertical_alignment="center")
        what = f"{new} new event{'s' if new != 1 else ''}" if new > 0 else "The store changed"
        line.info(f"{what} since the map was drawn. {text}.", icon="🆕")
        if button.button("Show", key="fresh_show", help="Redraw the map with the new events"):
            st.rerun(scope="app")
    else:
        st.caption(f"{text}" + (f" (newest report stored {stamp})" if stamp else "") + ".")
