"""Local outlets for the follow tests: a few http.server threads on 127.0.0.1, each port one "host".

Every request is logged (path, headers, monotonic time), so a test can assert what a polite
follower did: which paths it never asked for, the gap between two requests to one host, which
requests were conditional. All texts are written for these tests.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SHELLING = (
    "Artillery shelling hit the eastern districts of Mosul on Tuesday morning, killing four civilians and wounding "
    "eleven others, the provincial health office said.\n"
    "Witnesses described several explosions near the old market shortly after dawn. Rescue teams worked through the "
    "day to clear rubble from two collapsed houses, and the wounded were taken to the city's main hospital.\n"
    "Local officials blamed militants positioned in villages to the west of the city, who have fired on the area "
    "several times this month. Security forces said they had returned fire and were searching the surrounding "
    "farmland.\n"
    "Residents said many families had begun to leave the district for relatives' homes in safer neighbourhoods, "
    "fearing further attacks in the coming days.")

# the same wire story as a second outlet runs it: a new first line, a few words changed, a credit line
SHELLING_COPY = (
    "By our correspondent with agency reports.\n" + SHELLING.replace("on Tuesday morning", "early on Tuesday")
    .replace("Rescue teams worked", "Emergency crews worked") + "\nThis report was compiled with wire agencies.")

AIRSTRIKE = (
    "An air strike destroyed a fuel depot on the outskirts of Aleppo late on Sunday, a monitoring group said, "
    "setting off fires that burned through the night.\n"
    "There was no immediate word on casualties. Fire crews from nearby towns were called in to contain the blaze, "
    "and roads around the depot were closed to traffic until Monday afternoon.\n"
    "The group said the aircraft had approached from the south and struck twice within a few minutes. Military "
    "officials declined to comment on the raid when asked by reporters on Monday.\n"
    "Traders in the city reported long queues at petrol stations on Monday as drivers feared shortages after the "
    "loss of the depot, which supplied much of the region.")

CLASHES = (
    "Fighting broke out between government troops and rebels near Homs on Wednesday, with both sides reporting "
    "losses after several hours of clashes along the main road north of the city.\n"
    "A spokesman for the army said soldiers had repelled an attack on a checkpoint and killed several fighters. "
    "Rebel commanders said they had captured two villages and taken a number of prisoners during the assault.\n"
    "Independent confirmation of either account was not possible. Aid workers said dozens of families had fled "
    "toward the city overnight, carrying what they could, and that shelters were already crowded.\n"
    "The road, an important supply route for the region, remained closed on Thursday morning as sporadic gunfire "
    "continued in the surrounding fields.")

FRENCH = (
    "Des tirs d'artillerie ont frappé le quartier est de la ville mardi matin, faisant plusieurs blessés parmi les "
    "civils, selon les autorités locales. Les secours ont travaillé toute la journée pour dégager les décombres de "
    "deux maisons effondrées, et les blessés ont été transportés à l'hôpital principal de la ville. Les habitants "
    "disent craindre de nouvelles attaques dans les prochains jours et plusieurs familles ont quitté le quartier "
    "pour se réfugier chez des proches dans des zones plus calmes. Les forces de sécurité ont indiqué avoir riposté.")

MARKET = (
    "Traders reopened the central market on Thursday for the first time in a week, as shoppers returned to buy "
    "bread, vegetables and fuel after days of closures. Prices had risen sharply, several stall holders said, "
    "and some goods were still hard to find. Municipal workers cleared debris from the main square in the "
    "morning, and buses ran again on two of the city's routes by the afternoon.")

TEASER = "Subscribe to read the full story about the overnight raid. Already a subscriber? Log in."

BOILER_TOP = ("<header><nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a> "
              "<a href='/weather'>Weather</a></nav></header><aside><h3>Most read</h3><ul><li>Local team wins cup"
              "</li><li>New bridge opens downtown</li></ul></aside>")
BOILER_END = "<footer><p>Copyright The Outlet. All rights reserved.</p><p>Contact us | Privacy</p></footer>"


def article_page(title: str, text: str, *, published: str | None = None, canonical: str | None = None,
                 lang: str = "en") -> bytes:
    head = f"<title>{title}</title>"
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    if published:
        head += ('<script type="application/ld+json">'
                 + json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                               "datePublished": published}) + "</script>")
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n"))
    return (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>{head}</head><body>{BOILER_TOP}"
            f"<main><article><h1>{title}</h1>{paragraphs}</article></main>{BOILER_END}</body></html>").encode()


def rss(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate></item>"
                      for t, link, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Outlet A</title>'
            f"<link>http://example.invalid/</link><description>news</description>{entries}</channel></rss>").encode()


def atom(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(f'<entry><title>{t}</title><link href="{link}"/><id>{link}</id><updated>{d}</updated></entry>'
                      for t, link, d in items)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Outlet B</title>'
            f'<id>urn:outlet-b</id><updated>2026-11-20T10:00:00Z</updated>{entries}</feed>').encode()


def news_sitemap(items: list[tuple[str, str, str]]) -> bytes:
    urls = "".join(f"<url><loc>{loc}</loc><news:news><news:publication><news:name>Outlet B</news:name>"
                   f"<news:language>en</news:language></news:publication><news:publication_date>{d}"
                   f"</news:publication_date><news:title>{t}</news:title></news:news></url>" for t, loc, d in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode()


@dataclass
class Hit:
    path: str
    headers: dict
    at: float
    status: int = 0


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=dict)
    etag: str | None = None
    content_type: str = "text/html; charset=utf-8"
    hold: threading.Event | None = None  # the answer waits until it is set (a page that is slow until a test says so)


class Outlet:
    """One HTTP server (one host) with fixed routes; `hits` logs every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        outlet = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                hit = Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                outlet.hits.append(hit)
                route = outlet.routes.get(self.path)
                if route is None:
                    hit.status = 404
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.etag and hit.headers.get("if-none-match") == route.etag:
                    hit.status = 304
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                if route.hold is not None and not route.hold.is_set():
                    route.hold.wait(120)
                hit.status = route.status
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", route.etag)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def build_newsroom() -> dict[str, Outlet]:
    """Three outlets: `a` (RSS, robots.txt with Disallow and Crawl-delay, ETag), `b` (Atom, news sitemap,
    copies of a's stories) `c` (a malformed feed, a failing feed) and `d` (a 429 with Retry-After: the host is left alone)."""
    a, b, c, d = Outlet(), Outlet(), Outlet(), Outlet()
    a.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.3\n",
                                    content_type="text/plain")
    a.routes["/rss.xml"] = Route(rss([
        ("Shelling hits Mosul", f"{a.url}/news/1?utm_source=rss&amp;utm_medium=feed", "Tue, 17 Nov 2026 09:00:00 GMT"),
        ("Shelling hits Mosul (comments)", f"{a.url}/news/1#comments", "Tue, 17 Nov 2026 09:00:00 GMT"),
        ("Air strike near Aleppo", f"{a.url}/news/2", "Mon, 16 Nov 2026 06:30:00 GMT"),
        ("Members only", f"{a.url}/private/report", "Mon, 16 Nov 2026 06:00:00 GMT"),
        ("The overnight raid", f"{a.url}/premium/3", "Mon, 16 Nov 2026 05:00:00 GMT"),
        ("Tirs sur la ville", f"{a.url}/fr/4", "Mon, 16 Nov 2026 04:00:00 GMT"),
        ("Clashes near Homs", f"{a.url}/old/5", "Wed, 18 Nov 2026 12:00:00 GMT"),
        ("Broken page", f"{a.url}/broken/6", "Wed, 18 Nov 2026 12:00:00 GMT"),
    ]), etag='"rss-v1"', content_type="application/rss+xml")
    a.routes["/news/1"] = Route(article_page("Shelling hits Mosul", SHELLING, published="2026-11-17T08:15:00+02:00"))
    a.routes["/news/2"] = Route(article_page("Air strike near Aleppo", AIRSTRIKE))  # no date: the feed's is used
    a.routes["/private/report"] = Route(article_page("Members only", CLASHES))
    a.routes["/premium/3"] = Route(article_page("The overnight raid", TEASER))
    a.routes["/fr/4"] = Route(article_page("Tirs sur la ville", FRENCH, lang="fr"))
    a.routes["/old/5"] = Route(status=301, headers={"Location": "/news/5"})
    a.routes["/news/5"] = Route(article_page("Clashes near Homs", CLASHES, published="2026-11-18T11:40:00-05:00"))
    a.routes["/broken/6"] = Route(b"oops", status=500)

    b.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", content_type="text/plain")
    b.routes["/atom.xml"] = Route(atom([
        ("Mosul shelled (wire)", f"{b.url}/story/a", "2026-11-17T10:00:00Z"),
        ("Aleppo depot hit", f"{b.url}/story/b?fbclid=xyz", "2026-11-16T08:00:00Z"),
        ("Mosul shelling", f"{b.url}/story/c", "2026-11-17T10:05:00Z"),
    ]), content_type="application/atom+xml")
    b.routes["/story/a"] = Route(article_page("Mosul shelled", SHELLING_COPY))
    b.routes["/story/b"] = Route(article_page("Aleppo depot hit", AIRSTRIKE))
    b.routes["/story/c"] = Route(article_page("Mosul shelling", SHELLING_COPY, canonical=f"{a.url}/news/1"))
    b.routes["/story/c2"] = Route(article_page("Market reopens", MARKET, canonical=f"{a.url}/news/1?utm_campaign=x"))
    b.routes["/sitemap.xml"] = Route(news_sitemap([("Clashes near Homs", f"{b.url}/story/a",
                                                    "2026-11-17T10:00:00+00:00")]), content_type="application/xml")

    d.routes["/feed.xml"] = Route(b"slow down", status=429, headers={"Retry-After": "120"})
    d.routes["/later.xml"] = Route(rss([]), content_type="application/rss+xml")
    c.routes["/bad.xml"] = Route(b"<rss><channel><item><title>unclosed", content_type="application/rss+xml")
    c.routes["/down.xml"] = Route(b"oops", status=500)
    return {"a": a, "b": b, "c": c, "d": d}
