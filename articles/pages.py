"""Article pages: the text (`trafilatura`), the date with time and zone (`htmldate`), the canonical URL,
the language (`py3langid`, offline)."""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass

import htmldate
import py3langid
import trafilatura

# trafilatura and htmldate log every page they find hard; the outcome is recorded per page instead
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

READ_LANGUAGES = ("en",)  # languages clashmap reads today (its NER model and lexicons are English)


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None
    canonical: str | None
    published: str | None  # ISO 8601, with time and zone when the page gives them
    language: str | None
    words: int


def read_page(html: bytes | str, url: str) -> Page:
    """What an article page says, without its navigation, teasers and footers."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    title = getattr(doc, "title", None) if doc is not None else None
    canonical = _canonical(html)
    published = None
    try:
        published = htmldate.find_date(html, url=url, outputformat="%Y-%m-%dT%H:%M:%S%z", original_date=True,
                                       extensive_search=False)
    except Exception:  # noqa: BLE001: a page without a readable date keeps the feed's date
        published = None
    if published and published.endswith("T00:00:00") is False and len(published) > 19 and published[-5] in "+-":
        published = f"{published[:-2]}:{published[-2:]}"  # +0200 -> +02:00 (ISO 8601 extended)
    language = None
    if text:
        language = py3langid.classify(text)[0]
    return Page(text=text, title=title, canonical=canonical, published=published, language=language,
                words=len(text.split()))


def _canonical(html: str) -> str | None:
    from lxml import html as lhtml

    try:
        tree = lhtml.fromstring(html)
    except Exception:  # noqa: BLE001: an unparsable page has no canonical link
        return None
    for link in tree.iterfind(".//link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return link.get("href").strip()
    return None


def compress(raw: bytes) -> bytes:
    return gzip.compress(raw, compresslevel=6)


def decompress(stored: bytes) -> bytes:
    return gzip.decompress(stored)
