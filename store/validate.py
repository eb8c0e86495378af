"""Values checked before they are stored, by the same rules on SQLite and on PostgreSQL.

SQLite keeps a 600-character title in a VARCHAR(500) column and a NUL inside a string without a word;
PostgreSQL refuses both. Checking here, before either database sees a value, means a store made on
SQLite can always be copied to PostgreSQL with `clashmap db copy`, and one bad record is one clear
rejection instead of a database error. The lengths are read from the schema's column types, so a
migration that widens a column widens the check with it.

Per field, truncate or reject (or drop), and why:
- title, outlet: cut to the column with an ellipsis. They are labels; the start says what they are,
  and losing the story over an over-long headline would be worse.
- url: rejected. A cut URL points to some other page: provenance that silently lies.
- source path: its start is cut (an ellipsis in front), as the file name and record number are at the end.
- dateline, filed time: dropped. clashmap found them in the text itself (which keeps them); one that
  long is a misread sentence, and its offsets are dropped with it.
- NUL characters: stripped from these short fields (scraper junk, invisible); an article text with
  NUL is rejected by the reader as binary data. Text that is not valid Unicode (a lone surrogate from
  JSON's "\\ud800") is rejected: neither database can store it.
- publication date: rejected outside 1900-01-01 .. one year after today. ACLED's own data begins in
  1997 (its earliest region) and is coded up to the present; 1900 leaves room for archive stories
  while a year like 0001 or 9999 can only be a typo, and would make date arithmetic overflow.
- what the pipeline found (places, mentions, events) is cleaned, never a reason to lose the article:
  an event date outside the span or a casualty figure beyond a 32-bit integer becomes unknown; a
  "place name" longer than its column is no place name and that mention is left out; a place with
  coordinates out of range or an id beyond 64 bits is left unresolved.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from articles.model import Article, ArticleError
from store.schema import Article as ArticleRow
from store.schema import Event as EventRow
from store.schema import Mention as MentionRow
from store.schema import Place as PlaceRow

EARLIEST = date(1900, 1, 1)
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
ELLIPSIS = "…"


def _length(table, name: str) -> int:
    return table.__table__.c[name].type.length


def latest_date(today: date | None = None) -> date:
    """The last plausible publication or event date: one year after today."""
    return (today or date.today()) + timedelta(days=366)


def plausible(day: date | None) -> bool:
    return day is None or EARLIEST <= day <= latest_date()


def _clean(value: str | None) -> str | None:
    """NUL stripped and lone surrogates replaced; None for nothing left."""
    if value is None:
        return None
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value.strip() or None


def _cut(value: str | None, length: int) -> str | None:
    if value is None or len(value) <= length:
        return value
    return value[: length - 1].rstrip() + ELLIPSIS


def _cut_front(value: str, length: int) -> str:
    return value if len(value) <= length else ELLIPSIS + value[-(length - 1):]


def check_article(article: Article) -> Article:
    """The article as it will be stored, or an `ArticleError` naming the record and the field."""
    source = str(article.source)
    for name in ("text", "title", "outlet", "url", "dateline", "filed_time"):
        value = getattr(article, name)
        if not (value is None and name != "text" or isinstance(value, str)):
            raise ArticleError(source, f"has a {type(value).__name__} as its {name}, where text is expected")
    if article.published is not None and not isinstance(article.published, date):
        raise ArticleError(source, f"has a {type(article.published).__name__} as its publication date")
    try:
        article.text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ArticleError(source, f"has text that is not valid Unicode (a lone surrogate at character {err.start})") \
            from None
    if "\x00" in article.text:
        raise ArticleError(source, "looks like binary data (it contains NUL characters), not article text")
    if not plausible(article.published):
        raise ArticleError(source, f"has a publication date {article.published.isoformat()} outside "
                                   f"{EARLIEST.isoformat()} .. {latest_date().isoformat()}")
    url = _clean(article.url)
    url_max = _length(ArticleRow, "url")
    if url is not None and len(url) > url_max:
        raise ArticleError(source, f"has a url of {len(url):,} characters, over the {url_max} the store keeps")
    changes: dict = {
        "source": _cut_front(_clean(source) or "?", _length(ArticleRow, "source_path")),
        "title": _cut(_clean(article.title), _length(ArticleRow, "title")),
        "outlet": _cut(_clean(article.outlet), _length(ArticleRow, "outlet")),
        "url": url,
    }
    dateline = _clean(article.dateline)
    if dateline is None or len(dateline) > _length(ArticleRow, "dateline") or dateline != article.dateline:
        changes.update(dateline=None, dateline_start=None, dateline_end=None)
    filed = _clean(article.filed_time)
    changes["filed_time"] = filed if filed is not None and len(filed) <= _length(ArticleRow, "filed_time") else None
    if all(getattr(article, k) == v for k, v in changes.items()):
        return article
    return replace(article, **changes)


def _place_ok(place) -> bool:
    try:
        return (-INT64_MAX - 1 <= int(place.id) <= INT64_MAX and math.isfinite(place.lat) and math.isfinite(place.lon)
                and -90 <= place.lat <= 90 and -180 <= place.lon <= 180)
    except (TypeError, ValueError):
        return False


def clean_place(place):
    """A place record that fits the `places` table, or None when it cannot be stored truthfully."""
    if place is None or not _place_ok(place):
        return None
    code = _clean(place.country_code)
    admin1 = _clean(place.admin1)
    population = place.population if isinstance(place.population, int) and 0 <= place.population <= INT32_MAX else 0
    changes = {
        "name": _cut(_clean(place.name) or "?", _length(PlaceRow, "name")),
        "country_code": code if code is not None and len(code) <= _length(PlaceRow, "country_code") else None,
        "admin1": admin1 if admin1 is not None and len(admin1) <= _length(PlaceRow, "admin1") else None,
        "kind": _cut(_clean(place.kind) or "place", _length(PlaceRow, "kind")),
        "source": _cut(_clean(place.source) or "?", _length(PlaceRow, "source")),
        "population": population,
    }
    if all(getattr(place, k) == v for k, v in changes.items()):
        return place
    return replace(place, **changes)


def _count(value):
    return value if value is None or (isinstance(value, int) and -INT32_MAX <= value <= INT32_MAX) else None


def clean_reading(reading):
    """The reading as it will be stored: every value within its column (see the module's rules)."""
    text_max = _length(MentionRow, "text")
    mentions = []
    for res in reading.mentions:
        if len(res.toponym.text) > text_max:
            continue
        place = clean_place(res.place)
        mentions.append(res if place is res.place else replace(res, place=place))
    events = []
    for event in reading.events:
        place = clean_place(event.place)
        fat = event.fatalities
        if fat:
            fat = {k: _count(v) for k, v in fat.items()}
        changes = {
            "place": place,
            "event_date": event.event_date if plausible(event.event_date) else None,
            "actor1": _cut(_clean(event.actor1), _length(EventRow, "actor1")),
            "actor2": _cut(_clean(event.actor2), _length(EventRow, "actor2")),
            "claimed_by": _cut(_clean(event.claimed_by), _length(EventRow, "claimed_by")),
            "sub_event_type": _cut(event.sub_event_type, _length(EventRow, "sub_event_type")),
            "fatalities": fat,
            "losses": {k: v for k, v in (event.losses or {}).items() if _count(v) is not None},
        }
        events.append(event if all(getattr(event, k) == v for k, v in changes.items()) else replace(event, **changes))
    dateline = reading.dateline
    if dateline is not None:
        if reading.article.dateline is None or len(dateline.toponym.text) > text_max:
            dateline = None
        else:
            place = clean_place(dateline.place)
            dateline = dateline if place is dateline.place else replace(dateline, place=place)
    return replace(reading, mentions=mentions, events=events, dateline=dateline)


def fit_row(table, row: dict) -> tuple[dict, int]:
    """A row of `table` (a SQLAlchemy Table) made to fit it: NUL removed from text, strings over their
    column's length cut with an ellipsis; and how many values changed.

    For `clashmap db copy` from a store written before values were checked here: SQLite kept what
    PostgreSQL refuses, and one such value would roll the whole copy back."""
    changed = 0
    for column in table.columns:
        value = row.get(column.name)
        if not isinstance(value, str) or column.primary_key or column.foreign_keys:
            continue  # keys are never cut: two rows could become one, or a reference lose its row
        fitted = value.replace("\x00", "") if "\x00" in value else value
        length = getattr(column.type, "length", None)
        if length and len(fitted) > length:
            fitted = fitted[: length - 1] + ELLIPSIS
        if fitted is not value:
            row[column.name] = fitted
            changed += 1
    return row, changed
