"""A long text's cheaper reading (issue 10: a 1 MB upload read in seconds, and saying what it skipped).

Above `long_text_bytes` (a setting) an article is read in the long-text mode:
- places: the gazetteer's names over capitalised word runs, kept by their own cues (a preposition before, a
  region word after, a list of places, a sizeable place), as `geo.toponyms.find_toponyms` does for every
  article, but without NER (no places only NER finds, no person/organisation readings to drop a name);
- events: the type rules' regular expressions, without the dependency parse (no lexicon triggers, which the
  parse checks; no parse-based negation, modality, speaker or subject);
- the text is cut at paragraph (else sentence, else word) bounds into pieces of about `PIECE_CHARS`, each read
  as an article of its own (its places resolved in its own context), side by side in worker processes when the
  caller allows them; offsets are the whole text's again, and an event found in two pieces is kept once.

Below the setting nothing changes: `Pipeline.read` reads the article as before. The reading says it was made
so (`Reading.read_as`), and `clashmap extract`, its `--explain` trace and the dashboard's ingest page show it.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import threading
from dataclasses import replace

from articles.model import Article
from clashmap import trace
from clashmap.settings import get_settings
from events.model import ExtractedEvent, Reading
from events.triggers import without_parse
from geo.resolve import Resolution

PIECE_CHARS = 50_000  # a piece of a long text: the size of a few long articles (its places weigh on each other)
SKIPPED = ("NER (places only by gazetteer names over capitalised words with their cues)",
           "the dependency parse (events only by the type rules: no lexicon triggers, no parse-checked "
           "negation, modality, speakers or subjects)")


def is_long(article: Article) -> bool:
    """Whether `article` is read in the long-text mode: its text is over `long_text_bytes` in UTF-8."""
    limit = get_settings().long_text_bytes
    if limit <= 0 or len(article.text) * 4 <= limit:
        return False
    return len(article.text) > limit or len(article.text.encode("utf-8")) > limit


def long_text_note(article: Article) -> str | None:
    """One line for the editor when `article` is read in the long-text mode, else None."""
    if not is_long(article):
        return None
    size = len(article.text.encode("utf-8"))
    return (f"read in the long-text mode ({size:,} bytes, over long_text_bytes = {get_settings().long_text_bytes:,}): "
            f"skipped {'; '.join(SKIPPED)}; read in pieces of about {PIECE_CHARS:,} characters")


def pieces(text: str, start: int, size: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """`text[start:]` cut into stretches of at most about `size` characters, at a blank line if one is in the
    stretch's second half, else a line end, else a sentence end, else a space (else `size` characters)."""
    cuts: list[tuple[int, int]] = []
    a = start
    while len(text) - a > size:
        lo, hi = a + size // 2, a + size
        for mark in ("\n\n", "\n", ". ", " "):
            at = text.rfind(mark, lo, hi)
            if at != -1:
                b = at + len(mark)
                break
        else:
            b = hi
        cuts.append((a, b))
        a = b
    cuts.append((a, len(text)))
    return cuts


def _lines_before(text: str, start: int, cuts: list[tuple[int, int]]) -> list[int]:
    """For each piece `(a, b)` of `cuts` (in order), the non-blank lines of `text[start:a]` (the last one
    possibly cut at `a`): the paragraphs `events.sentences` numbers before the piece. One pass over the text
    (counting each piece's prefix anew was quadratic: a 1 MB list of names split 21 times)."""
    counts: list[int] = []
    whole = 0  # the non-blank lines ended (by a line break) before `at`
    at = start
    for a, _ in cuts:
        while (end := text.find("\n", at, a)) != -1:
            whole += bool(text[at:end].strip())
            at = end + 1
        counts.append(whole + bool(text[at:a].strip()))
    return counts


def _piece_article(article: Article, a: int, b: int, first: bool) -> Article:
    """The piece `article.text[a:b]` as an article: the first keeps the headline and dateline."""
    if first:
        return replace(article, text=article.text[:b])
    return replace(article, text=article.text[a:b], body_start=0, dateline=None, dateline_start=None,
                   dateline_end=None, title=None)


