"""What `clashmap serve` runs: the dashboard (`dashboard/app.py`) as Streamlit's ASGI app, with lasting cache headers
for the map's static files.

Streamlit serves a component's files with `Cache-Control: public` and no validator (no ETag, no Last-Modified), so a
browser that has opened the dashboard before fetched streamlit-folium's 186 KB bundle again for every new tab, and
the map's Leaflet bundle (`/app/static/`, no Cache-Control, an ETag) was revalidated or fetched again once the
browser's heuristic lapsed. `st.App` (Streamlit >= 1.5x) takes Starlette middleware; `CacheStaticFiles` sets the
header from the rules in `data/cache_headers.csv` (a path prefix and suffix, the header, the reason), first match
wins; every other response keeps Streamlit's own headers (its page files are already immutable, index.html no-cache).
"""

from __future__ import annotations

import csv
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "cache_headers.csv"


def cache_rules(path: Path = RULES_FILE) -> list[tuple[str, str, str]]:
    """(path prefix, path suffix, Cache-Control value) from the rules file, in its order."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [(row["prefix"], row["suffix"], row["cache_control"]) for row in csv.DictReader(handle)
                if not row["prefix"].startswith("#")]


def cache_control_for(path: str, rules: list[tuple[str, str, str]]) -> str | None:
    """The Cache-Control value the first matching rule gives `path` (a request's path), or None (Streamlit's own)."""
    for prefix, suffix, value in rules:
        if path.startswith(prefix) and path.endswith(suffix):
            return value
    return None


class CacheStaticFiles:
    """ASGI middleware: a successful GET whose path matches a rule gets that rule's Cache-Control header."""

    def __init__(self, app, rules: list[tuple[str, str, str]] | None = None) -> None:
        self.app = app
        self.rules = cache_rules() if rules is None else rules

    async def __call__(self, scope, receive, send) -> None:
        value = (cache_control_for(scope.get("path", ""), self.rules)
                 if scope["type"] == "http" and scope.get("method") == "GET" else None)
        if value is None:
            await self.app(scope, receive, send)
            return

        async def send_with_header(message) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                message = {**message, "headers": [*headers, (b"cache-control", value.encode("latin-1"))]}
            await send(message)

        await self.app(scope, receive, send_with_header)


app = st.App("app.py", middleware=[Middleware(CacheStaticFiles)])
