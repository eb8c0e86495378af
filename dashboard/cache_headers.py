"""Cache headers for the dashboard's static files, from the rules in `data/cache_headers.csv`.

Streamlit serves a component's files with `Cache-Control: public` and no validator (no ETag, no Last-Modified), so a
browser that has opened the dashboard before fetched streamlit-folium's 186 KB bundle again for every new tab, and
the map's Leaflet bundle (`/app/static/`, no Cache-Control, an ETag) was revalidated or fetched again once the
browser's heuristic lapsed. `CacheStaticFiles` (plain ASGI middleware, used by `dashboard/serve_app.py`) sets the
header from the rules (a path prefix and suffix, the header, the reason), first match wins; every other response keeps
Streamlit's own headers (its page files are already immutable, index.html no-cache). `clashmap serve` reads the rules
before it starts the server, so a bad row stops it with one line.
"""

from __future__ import annotations

import csv
from pathlib import Path

from clashmap.errors import ConfigError

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "cache_headers.csv"


def cache_rules(path: Path = RULES_FILE) -> list[tuple[str, str, str]]:
    """(path prefix, path suffix, Cache-Control value) from the rules file, in its order; a bad file or row is one
    ConfigError naming the file (and the line)."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"{path}: cannot read the cache headers ({exc})") from None
    rules = []
    for line, row in enumerate(rows, start=2):
        prefix, suffix, value = (row.get(key) or "" for key in ("prefix", "suffix", "cache_control"))
        if prefix.startswith("#"):
            continue
        if not prefix.startswith("/") or not value.strip() or not value.isascii():
            raise ConfigError(f"{path} line {line}: a rule needs a path prefix starting with '/' and an ASCII "
                              "Cache-Control value (columns prefix, suffix, cache_control, reason)")
        rules.append((prefix, suffix, value))
    return rules


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
