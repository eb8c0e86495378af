"""Turn files and pasted text into `Article`s.

The house format is the one wire desks send us::

    source: Caspian Dispatch              (optional header lines)
    title: Heavy fighting near Shushi
     date 2020-11-09 BEIRUT, LEBANON (6:00 A.M.) – First paragraph...

A wire dateline without the `date` line ("BAKU, AZERBAIJAN — ...") is read too, without a date.
Plain text without any header is valid (no publication date then). Batches come as
folders, JSON (a list of objects or JSON Lines) or CSV with a `text` column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from articles.model import Article, ArticleError

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
BATCH_SUFFIXES = {".json", ".jsonl", ".csv"}

_HEADER_LINE = re.compile(r"^[ \t]*(source|title|url)[ \t]*:[ \t]*(.*?)[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
_DATELINE = re.compile(
    r"""^[ \t]*date[ \t]+(?P<date>\d{4}-\d{2}-\d{2})   # publication date
        (?:[ \t]+(?P<dateline>[^\n()–—]*?[^\s\n()–—]))?  # CITY, COUNTRY (no dash inside)
        (?:[ \t]*\((?P<time>[^)\n]*)\))?                 # optional (6:00 A.M.)
        [ \t]*(?:[–—]|-(?=\s))[ \t]*                     # en dash, em dash or a spaced hyphen
    """,
    re.IGNORECASE | re.VERBOSE | re.MULTILINE,
)
_DATE_ONLY = re.compile(r"^[ \t]*date[ \t]+(?P<date>\d{4}-\d{2}-\d{2})[ \t]*\r?\n", re.IGNORECASE)
# a wire dateline with no `date` line before it: "BAKU, AZERBAIJAN — ..." or "KYIV, Ukraine (AP) — ...".
# The city must be in capitals (case-sensitive), so an ordinary first sentence with a dash is not taken.
_BARE_DATELINE = re.compile(
    r"""^[ \t]*(?P<dateline>[A-Z][A-Z.'’-]*(?:[ ][A-Z][A-Z.'’-]*){0,3}   # CITY in capitals, up to four words
        (?:,[ \t]+[A-Z][A-Za-z.'’-]*(?:[ ][A-Z][A-Za-z.'’-]*){0,3})?)      # , COUNTRY or , Country
        (?:[ \t]*\((?P<time>[^)\n]*)\))?                                   # (6:00 A.M.) or (AP)
        [ \t]*(?:[–—]|-(?=\s))[ \t]*                                       # en dash, em dash or a spaced hyphen
    """,
    re.VERBOSE,
)


def read_text(text: str, source: str = "<pasted>", *, outlet: str | None = None, title: str | None = None,
              url: str | None = None, published: date | None = None) -> Article:
    """Read one article from text: header lines, `date` line with dateline, then the body.

    >>> a = read_text("date 2020-11-09 BEIRUT, LEBANON (6:00 A.M.) – Troops stormed Shushi.")
    >>> a.published.isoformat(), a.dateline, a.body
    ('2020-11-09', 'BEIRUT, LEBANON', 'Troops stormed Shushi.')
    """
    if "\x00" in text:
        raise ArticleError(source, "looks like a binary file (it contains NUL bytes), not article text")
    if not text.strip():
        raise ArticleError(source, "is empty: there is no article text to read")

    headers: dict[str, str] = {}
    pos = 0
    while True:
        match = _HEADER_LINE.match(text, pos)
        if not match or match.start() != pos:
            break
        headers[match.group(1).lower()] = match.group(2)
        pos = match.end() + 1 if match.end() < len(text) else match.end()

    fields: dict = {}
    dateline = _DATELINE.match(text, pos)
    date_only = None if dateline else _DATE_ONLY.match(text, pos)
    found = dateline or date_only
    if found:
        raw_date = found.group("date")
        try:
            fields["published"] = date.fromisoformat(raw_date)
        except ValueError:
            raise ArticleError(source, f"has an impossible publication date {raw_date!r}") from None
        if dateline and dateline.group("dateline"):
            fields["dateline"] = dateline.group("dateline")
            fields["dateline_start"] = dateline.start("dateline")
            fields["dateline_end"] = dateline.end("dateline")
        if dateline and dateline.group("time"):
            fields["filed_time"] = dateline.group("time").strip()
        pos = found.end()
    else:
        bare = _BARE_DATELINE.match(text, pos)
        if bare and len(bare.group("dateline")) >= 3:
            fields["dateline"] = bare.group("dateline")
            fields["dateline_start"] = bare.start("dateline")
            fields["dateline_end"] = bare.end("dateline")
            if bare.group("time") and any(ch.isdigit() for ch in bare.group("time")):
                fields["filed_time"] = bare.group("time").strip()
            pos = bare.end()
    body_start = _skip_blank(text, pos)
    if not text[body_start:].strip():
        raise ArticleError(source, "has a header but no article body")
    if published is not None:
        fields["published"] = published
    return Article(text=text, source=source, body_start=body_start,
                   outlet=outlet or headers.get("source") or None,
                   title=title or headers.get("title") or None,
                   url=url or headers.get("url") or None, **fields)


def _skip_blank(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ArticleError(str(path), f"cannot be opened ({err.strerror or err})") from None
    if b"\x00" in raw[:8192]:
        raise ArticleError(str(path), "looks like a binary file (it contains NUL bytes), not article text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArticleError(str(path), f"is not UTF-8 text (undecodable byte at offset {err.start})") from None


def read_file(path: str | Path) -> list[Article]:
    """Read every article in one file: one for a text file, one per record for JSON/CSV batches."""
    path = Path(path)
    text = _decode(path)
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl"):
        return _read_json(text, str(path))
    if suffix == ".csv":
        return _read_csv(text, str(path))
    return [read_text(text, str(path))]


def _record_to_article(record: object, source: str) -> Article:
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ArticleError(source, "each record needs a 'text' field holding the article")
    published = record.get("published") or record.get("date")
    try:
        parsed = date.fromisoformat(published[:10]) if isinstance(published, str) and published else None
    except ValueError:
        raise ArticleError(source, f"has an impossible publication date {published!r}") from None
    return read_text(record["text"], source, outlet=record.get("source") or record.get("outlet"),
                     title=record.get("title"), url=record.get("url"), published=parsed)


def _read_json(text: str, source: str) -> list[Article]:
    try:
        stripped = text.lstrip()
        if stripped.startswith("["):
            records = json.loads(text)
        elif stripped.startswith("{") and "\n{" not in stripped:
            records = [json.loads(text)]
        else:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as err:
        raise ArticleError(source, f"is not valid JSON ({err.msg} at line {err.lineno})") from None
    return [_record_to_article(rec, f"{source}#{i + 1}") for i, rec in enumerate(records)]


def _read_csv(text: str, source: str) -> list[Article]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise ArticleError(source, "is a CSV without a 'text' column")
    return [_record_to_article(row, f"{source}#{i + 1}") for i, row in enumerate(reader)]


def iter_input_files(paths: list[str | Path]) -> Iterator[Path]:
    """Expand folders into their readable files (sorted, hidden files skipped), keep files as given."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith(".") and child.name.lower() != "readme.md" \
                        and child.suffix.lower() in TEXT_SUFFIXES | BATCH_SUFFIXES:
                    yield child
        else:
            yield path


def read_paths(paths: list[str | Path]) -> Iterator[tuple[Path, list[Article] | ArticleError]]:
    """Read files and folders, yielding each file with its articles or the error that rejects it."""
    for path in iter_input_files(paths):
        try:
            yield path, read_file(path)
        except ArticleError as err:
            yield path, err
