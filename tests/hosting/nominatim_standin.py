"""A small HTTP server on 127.0.0.1 that answers `/search?format=json` the way Nominatim does.

The answer shape follows Nominatim's search API (format=json): a JSON list of places with
`place_id`, `licence`, `osm_type`, `osm_id`, `lat`/`lon` as strings, `class`, `type`,
`place_rank`, `importance`, `addresstype`, `name`, `display_name`, `boundingbox` (four strings),
plus `address` when `addressdetails=1` and `extratags` when `extratags=1`. An unknown name gives `[]`.
`mode` makes it misbehave: "slow" (answers after `delay` seconds), "429", "500", the hostile
answers of `HOSTILE_MODES` ("object": a bare object instead of a list; "junk": a list of non-places;
"lat-inf"/"lat-nan"/"lat-500", "huge-osm-id", "long-country-code": one field no store can hold;
"deep": JSON nested 200,000 levels; "huge": a 3 MB answer; "trickle": the body one byte every
`delay` seconds; "trickle-head": the status line and headers too), and "mixed" (junk items around
the good answer).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PLACES = {
    "shusha": {
        "place_id": 1203421, "osm_type": "relation", "osm_id": 5548761, "lat": "39.7583", "lon": "46.7487",
        "class": "boundary", "type": "administrative", "place_rank": 16, "importance": 0.52,
        "addresstype": "town", "name": "Shusha", "display_name": "Shusha, Shusha District, Azerbaijan",
        "boundingbox": ["39.7380", "39.7790", "46.7280", "46.7690"],
        "address": {"town": "Shusha", "state": "Shusha District", "ISO3166-2-lvl4": "AZ-SUS",
                    "country": "Azerbaijan", "country_code": "az"},
        "extratags": {"population": "4064", "wikidata": "Q216145"},
    },
    "barda": {
        "place_id": 1204111, "osm_type": "node", "osm_id": 2553419786, "lat": "40.3745", "lon": "47.1266",
        "class": "place", "type": "city", "place_rank": 16, "importance": 0.45,
        "addresstype": "city", "name": "Barda", "display_name": "Barda, Barda District, Azerbaijan",
        "boundingbox": ["40.2145", "40.5345", "46.9666", "47.2866"],
        "address": {"city": "Barda", "state": "Barda District", "ISO3166-2-lvl4": "AZ-BAR",
                    "country": "Azerbaijan", "country_code": "az"},
        "extratags": {"population": "41,000"},
    },
    "azerbaijan": {
        "place_id": 1200001, "osm_type": "relation", "osm_id": 364110, "lat": "40.3936", "lon": "47.7873",
        "class": "boundary", "type": "administrative", "place_rank": 4, "importance": 0.82,
        "addresstype": "country", "name": "Azerbaijan", "display_name": "Azerbaijan",
        "boundingbox": ["38.3929", "41.9123", "44.7633", "51.0090"],
        "address": {"country": "Azerbaijan", "country_code": "az"}, "extratags": {},
    },
}


# mode -> what a known place's fields become (a nested dict replaces keys inside that dict)
_BAD_FIELDS = {
    "lat-inf": {"lat": "1e999"},
    "lat-nan": {"lat": "nan"},
    "lat-500": {"lat": "500"},
    "huge-osm-id": {"osm_id": 10**25},
    "long-country-code": {"address": {"country_code": "azerbaijan-republic" * 3}},
}
# every mode that answers 200 with something a client must not trust
HOSTILE_MODES = ("object", "junk", *_BAD_FIELDS, "deep", "huge", "trickle", "trickle-head")
# junk items of a list answer: not places at all, or places without usable coordinates or ids
JUNK_ITEMS = ["Shusha", 42, None, [39.7, 46.7], {"lat": "39.7"}, {"lat": [], "lon": {}, "osm_id": "many"},
              {"osm_type": "relation", "osm_id": 1, "lat": "x", "lon": "y", "name": "Nowhere"}]


def _with(place: dict, changes: dict) -> dict:
    out = dict(place)
    for key, value in changes.items():
        out[key] = {**out.get(key, {}), **value} if isinstance(value, dict) else value
    return out


class NominatimStandIn:
    """Start with `start()`; `url` is its base URL; `requests` records (time, path, query, user agent)."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.delay = 3.0
        self.requests: list[tuple[float, str, dict, str]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> NominatimStandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def searches(self, q: str | None = None) -> list[dict]:
        return [params for _, path, params, _ in self.requests
                if path == "/search" and (q is None or params.get("q") == q)]

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                standin.requests.append((time.monotonic(), parts.path, params, self.headers.get("User-Agent", "")))
                if parts.path != "/search":
                    return self._send(404, {"error": "not found"})
                if standin.mode == "429":
                    return self._send(429, {"error": {"code": 429, "message": "Too Many Requests"}})
                if standin.mode == "500":
                    return self._send(500, {"error": "Internal Server Error"})
                if standin.mode == "slow":
                    time.sleep(standin.delay)
                place = PLACES.get(params.get("q", "").strip().lower())
                if place is not None and standin.mode in _BAD_FIELDS:
                    place = _with(place, _BAD_FIELDS[standin.mode])
                answer = []
                if place is not None:
                    answer = [_shaped(place, params)]
                codes = params.get("countrycodes")
                if codes and place and place["address"]["country_code"] not in codes.lower().split(","):
                    answer = []
                if standin.mode == "object":  # one place as a bare object, not a list of one
                    return self._send(200, answer[0] if answer else {})
                if standin.mode == "junk":
                    return self._send(200, JUNK_ITEMS)
                if standin.mode == "mixed":  # junk around a good answer
                    return self._send(200, JUNK_ITEMS[:3] + answer + JUNK_ITEMS[3:])
                if standin.mode == "deep":  # valid JSON nested deeper than any parser's recursion
                    return self._send(200, raw=b"[" * 200_000 + b"]" * 200_000)
                if standin.mode == "huge":  # a good place padded to megabytes
                    answer = [dict(item, display_name=item["display_name"] + ", " + "Shusha" * 500_000)
                              for item in answer]
                if standin.mode == "trickle-head":  # even the status line and headers come a byte at a time
                    return self._send_trickled_head(json.dumps(answer).encode(), standin.delay)
                self._send(200, answer, trickle=standin.delay if standin.mode == "trickle" else None)

            def _send_trickled_head(self, data: bytes, trickle: float) -> None:
                head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: {'.' * 600}\r\n"
                        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n").encode()
                self.close_connection = True
                try:
                    for i in range(len(head)):
                        self.wfile.write(head[i:i + 1])
                        self.wfile.flush()
                        time.sleep(trickle)
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _send(self, status: int, body=None, trickle: float | None = None, raw: bytes | None = None) -> None:
                data = raw if raw is not None else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if trickle is None:
                        self.wfile.write(data)
                        return
                    for i in range(len(data)):  # a slow-loris answer: every read gets a byte in time
                        self.wfile.write(data[i:i + 1])
                        self.wfile.flush()
                        time.sleep(trickle)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

            def log_message(self, *_args) -> None:  # keep the test output clean
                pass

        return Handler


def _shaped(place: dict, params: dict) -> dict:
    out = {"place_id": place["place_id"], "licence": "Data © OpenStreetMap contributors, ODbL 1.0.",
           **{k: v for k, v in place.items() if k not in ("address", "extratags", "place_id")}}
    if params.get("addressdetails") == "1":
        out["address"] = place["address"]
    if params.get("extratags", "").lower() in ("1", "true"):  # geopy sends "True"
        out["extratags"] = place["extratags"]
    return out


def standin_settings(standin: NominatimStandIn, purpose: str, **overrides):
    """Geocoder settings pointing at `standin`: short timeouts, and a user agent of its own per call.

    shared_nominatim keys its rate limiter on the user agent, so each test gets its own limiter.
    """
    from geo.online import NominatimSettings

    values = {"url": standin.url, "user_agent": f"clashmap-test/{time.monotonic_ns()} ({purpose})",
              "timeout": 1.0, "min_delay": 0.05, "backoff": 60.0}
    return NominatimSettings(**{**values, **overrides})
