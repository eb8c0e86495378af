"""Turn files and pasted text into `Article`s.

The house format is the one wire desks send us::

    source: Caspian Dispatch              (optional header lines)
    title: Heavy fighting near Shushi
     date 2020-11-09 BEIRUT, LEBANON (6:00 A.M.) – First paragraph...

A wire dateline without the `date` line ("BAKU, AZERBAIJAN — ...") is read too; when it carries a full date
("KHARTOUM, Sudan, May 12, 2025 (Newsdesk) --") that is the publication date, a year-less one ("KYIV, March 3
(Reuters) -") leaves the article undated.
Plain text without any header is valid (no publication date then). Batches come as
folders, JSON (a list of objects or JSON Lines) or CSV with a `text` column.

Every record is its own outcome (`read_records`): a bad record is rejected with the file, the record
(JSON Lines or CSV line, JSON array record number) and the reason, and the others are read. An article
over `max_article_bytes` is rejected without being read whole; a batch file over `max_batch_bytes` is
rejected unread. UTF-8 (with or without BOM) and UTF-16/32 with a BOM are decoded.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from articles.calendar import MONTH_PATTERN, month_number
from articles.model import Article, ArticleError
from clashmap.errors import RecordError
from clashmap.settings import get_settings

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
BATCH_SUFFIXES = {".json", ".jsonl", ".csv"}

_HEADER_LINE = re.compile(r"^[ \t]*(source|title|url)[ \t]*:[ \t]*(.*?)[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
_DATELINE = re.compile(
    r"""^[ \t]*date[ \t]+(?P<date>\d{4}-\d{2}-\d{2})   # publication date
        (?:[ \t]+(?P<dateline>[^\n()–—]*?[^\s\n()–—]))?  # CITY, COUNTRY (no dash inside)
        (?:[ \t]*\((?P<time>[^)\n]*)\))?                 # optional (6:00 A.M.)
        [ \t]*(?:[–—]|--?(?=\s))[ \t]*                    # en dash, em dash, a spaced hyphen or "--"
    """,
    re.IGNORECASE | re.VERBOSE | re.MULTILINE,
)
_DATE_ONLY = re.compile(r"^[ \t]*date[ \t]+(?P<date>\d{4}-\d{2}-\d{2})[ \t]*\r?\n", re.IGNORECASE | re.MULTILINE)
# a wire dateline with no `date` line before it: "BAKU, AZERBAIJAN — ...", "KYIV, Ukraine (AP) — ..." or a
# local station's "EDMONTON, Ky. (WBKO) -- ...", with the day it was filed or not ("KYIV, March 3 (Reuters) - ...").
# The city must be in capitals (case-sensitive), so an ordinary first sentence with a dash is not taken.
_BARE_DATELINE = re.compile(
    r"""^[ \t]*(?P<dateline>[A-Z][A-Z.'’-]*(?:[ ][A-Z][A-Z.'’-]*){0,3}   # CITY in capitals, up to four words
        (?:,[ \t]+[A-Z][A-Za-z.'’-]*(?:[ ][A-Z][A-Za-z.'’-]*){0,3})?)      # , COUNTRY or , Country
        (?:,[ \t]+(?P<month>""" + MONTH_PATTERN + r""")                                 # , May 12 or
           [ \t]+(?P<day>\d{1,2})(?:,[ \t]+(?P<year>\d{4}))?)?                                      # , May 12, 2025
        (?:[ \t]*\((?P<time>[^)\n]*)\))?                                   # (6:00 A.M.) or (AP)
        [ \t]*(?:[–—]|--?(?=\s))[ \t]*                                      # en/em dash, spaced hyphen, "--"
    """,
    re.VERBOSE | re.MULTILINE,  # (after header lines, `^` must match where the dateline line starts)
)

# a headline line: short, not a sentence (no closing full stop), then at least one line break
_BYLINE = re.compile(r"by\s+\S", re.IGNORECASE)  # "By Jane Roe" above the dateline is who wrote it, no title
_HEADLINE = re.compile(r"[ \t]*(?P<headline>[^\n]{3,200}?[^.\s])[ \t]*\r?\n(?:[ \t]*\r?\n)*")


def read_text(text: str, source: str = "<pasted>", *, outlet: str | None = None, title: str | None = None,
              url: str | None = None, published: date | None = None, max_bytes: int | None = None) -> Article:
    """Read one article from text: header lines, `date` line with dateline, then the body.

    >>> a = read_text("date 2020-11-09 BEIRUT, LEBANON (6:00 A.M.) – Troops stormed Shushi.")
    >>> a.published.isoformat(), a.dateline, a.body
    ('2020-11-09', 'BEIRUT, LEBANON', 'Troops stormed Shushi.')
    """
    check_size(text, source, max_bytes)
    if "\x00" in text:
        raise ArticleError(source, "looks like binary data (it contains NUL characters), not article text")
    if not text.strip():
        raise ArticleError(source, "is empty: there is no article text to read")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone surrogate, e.g. JSON's "\ud800": no database can store it
        raise ArticleError(source, f"has text that is not valid Unicode (a lone surrogate at character {err.start})") \
            from None

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
    if "dateline" not in fields:
        bare = _wire_dateline(text, pos)
        if bare is None:
            # a pasted page: the headline on its own line, then the wire dateline opening the first paragraph.
            # The dateline is read there; the headline stays in the body (it often names the event).
            headline = _HEADLINE.match(text, pos)
            bare = _wire_dateline(text, headline.end()) if headline else None
            if bare and not _BYLINE.match(headline.group("headline")):
                headers.setdefault("title", headline.group("headline"))
        if bare:
            fields["dateline"] = bare.group("dateline")
            fields["dateline_start"] = bare.start("dateline")
            fields["dateline_end"] = bare.end("dateline")
            if bare.group("time") and any(ch.isdigit() for ch in bare.group("time")):
                fields["filed_time"] = bare.group("time").strip()
            if bare.group("year") and "published" not in fields:  # "KHARTOUM, Sudan, May 12, 2025 (Newsdesk) --"
                fields["published"] = _dateline_day(bare, source)  # : the day the copy was filed
            if bare.start() == pos:
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


def _wire_dateline(text: str, pos: int) -> re.Match | None:
    """A wire dateline opening the line at `pos` ("GAO, Mali — "), its place at least three characters long."""
    bare = _BARE_DATELINE.match(text, pos)
    return bare if bare and len(bare.group("dateline")) >= 3 else None


def _dateline_day(bare: re.Match, source: str) -> date:
    """The publication day a wire dateline carries ("May 12, 2025"); a year-less one ("May 12 (Reuters)") says
    too little to date the copy, so the reader leaves it undated rather than guess the year."""
    month = month_number(bare.group("month"))
    try:
        return date(int(bare.group("year")), month, int(bare.group("day")))
    except ValueError:
        raise ArticleError(source, f"has an impossible date in its dateline {bare.group(0).strip()!r}") from None


def size_label(n: int) -> str:
    """A byte count as people say it: '1.4 MB', '900 KB', '1 MB'."""
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def _too_big(size: int, limit: int, setting: str = "CLASHMAP_MAX_ARTICLE_BYTES", what: str = "article is") -> str:
    shown = size_label(size)
    if shown == size_label(limit):  # just over: say it in bytes rather than "1 MB, over the 1 MB limit"
        shown = f"{size:,} bytes"
    return f"{what} {shown}, over the {size_label(limit)} limit ({setting})"


def check_size(text: str, source: str, limit: int | None = None) -> None:
    """Reject an article whose text is over `limit` (default: the `max_article_bytes` setting), in UTF-8 bytes."""
    limit = limit or get_settings().max_article_bytes
    if len(text) * 4 <= limit:  # at most 4 bytes a character: cannot be over, no need to encode
        return
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise ArticleError(source, _too_big(size, limit))


def _skip_blank(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


# byte-order marks, longest first (UTF-32 LE starts with UTF-16 LE's mark)
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_CHUNK = 1 << 16  # characters read at a time from a batch file


def _encoding(path: Path) -> str:
    """The file's text encoding: from its byte-order mark, else UTF-8; rejects binary files."""
    try:
        with path.open("rb") as file:
            head = file.read(8192)
    except OSError as err:
        raise ArticleError(str(path), f"cannot be opened ({err.strerror or err})") from None
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    if b"\x00" in head:
        raise ArticleError(str(path), "looks like a binary file (it contains NUL bytes), not article text")
    return "utf-8"