def _copied(obj, **changes):
    """`dataclasses.replace` for the long text's hundred thousand mentions at a fraction of its cost: the fields
    copied as they are (no `__init__`, no `__post_init__`: nothing is computed from them), frozen classes too."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__, **changes)
    return new


def _shifted_resolution(r: Resolution, offset: int) -> Resolution:
    """(Without the candidates weighed: nothing downstream reads them, and a long text's run to thousands.)"""
    if not offset:
        return r if not r.candidates else _copied(r, candidates=[])
    t = r.toponym
    return _copied(r, toponym=_copied(t, start=t.start + offset, end=t.end + offset), candidates=[])


def _shifted_event(e: ExtractedEvent, offset: int, paragraphs: int) -> ExtractedEvent:
    return replace(e, start=e.start + offset, end=e.end + offset, paragraph=e.paragraph + paragraphs,
                   evidence={k: [(s + offset, t + offset) for s, t in v] for k, v in e.evidence.items()})


def _read_piece(pipeline, article: Article, offset: int, paragraphs: int) -> Reading:
    """The piece's reading, its mentions and events at their places in the whole text (`offset`: where the piece
    starts in it, 0 for the first; `paragraphs`: the paragraphs before it), each copied once, in the worker that
    read it (not in the parent once every piece is back: the parent then merges only)."""
    with without_parse():
        reading = pipeline.read_as_is(article, entities=[])
    return replace(reading, mentions=[_shifted_resolution(r, offset) for r in reading.mentions],
                   dateline=reading.dateline and _shifted_resolution(reading.dateline, offset),
                   events=[_shifted_event(e, offset, paragraphs if offset else 0) for e in reading.events])


class _RememberingGazetteer:
    """The gazetteer with its name look-ups remembered for the whole text (a long text names the same places
    again and again; `Gazetteer.lookup_key` asks the index every time)."""

    LIMIT = 100_000  # distinct names remembered at most

    def __init__(self, gazetteer) -> None:
        self._gazetteer = gazetteer
        self._found: dict[str, list] = {}

    def lookup_key(self, key: str) -> list:
        found = self._found.get(key)
        if found is None:
            found = self._gazetteer.lookup_key(key)
            if len(self._found) < self.LIMIT:
                self._found[key] = found
        return list(found)

    def lookup(self, name: str) -> list:
        from geo.names import normalize_name

        return self.lookup_key(normalize_name(name))

    def __getattr__(self, name: str):
        return getattr(self._gazetteer, name)


class _RememberingGeocoder:
    """The geocoder with its answers remembered for the whole text: each piece resolves its own names, and a long
    text's pieces name the same places again (`CachedGeocoder.geocode` makes its answer's locations anew for each
    piece). Only the wrapped geocoder's own answers are kept: what a piece reads from them is unchanged."""

    LIMIT = 100_000  # distinct queries remembered at most

    def __init__(self, geocoder) -> None:
        self._geocoder = geocoder
        self._found: dict = {}

    def geocode(self, query: str, *, exactly_one: bool = True, **params):
        from geo.names import normalize_name

        key = (normalize_name(query), exactly_one, tuple(sorted(params.items())))
        found = self._found.get(key, _NOT_YET)
        if found is _NOT_YET:
            found = self._geocoder.geocode(query, exactly_one=exactly_one, **params)
            if len(self._found) < self.LIMIT:
                self._found[key] = found
        return list(found) if isinstance(found, list) else found

    def __getattr__(self, name: str):
        return getattr(self._geocoder, name)


_NOT_YET = object()
_WORKER_PIPELINE = None  # the pipeline a forked worker reads with (set before the fork)


def _worker_start() -> None:
    """In a forked worker: its own gazetteer connection and an answer cache in memory (the parent's store
    connections are never used across the fork)."""
    pipeline = _WORKER_PIPELINE
    gc.enable()  # (paused in the parent: a worker reads piece after piece, its garbage collected as usual)
    gazetteer = getattr(pipeline.gazetteer, "_gazetteer", pipeline.gazetteer)
    gazetteer._local = threading.local()
    getattr(pipeline.geocoder, "_geocoder", pipeline.geocoder).answers = _MemoryAnswers()
    pipeline.sessions = None


def _worker_read(job: tuple[Article, int, int, int]) -> tuple[int, Reading]:
    article, i, offset, paragraphs = job
    return i, _read_piece(_WORKER_PIPELINE, article, offset, paragraphs)


class _MemoryAnswers:
    """A worker's geocoder cache: answers kept in the process only (the gazetteer gives them again at will)."""

    def __init__(self) -> None:
        self.rows: dict = {}

    def get(self, provider, query, params):
        return self.rows.get((provider, query, params))

    def get_many(self, provider, queries):
        return [row for q in queries if (row := self.rows.get((provider, q, ""))) is not None]

    def put_many(self, provider, rows):
        from datetime import datetime, timezone

        from geo.cache import CachedAnswer

        now = datetime.now(timezone.utc)
        for key, params, result in rows:
            self.rows[(provider, key, params)] = CachedAnswer(key, params, result, now)


def _can_fork(pipeline) -> bool:
    """Workers only for the offline gazetteer's geocoder (an online one's rate limit and store are the
    parent's), on a platform with fork, from a process reading in its main thread."""
    from geo.cache import CachedGeocoder

    return (isinstance(pipeline.geocoder, CachedGeocoder) and pipeline.geocoder.provider.startswith("gazetteer")
            and "fork" in multiprocessing.get_all_start_methods()
            and threading.current_thread() is threading.main_thread())


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused, then restored as it was: a long text's reading brings back a
    million objects (its mentions, their places), which its output doubles, and each full collection went over
    them all (1.8 of the main process's 4.4 s CPU on a 1 MB list of names); they hold no cycles, and are freed
    as usual when let go. `clashmap extract` holds it over a long text's reading and printing."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _Merged:
    """The pieces' readings merged, taken in piece order (as they arrive from the workers, not once all are back):
    their mentions, their events (one told in two pieces kept at its first telling) and unresolved names."""

    def __init__(self) -> None:
        self.mentions: list[Resolution] = []
        self.events: list[ExtractedEvent] = []
        self.unresolved: set[str] = set()
        self.taken = 0  # the pieces taken so far
        self._seen: set[str] = set()

    def take(self, reading: Reading) -> None:
        self.mentions += reading.mentions
        for event in reading.events:  # (already at their places in the whole text: `_read_piece`)
            if (key := event.key()) in self._seen:
                continue  # one event told in two pieces: the first telling kept
            self._seen.add(key)
            self.events.append(event)
        self.unresolved.update(reading.unresolved)
        self.taken += 1


def read_long(pipeline, article: Article, processes: int = 1) -> Reading:
    """The long-text reading of `article` (see the module's docstring); `processes` > 1 reads its pieces in
    that many forked worker processes (only the CLI and the dashboard's ingest subprocess ask for them)."""
    with collector_paused():
        return _read_long(pipeline, article, processes)


def _read_long(pipeline, article: Article, processes: int) -> Reading:
    global _WORKER_PIPELINE
    note = long_text_note(article) or "read in the long-text mode"
    trace.note("pipeline.long_text", f"{len(article.text):,} characters", "long-text mode", note, 0)
    cuts = pieces(article.text, article.body_start, PIECE_CHARS)  # (read here: a test makes the pieces smaller)
    paragraphs = _lines_before(article.text, article.body_start, cuts)  # (one pass over the text: 20 ms a MB)
    jobs = [(_piece_article(article, a, b, i == 0), i, a if i else 0, lines)
            for i, ((a, b), lines) in enumerate(zip(cuts, paragraphs))]
    readings: list[Reading | None] = [None] * len(jobs)
    merged = _Merged()
    gazetteer, corrections = pipeline.gazetteer, pipeline.corrections
    if corrections is None and pipeline.sessions is not None:  # read once for all pieces (and before a fork),
        from store.corrections import load_corrections  # for this text only: a long-lived pipeline reads them anew

        pipeline.corrections = load_corrections(pipeline.sessions, gazetteer)
    fork = processes > 1 and len(jobs) > 1 and _can_fork(pipeline) and not trace.active()
    geocoder = pipeline.geocoder
    pipeline.gazetteer = _RememberingGazetteer(gazetteer)
    pipeline.geocoder = _RememberingGeocoder(geocoder)
    try:
        if fork:
            _WORKER_PIPELINE = pipeline
            gc.freeze()  # the objects made so far are not scanned by the workers' collector (no copy-on-write)
            try:
                with multiprocessing.get_context("fork").Pool(min(processes, len(jobs)),
                                                              initializer=_worker_start) as pool:
                    for i, reading in pool.imap_unordered(_worker_read, jobs):
                        readings[i] = reading
                        while merged.taken < len(readings) and readings[merged.taken] is not None:
                            merged.take(readings[merged.taken])  # in piece order, while the workers read on
            finally:
                gc.unfreeze()
                _WORKER_PIPELINE = None
        else:
            for piece, i, offset, lines in jobs:
                readings[i] = _read_piece(pipeline, piece, offset, lines)
                merged.take(readings[i])
    finally:
        pipeline.gazetteer, pipeline.corrections, pipeline.geocoder = gazetteer, corrections, geocoder
    first = readings[0]
    return Reading(article, merged.mentions, merged.events, first.dateline, sorted(merged.unresolved), read_as=note)
