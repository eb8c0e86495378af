"""A sitemap index (<sitemapindex>) as a source: its child sitemaps are read, their articles followed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))
from newsroom import AIRSTRIKE, SHELLING, Outlet, Route, article_page  # noqa: E402

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _index(children: list[str]) -> bytes:
    items = "".join(f"<sitemap><loc>{c}</loc><lastmod>2026-11-20T10:00:00+00:00</lastmod></sitemap>" for c in children)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="{SM}">{items}</sitemapindex>'.encode()


def _urlset(locs: list[str]) -> bytes:
    items = "".join(f"<url><loc>{loc}</loc><lastmod>2026-11-19T08:00:00+00:00</lastmod></url>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="{SM}">{items}</urlset>'.encode()


@pytest.fixture
def outlet():
    server = Outlet()
    yield server
    server.close()


def test_sitemap_entries_of_an_index_are_its_child_sitemaps():
    from articles.feeds import sitemap_entries

    entries = sitemap_entries(_index(["http://x.test/s1.xml", "http://x.test/s2.xml"]))
    assert [(e.url, e.sitemap) for e in entries] == [("http://x.test/s1.xml", True), ("http://x.test/s2.xml", True)]
    assert [e.sitemap for e in sitemap_entries(_urlset(["http://x.test/a"]))] == [False]


def test_a_sitemap_index_source_is_followed_through_its_children(sessions, outlet, monkeypatch):
    from clashmap.follow import Follower
    from store.schema import FetchedPage, Source
    from store.sources import add_source

    monkeypatch.setenv("CLASHMAP_FOLLOW_HOST_GAP", "0.01")
    monkeypatch.setenv("CLASHMAP_FOLLOW_MIN_WORDS", "40")
    u = outlet.url
    outlet.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", content_type="text/plain")
    # two children with one article each, a child that is gone (404) and one that links back to an index
    outlet.routes["/sitemap_index.xml"] = Route(_index([f"{u}/sitemaps/news-1.xml", f"{u}/sitemaps/news-2.xml",
                                                        f"{u}/sitemaps/gone.xml", f"{u}/sitemaps/nested.xml"]),
                                                etag='"index-v1"', content_type="application/xml")
    outlet.routes["/sitemaps/news-1.xml"] = Route(_urlset([f"{u}/news/shelling"]), content_type="application/xml")
    outlet.routes["/sitemaps/news-2.xml"] = Route(_urlset([f"{u}/news/strike"]), content_type="application/xml")
    outlet.routes["/sitemaps/nested.xml"] = Route(_index([f"{u}/sitemaps/deeper.xml"]), content_type="application/xml")
    outlet.routes["/sitemaps/deeper.xml"] = Route(_urlset([f"{u}/news/deeper"]), content_type="application/xml")
    outlet.routes["/news/shelling"] = Route(article_page("Shelling", SHELLING))
    outlet.routes["/news/strike"] = Route(article_page("Air strike", AIRSTRIKE))
    add_source(sessions, "Outlet index", f"{u}/sitemap_index.xml", kind="sitemap")

    follower = Follower(sessions)
    try:
        report = follower.run_once()
    finally:
        follower.close()

    with sessions() as session:
        pages = dict(session.execute(select(FetchedPage.url, FetchedPage.status)).all())
        source = session.scalar(select(Source))
    assert pages == {f"{u}/news/shelling": "article", f"{u}/news/strike": "article"}
    # one level only (sitemaps.org: an index lists sitemaps, not indexes): the nested index is not followed
    assert "/sitemaps/deeper.xml" not in outlet.paths()
    # the gone child is noted; the source is fine, keeps the index's own ETag and counts one poll
    assert any("gone.xml" in e and "404" in e for e in report.errors)
    assert source.enabled and source.failures == 0 and source.etag == '"index-v1"' and source.articles == 2
    assert report.polled == 1
    # the children were asked without the index's validators
    assert not [h for h in outlet.hits if h.path.startswith("/sitemaps/") and "if-none-match" in h.headers]
