"""The event feed beside the map, newest first (as live conflict maps show it).

Each item: the date, a type icon in the legend's colour, the place, one line of what happened (coded fields:
sub-type, actors, fatalities), who claims it, and links to the original article and to its article view.
Every text comes from articles (places, actors, claimants, outlets, URLs): it is HTML-escaped here, and the
item is drawn with `st.html` (no markdown pass). "Show on map" sends the map to the event's place and selects it.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from urllib.parse import quote, urlsplit

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.filters import country_name
from dashboard.palette import colour_of

FEED_LIMIT = 50
FEED_CSS = """<style>
.cm-feed-item { font: 13px/1.35 sans-serif; border-top: 1px solid #ddd; padding-top: 6px; }
.cm-feed-item.cm-feed-selected { border-left: 4px solid #1f77b4; padding-left: 6px; }
.cm-feed-top { color: #555; font-size: 12px; }
.cm-feed-icon { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px;
                vertical-align: baseline; }
.cm-feed-place { font-weight: 600; }
.cm-feed-what { margin: 2px 0; }
.cm-feed-links a { margin-right: 10px; font-size: 12px; }
</style>"""


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _web_url(value) -> str | None:
    """The article's own URL if it is a web address (no `javascript:` or `file:` links from article data)."""
    text = _text(value)
    return text if text and urlsplit(text).scheme in ("http", "https") and urlsplit(text).netloc else None


def what_happened(row) -> str:
    """One line from the coded fields: "Air/drone strike: A against B, 2 killed"."""
    kind = _text(row.get("sub_event_type")) or _text(row.get("event_type")) or "Event"
    actors = " against ".join(a for a in (_text(row.get("actor1")), _text(row.get("actor2"))) if a)
    line = f"{kind}: {actors}" if actors else kind
    deaths = row.get("fatalities")
    if deaths is not None and not (isinstance(deaths, float) and math.isnan(deaths)) and deaths > 0:
        line += f", {int(deaths)} killed"
    return line


def feed_items(events: pd.DataFrame, links: dict[str, str], limit: int = FEED_LIMIT) -> list[dict]:
    """The latest `limit` events as feed items, newest first (ties: the later event id first)."""
    if events.empty:
        return []
    # the order of the two keys only, then `limit` rows taken: sorting the whole frame moves every column (100k rows)
    days = events["event_date"].to_numpy().astype("datetime64[s]").astype("int64")  # NaT lowest: last, as sort_values
    latest = events.take(np.lexsort((events["event_id"].to_numpy(), days))[::-1][:limit])
    items = []
    for row in latest.to_dict("records"):
        articles = list(row.get("article_ids") or [])
        date = row.get("event_date")
        items.append({
            "event_id": int(row["event_id"]), "place_id": row.get("place_id"),
            "date": date.date().isoformat() if pd.notna(date) else "",
            "type": _text(row.get("event_type")), "colour": colour_of(row.get("event_type")),
            "place": ", ".join(p for p in (_text(row.get("place")), country_name(row.get("country_code"))) if p),
            "lat": row.get("lat"), "lon": row.get("lon"), "what": what_happened(row),
            "claimed_by": _text(row.get("claimed_by")),
            "article_id": articles[0] if articles else None,
            "source_url": next((u for u in (_web_url(links.get(a)) for a in articles) if u), None),
        })
    return items


def item_html(item: dict, selected: bool = False) -> str:
    e = html.escape
    classes = "cm-feed-item" + (" cm-feed-selected" if selected else "")
    lat, lon = item.get("lat"), item.get("lon")
    where = f' data-lat="{float(lat):.5f}" data-lon="{float(lon):.5f}"' if pd.notna(lat) and pd.notna(lon) else ""
    links = []
    if item.get("source_url"):
        links.append(f'<a class="cm-feed-source" href="{e(item["source_url"])}" target="_blank" '
                     f'rel="noopener noreferrer">original article</a>')
    if item.get("article_id"):
        links.append(f'<a class="cm-feed-article" href="article?id={e(quote(str(item["article_id"])))}" '
                     f'target="_blank">article view</a>')
    claim = f'<div class="cm-feed-claim">claimed by {e(item["claimed_by"])}</div>' if item.get("claimed_by") else ""
    return (f'<div class="{classes}" data-event="{item["event_id"]}" data-date="{e(item["date"])}"{where}>'
            f'<div class="cm-feed-top"><span class="cm-feed-icon" data-colour="{e(item["colour"])}" '
            f'style="background:{e(item["colour"])}" title="{e(item["type"] or "Other")}"></span>'
            f'{e(item["date"])} · {e(item["type"] or "Other")}</div>'
            f'<div class="cm-feed-place">{e(item["place"] or "unknown place")}</div>'
            f'<div class="cm-feed-what">{e(item["what"])}</div>{claim}'
            f'<div class="cm-feed-links">{"".join(links)}</div></div>')


def render(events: pd.DataFrame, items: list[dict], *, selected_event: int | None,
           on_go: Callable[[dict], None], height: int) -> None:
    """The feed of `events` (`items`: their `feed_items`, which the page keeps per view) in a scrolling box of
    `height` pixels; `on_go(item)` runs when an item's "Show on map" is clicked."""
    st.html(FEED_CSS)
    box = st.container(height=height)
    more = f" (latest {FEED_LIMIT} of {len(events)})" if len(events) > FEED_LIMIT else ""
    box.html(f'<div class="cm-feed-head"><b>Events</b>, newest first{html.escape(more)}</div>')
    if not items:
        box.caption("No events match the filters and the selection.")
        return
    # Two elements an item (no bordered container each: 50 fewer elements to send in every run, the rule above
    # each item is CSS); an item's HTML is kept with it (the items are kept per view by the page).
    for item in items:
        selected = item["event_id"] == selected_event
        if "html" not in item:
            item["html"] = item_html(item)
        box.html(item_html(item, selected=True) if selected else item["html"])
        if pd.notna(item.get("lat")) and pd.notna(item.get("lon")):
            box.button("Show on map", key=f"feed_go_{item['event_id']}", on_click=on_go, args=(item,),
                       type="tertiary")