def _not_text(path: Path, codec: str, err: UnicodeDecodeError | None = None) -> ArticleError:
    where = f" (undecodable byte at offset {err.start})" if err is not None and err.object[:1] else ""
    name = "UTF-8" if codec.startswith("utf-8") else codec.upper()
    return ArticleError(str(path), f"is not {name} text{where}")


def _read_text_file(path: Path) -> str:
    """A text file decoded, checked against the article limit before it is read (a 50 MB file is not read)."""
    limit = get_settings().max_article_bytes
    codec = _encoding(path)
    size = path.stat().st_size
    factor = 1 if codec.startswith("utf-8") else 4  # UTF-16/32 take 2-4 bytes for what UTF-8 says in 1-4
    if size > limit * factor + 4:
        raise ArticleError(str(path), _too_big(size, limit))
    with path.open("rb") as file:
        raw = file.read(limit * factor + 5)
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as err:
        raise _not_text(path, codec, err) from None


def read_file(path: str | Path) -> list[Article]:
    """Every article in one file; raises the first rejection (`read_records` goes on past bad records)."""
    articles = []
    for _label, outcome in read_records(path):
        if isinstance(outcome, RecordError):
            raise outcome
        articles.append(outcome)
    return articles


class FileRecords:
    """The records of one file, each its own outcome: iterate for `(label, Article | RecordError)`.

    The label names the record for people: the file for a text file, `file:line N` for JSON Lines and
    CSV (the line the record starts on), `file:record N` for a JSON array (counted from 1). Nothing
    raises for what the file holds: an unreadable file is one rejection labelled with its name.
    `total` is the number of records once known (before the first one for every format), for progress.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.total: int | None = None
        self.limit = 0  # max_article_bytes, read as iteration begins

    def __iter__(self) -> Iterator[tuple[str, Article | RecordError]]:
        count = 0
        for outcome in self._outcomes():
            count += 1
            yield outcome
        if not count:  # "[]", a header-only CSV, blank lines: say so rather than report nothing
            self.total = 1
            yield str(self.path), ArticleError(str(self.path), "holds no records: there is no article text to read")

    def _outcomes(self) -> Iterator[tuple[str, Article | RecordError]]:
        source = str(self.path)
        suffix = self.path.suffix.lower()
        try:
            self.limit = get_settings().max_article_bytes  # read once per file: settings cost a look at os.environ
            if suffix in (".json", ".jsonl", ".csv"):
                codec = self._batch_codec()
                if suffix == ".csv":
                    yield from self._csv(codec)
                elif suffix == ".jsonl":
                    yield from self._json_lines(codec)
                else:
                    yield from self._json(codec)
            else:
                self.total = 1
                text = _read_text_file(self.path)
                yield source, _guarded(source, lambda: read_text(text, source, max_bytes=self.limit))
        except RecordError as err:
            self.total = self.total or 1
            yield err.source, err
        except Exception as err:  # noqa: BLE001: an unforeseen failure rejects this file (from here on) alone
            self.total = self.total or 1
            yield source, could_not_read(source, err)

    def _batch_codec(self) -> str:
        codec = _encoding(self.path)
        cap = get_settings().max_batch_bytes
        size = self.path.stat().st_size
        if size > cap:
            raise ArticleError(str(self.path), _too_big(size, cap, "CLASHMAP_MAX_BATCH_BYTES", "batch file is"))
        if size == 0:
            raise ArticleError(str(self.path), "is empty: there is no article text to read")
        return codec

    def _open(self, codec: str):
        return open(self.path, encoding=codec, newline="")

    # JSON ---------------------------------------------------------------------------------------
    def _json(self, codec: str) -> Iterator[tuple[str, Article | RecordError]]:
        """A list of records, one record, or JSON Lines in a .json file (read whole: at most the batch cap)."""
        source = str(self.path)
        try:
            with self._open(codec) as file:
                text = file.read()
        except UnicodeDecodeError as err:
            raise _not_text(self.path, codec, err) from None
        stripped = text.lstrip()
        if not stripped:
            raise ArticleError(source, "is empty: there is no article text to read")
        if stripped[0] == "[":
            yield from self._json_array(text, len(text) - len(stripped))
            return
        try:
            value = json.loads(text)
        except RecursionError:
            raise ArticleError(source, "is nested too deeply to be a batch of articles") from None
        except json.JSONDecodeError as err:
            lines = [line for line in text.splitlines() if line.strip()]
            if stripped[0] == "{" and (err.msg == "Extra data" or len(lines) > 1 and all(
                    line.lstrip().startswith("{") for line in lines)):
                yield from self._lines_to_records(io.StringIO(text, newline=""), len(lines))
                return
            raise ArticleError(source, f"is not valid JSON ({err.msg} at line {err.lineno} column {err.colno})") \
                from None
        if isinstance(value, dict):
            self.total = 1
            yield source, _guarded(source, lambda: _record_to_article(value, source, self.limit))
        elif isinstance(value, list):
            self.total = len(value)
            for i, record in enumerate(value):
                label = f"{source}:record {i + 1}"
                yield label, _guarded(label, lambda: _record_to_article(record, label, self.limit, sized=True))
        else:
            raise ArticleError(source, f"holds a JSON {_kind(value)}, not a list of records with a 'text' field")

    def _json_array(self, text: str, start: int) -> Iterator[tuple[str, Article | RecordError]]:
        """A JSON list read element by element, so a record nested too deeply to read is rejected alone.

        A syntax error ends the reading there (what follows cannot be told apart reliably): the records
        before it are read, the rest of the file is one rejection naming the line and column."""
        source = str(self.path)
        decoder = json.JSONDecoder()
        pos, number = _skip_ws(text, start + 1), 0
        self.total = None
        try:
            if text.startswith("]", pos):
                pos = _skip_ws(text, pos + 1)
            else:
                while True:
                    number += 1
                    label = f"{source}:record {number}"
                    try:
                        record, pos = decoder.raw_decode(text, pos)
                    except RecursionError:
                        pos = _end_of_value(text, pos)
                        yield label, ArticleError(label, "is nested too deeply to be an article record")
                    else:
                        yield label, _guarded(label, lambda: _record_to_article(record, label, self.limit, sized=True))
                    pos = _skip_ws(text, pos)
                    if text.startswith(",", pos):
                        pos = _skip_ws(text, pos + 1)
                        continue
                    if text.startswith("]", pos):
                        pos = _skip_ws(text, pos + 1)
                        break
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
            if pos < len(text):
                raise json.JSONDecodeError("Extra data", text, pos)
        except json.JSONDecodeError as err:
            raise ArticleError(source, f"is not valid JSON ({err.msg} at line {err.lineno} column {err.colno})"
                               + (f": records from {number} on are not read" if number > 1 else "")) from None

    def _json_lines(self, codec: str) -> Iterator[tuple[str, Article | RecordError]]:
        self.total = _count_lines(self.path, codec)
        with self._open(codec) as file:
            yield from self._lines_to_records(file, self.total)

    def _lines_to_records(self, stream, total: int) -> Iterator[tuple[str, Article | RecordError]]:
        self.total = total
        source = str(self.path)
        for number, line, size in _lines(stream, self.path, self.limit):
            label = f"{source}:line {number}"
            if line is None:
                yield label, ArticleError(label, _too_big(size, self.limit))
                continue
            if not line.strip():
                continue
            yield label, _guarded(label, lambda: _record_to_article(_json_line(line, label), label, self.limit))

    # CSV ----------------------------------------------------------------------------------------
    def _csv(self, codec: str) -> Iterator[tuple[str, Article | RecordError]]:
        source = str(self.path)
        limit = self.limit
        # a record is at most `limit` characters, so no field can be longer: the parser never needs more
        csv.field_size_limit(max(csv.field_size_limit(), limit + 2))
        self.total = max(_count_csv_records(self.path, codec) - 1, 0)
        with self._open(codec) as file:
            raw_records = _csv_raw_records(file, self.path, limit)
            header = next(raw_records, None)
            if header is None or header[1] is None:
                raise ArticleError(source, "is a CSV without a 'text' column" if header is None else
                                   f"has a CSV header line over the {size_label(limit)} limit")
            fields = next(csv.reader(io.StringIO(header[1], newline="")), [])
            fields = [name.strip() for name in fields]
            if "text" not in fields:
                shown = ", ".join(repr(f) for f in fields[:8]) or "none"
                raise ArticleError(source, f"is a CSV without a 'text' column (its columns: {shown})")
            for start, raw, size in raw_records:
                label = f"{source}:line {start}"
                if raw is None:
                    yield label, ArticleError(label, _too_big(size, limit))
                    continue
                rows, before = [], 0
                try:
                    parser = csv.reader(io.StringIO(raw, newline=""))
                    for row in parser:
                        rows.append((start + before, row))
                        before = parser.line_num
                except csv.Error as err:
                    yield label, ArticleError(label, f"is not a valid CSV row ({err})")
                    continue
                for first_line, row in rows:
                    if not any(cell.strip() for cell in row):
                        continue
                    label = f"{source}:line {first_line}"
                    record = dict(zip(fields, row))
                    yield label, _guarded(label, lambda: _record_to_article(record, label, limit))


def read_records(path: str | Path) -> FileRecords:
    """The records of one file, each its own outcome (see `FileRecords`)."""
    return FileRecords(path)


def _guarded(label: str, make) -> Article | RecordError:
    """`make()`'s article, or the rejection: a RecordError as it is, anything unexpected named by its type."""
    try:
        return make()
    except RecordError as err:
        return err
    except Exception as err:  # noqa: BLE001: one record's unexpected failure must not stop the batch
        return could_not_read(label, err)


