"""Links from RSS/Atom feeds (`feedparser`) and news sitemaps (sitemaps.org + Google News extension)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import feedparser
from xml.sax import SAXException
from lxml import etree


class FeedError(ValueError):
    """The document is not a readable feed or sitemap; the message says what was wrong."""


@dataclass(frozen=True)
class Entry:
    url: str
    title: str | None = None
    published: str | None = None  # ISO 8601 with zone, the feed's own date (the fallback of the page's)
    sitemap: bool = False  # a child sitemap of a sitemap index, not an article page


def _iso(struct) -> str | None:
    if not struct:
        return None
    return datetime(*struct[:6], tzinfo=timezone.utc).isoformat()


def feed_entries(body: bytes, base_url: str, content_type: str | None = None) -> list[Entry]:
    """The entries of an RSS or Atom document; `FeedError` when it is not one (or too broken to have entries).

    A feed with no items is no error (a quiet day); feedparser's tolerance of small faults is kept."""
    headers = {"content-location": base_url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers)
    entries = []
    for item in parsed.entries:
        link = item.get("link")
        if not link:
            continue
        entries.append(Entry(url=link, title=item.get("title"),
                             published=_iso(item.get("published_parsed") or item.get("updated_parsed"))))
    broken = isinstance(parsed.get("bozo_exception"), SAXException)  # not well-formed XML
    if not entries and (broken or not parsed.get("version")):
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: None)() \
            or str(parsed.get("bozo_exception") or "not RSS or Atom")
        raise FeedError(f"malformed feed ({' '.join(reason.split())[:200]})")
    return entries


_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}


def sitemap_entries(body: bytes) -> list[Entry]:
    """The URLs of a (news) sitemap, with the news title and publication date when given; for a sitemap
    index (<sitemapindex>), its child sitemaps (entries with `sitemap=True`, their <lastmod> as the date)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as err:
        raise FeedError(f"malformed sitemap ({' '.join(str(err).split())[:200]})") from None
    if etree.QName(root).localname not in ("urlset", "sitemapindex"):
        raise FeedError(f"not a sitemap (the document is <{etree.QName(root).localname}>)")
    entries = []
    for node in root.iterfind("sm:sitemap", _NS):
        loc = node.findtext("sm:loc", namespaces=_NS)
        if loc and loc.strip():
            lastmod = node.findtext("sm:lastmod", namespaces=_NS)
            entries.append(Entry(url=loc.strip(), published=lastmod.strip() if lastmod else None, sitemap=True))
    for node in root.iterfind("sm:url", _NS):
        loc = node.findtext("sm:loc", namespaces=_NS)
        if not loc:
            continue
        published = node.findtext("news:news/news:publication_date", namespaces=_NS) \
            or node.findtext("sm:lastmod", namespaces=_NS)
        entries.append(Entry(url=loc.strip(), title=node.findtext("news:news/news:title", namespaces=_NS),
                             published=published.strip() if published else None))
    return entries
