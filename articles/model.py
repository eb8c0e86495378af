"""The article record every later step works on."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from clashmap.errors import RecordError


class ArticleError(RecordError, ValueError):
    """An input that cannot be read as an article; the message names the file and the problem."""


def article_id(text: str) -> str:
    """A stable id from the normalised text, so the same story ingested twice is stored once.

    Normalising (NFC, curly quotes, whitespace runs) keeps re-saved or re-wrapped copies of
    one file from becoming two articles.
    """
    normal = unicodedata.normalize("NFC", text)
    normal = normal.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    normal = re.sub(r"\s+", " ", normal).strip().casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Article:
    """One news article as read.

    `text` is the input exactly as decoded: every offset in clashmap (dateline, mentions,
    evidence) points into it, so the article view can highlight without re-parsing.
    """

    text: str
    source: str
    body_start: int = 0
    published: date | None = None
    dateline: str | None = None
    dateline_start: int | None = None
    dateline_end: int | None = None
    filed_time: str | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", article_id(self.text))

    @property
    def body(self) -> str:
        return self.text[self.body_start :]