def could_not_read(label: str, err: BaseException) -> RecordError:
    """The rejection for an unexpected failure on one record; the traceback goes to the debug log only."""
    log.debug("%s: unexpected failure", label, exc_info=err)
    message = " ".join(str(err).split())
    message = message[:160] + "…" if len(message) > 160 else message
    return RecordError(label, f"could not read: {type(err).__name__}" + (f": {message}" if message else ""))


_WS = re.compile(r"[ \t\n\r]*")
_VALUE_PART = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]|[^"\[\]{}]+')


def _skip_ws(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()


def _end_of_value(text: str, pos: int) -> int:
    """Where the JSON value starting at `pos` ends, by counting brackets outside strings (no recursion:
    for a value nested too deeply for the json module to parse)."""
    depth = 0
    for part in _VALUE_PART.finditer(text, pos):
        token = part.group()
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
            if depth <= 0:
                return part.end()
        elif depth == 0:
            return part.start()
    return len(text)


def _kind(value: object) -> str:
    return {dict: "object", list: "list", str: "string", bool: "true/false", int: "number", float: "number",
            type(None): "null"}.get(type(value), type(value).__name__)


def _json_line(line: str, label: str) -> object:
    try:
        return json.loads(line)
    except RecursionError:
        raise ArticleError(label, "is nested too deeply to be an article record") from None
    except json.JSONDecodeError as err:
        raise ArticleError(label, f"is not valid JSON ({err.msg} at column {err.colno})") from None


def _lines(stream, path: Path, limit: int) -> Iterator[tuple[int, str | None, int]]:
    """(line number, line, size in bytes) for each line; the line is None when over `limit`,
    and then it is skipped in pieces, never held whole."""
    number = 0
    try:
        while True:
            piece = stream.readline(_CHUNK)
            if not piece:
                return
            number += 1
            parts, size = [piece], len(piece.encode("utf-8", "surrogatepass"))
            while not piece.endswith(("\n", "\r")):
                piece = stream.readline(_CHUNK)
                if not piece:
                    break
                size += len(piece.encode("utf-8", "surrogatepass"))
                if size > limit:
                    parts = []
                else:
                    parts.append(piece)
            yield number, ("".join(parts) if size <= limit else None), size
    except UnicodeDecodeError as err:
        raise _not_text_after(path, err, number) from None


def _count_lines(path: Path, codec: str) -> int:
    """Non-blank lines of a JSON Lines file (for progress), in pieces: a huge line is not held whole."""
    try:
        with open(path, encoding=codec, newline="") as file:
            count, filled = 0, False
            for piece in _iter_pieces(file):
                filled = filled or bool(piece.strip())
                if piece.endswith(("\n", "\r")):
                    count, filled = count + filled, False
            return count + filled
    except UnicodeDecodeError:
        return 1


def _iter_pieces(stream) -> Iterator[str]:
    while piece := stream.readline(_CHUNK):
        yield piece


def _csv_raw_records(stream, path: Path, limit: int) -> Iterator[tuple[int, str | None, int]]:
    """(first line, raw text, size in bytes) of each CSV record, in one linear pass.

    A record ends at a line end outside quotes: with CSV's doubled quotes, the number of `"` seen since
    the record began is even there. A record over the article limit is skipped in pieces (raw None), so
    a huge field never reaches the csv parser (whose field_size_limit it would break) nor memory whole.
    """
    line, at_line_start = 0, True
    try:
        while True:
            piece = stream.readline(_CHUNK)
            if not piece:
                return
            start = line + 1
            parts: list[str] = []
            quotes = size = 0
            while piece:
                if at_line_start:
                    line += 1
                at_line_start = piece.endswith(("\n", "\r"))
                quotes += piece.count('"')
                size += len(piece.encode("utf-8", "surrogatepass"))
                if size <= limit:
                    parts.append(piece)
                else:
                    parts = []
                if at_line_start and quotes % 2 == 0:
                    break
                piece = stream.readline(_CHUNK)
            yield start, ("".join(parts) if size <= limit else None), size
    except UnicodeDecodeError as err:
        raise _not_text_after(path, err, line) from None


def _not_text_after(path: Path, err: UnicodeDecodeError, line: int) -> ArticleError:
    name = "UTF-8" if "utf-8" in err.encoding.replace("_", "-") else err.encoding.upper()
    where = f"after line {line}" if line else "at its start"
    return ArticleError(str(path), f"is not {name} text (an undecodable byte {where}): the rest of the file is not read")


def _count_csv_records(path: Path, codec: str) -> int:
    try:
        with open(path, encoding=codec, newline="") as file:
            count, quotes = 0, 0
            for piece in _iter_pieces(file):
                quotes += piece.count('"')
                if piece.endswith(("\n", "\r")) and quotes % 2 == 0 and piece.strip():
                    count += 1
                    quotes = 0
            return count + (1 if quotes else 0)
    except UnicodeDecodeError:
        return 1


def _record_to_article(record: object, source: str, limit: int | None = None, *, sized: bool = False) -> Article:
    """One JSON object or CSV row as an article; every field's type is checked and named when wrong."""
    if not isinstance(record, dict):
        raise ArticleError(source, f"is a JSON {_kind(record)}, not a record with a 'text' field")
    if "text" not in record or record["text"] is None:
        raise ArticleError(source, "has no 'text' field: each record needs one holding the article")
    fields: dict[str, str | None] = {}
    for name in ("text", "title", "source", "outlet", "url", "published", "date"):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise ArticleError(source, f"has a {_kind(value)} in its '{name}' field, where text is expected")
        fields[name] = value.strip() if isinstance(value, str) and name != "text" else value
    text = fields["text"]
    if sized:
        check_size(text, source, limit)
    published = fields["published"] or fields["date"]
    try:
        parsed = date.fromisoformat(published[:10]) if published else None
    except ValueError:
        raise ArticleError(source, f"has an impossible publication date {published!r}") from None
    return read_text(text, source, outlet=fields["source"] or fields["outlet"] or None,
                     title=fields["title"] or None, url=fields["url"] or None, published=parsed, max_bytes=limit)


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


def read_paths(paths: list[str | Path]) -> Iterator[tuple[Path, list[Article] | RecordError]]:
    """Read files and folders, yielding each file with its articles or the first error that rejects it."""
    for path in iter_input_files(paths):
        try:
            yield path, read_file(path)
        except RecordError as err:
            yield path, err
