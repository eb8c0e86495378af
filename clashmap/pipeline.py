"""The whole reading of one article: places found, geocoded in context, events extracted.

The CLI, the dashboard's ingest page and the tests all drive this one function, so what an
editor sees is exactly what `clashmap extract` prints.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from articles.model import Article
from clashmap import trace
from clashmap.long_text import is_long, read_long
from clashmap.settings import get_settings
from events.actors import actor_spans, article_actors, name_in_country
from events.extract import extract_events
from events.model import ExtractedEvent, Reading  # noqa: F401 (Reading: the pipeline's result, re-exported)
from geo.cache import CachedGeocoder
from geo.features import outlet_country
from geo.gazetteer import Gazetteer
from geo.geocoders import GazetteerGeocoder
from geo.names import normalize_name
from geo.resolve import STORY_AREA, Resolution, resolve_all
from geo.roles import assign_roles
from geo.toponyms import dateline_toponyms, find_toponyms
from store.geocache import SqlAnswers


def make_geocoder(sessions, gazetteer: Gazetteer | None = None) -> CachedGeocoder:
    """The configured geocoder (offline gazetteer unless `CLASHMAP_GEOCODER` says otherwise), cached."""
    gazetteer = gazetteer or Gazetteer()
    choice = get_settings().geocoder
    if choice == "nominatim":
        from geo.online import nominatim_with_fallback

        return nominatim_with_fallback(gazetteer, SqlAnswers(sessions))  # cached inside, failures never cached
    return CachedGeocoder(GazetteerGeocoder(gazetteer), SqlAnswers(sessions), provider="gazetteer")


def _note_outcome(article: Article, resolutions, events) -> None:
    """The trace's summary lines: each name's place with the resolver that chose it, each event with the text
    that justifies each of its fields (the finer reasons are noted by the stages themselves)."""
    for r in resolutions:
        place = r.place
        outcome = (f"{place.name} ({place.country_code or '?'}) {place.lat:.3f},{place.lon:.3f}" if place
                   else "unresolved")
        trace.note("pipeline.place", r.toponym.text, outcome, f"resolver {r.resolver}", r.toponym.start)
    for e in events:
        place = e.place.name if e.place else "no place"
        grounds = "; ".join(f"{name} from {article.text[a:b]!r}" for name, spans in e.evidence.items()
                            for a, b in spans[:1])
        trace.note("pipeline.event", e.text[:80], f"{e.event_type} / {e.sub_event_type} on {e.event_date or 'an unknown date (no date told, no publication date)'} at {place}",
                   grounds or "no evidence recorded", e.start)


def actor_countries(text: str) -> list[str]:
    """Home countries of the armed groups the text names (data/actors.csv country column): a signal of the
    story's country for the resolver (feature actor_country). Generated state forces are left out: their
    country's name or demonym already votes."""
    return sorted({m.country_code for m in article_actors(text) if m.kind == "named" and m.country_code})


def _outside_actor_names(text: str, toponyms: list) -> list:
    """An actor's name is never a place: 'Taliban' is no town, the 'Sinaloa' of 'Sinaloa Cartel' no state."""
    spans = actor_spans(text)
    if not spans:
        return toponyms
    # the spans are in text order and never overlap (see events.actors.article_actors), so only the last
    # one starting at or before a name can hold it: one bisection per name, not a scan of every span
    starts = [s[0] for s in spans]
    kept = []
    for toponym in toponyms:
        i = bisect_right(starts, toponym.start) - 1
        inside = spans[i] if i >= 0 and toponym.end <= spans[i][1] else None
        if inside is None:
            kept.append(toponym)
        else:
            trace.note("toponyms.actor", toponym.text, "dropped", f"inside actor name {text[inside[0]:inside[1]]!r} "
                       f"({inside[2]})", toponym.start)
    return kept


def _story_country(resolutions, demonym_countries=()) -> str | None:
    """The country most of the story's placed names (else its demonyms) are in, when one has more than half."""
    codes = [r.place.country_code for r in resolutions if r.place is not None and r.place.country_code] \
        or [c for c in demonym_countries if c]
    if not codes:
        return None
    top = max(set(codes), key=codes.count)
    return top if codes.count(top) * 2 > len(codes) else None


def _name_actors_in_story_country(events, country: str | None) -> None:
    """'gunmen' in an event with no place: ACLED still names them by the story's country."""
    if not country:
        return
    for event in events:
        for field_name in ("actor1", "actor2"):
            actor = getattr(event, field_name)
            named = name_in_country(actor, country)
            if named != actor:
                setattr(event, field_name, named)
                trace.note("events.actors", actor, named, f"the event has no place: the story's country ({country})",
                           event.start)


class Pipeline:
    """Holds the expensive parts (gazetteer, NER model, geocoder cache) across articles."""

    def __init__(self, sessions, gazetteer: Gazetteer | None = None, geocoder=None,
                 corrections: dict[str, object] | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer()
        self.geocoder = geocoder or make_geocoder(sessions, self.gazetteer)
        self.sessions = sessions
        self.corrections = corrections
        self.processes = 1  # worker processes a long text's pieces may be read in (clashmap.long_text): forked,
        # so only a caller reading in its main thread with nothing else running sets it (`clashmap extract`)

    def dateline_country(self, article: Article) -> str | None:
        if not article.dateline or "," not in article.dateline:
            return None
        tail = article.dateline.split(",", 1)[1].strip()
        for record in self.gazetteer.lookup(tail):
            if record.kind in ("country", "region") and record.country_code:
                return record.country_code
        return None

    def read(self, article: Article, ahead=None) -> Reading:
        """`ahead`: the long article's clause parses started in worker processes (`events.extract.parse_plan`,
        `events.triggers.started_parse_ahead`), or None to parse here. A text over `long_text_bytes` is read in
        the cheaper long-text mode (clashmap.long_text), in `self.processes` processes."""
        if is_long(article):
            return read_long(self, article, self.processes)
        return self.read_as_is(article, ahead)

    def read_as_is(self, article: Article, ahead=None, entities=None) -> Reading:
        """The full reading, whatever the article's size (`entities`: NER's, or [] to read without NER)."""
        toponyms, demonyms = find_toponyms(article.text, article.body_start, self.gazetteer, entities)
        toponyms = _outside_actor_names(article.text, toponyms)
        dateline = dateline_toponyms(article.text, article.dateline, article.dateline_start, self.gazetteer)
        if dateline and article.dateline_start >= article.body_start:  # a dateline read after the headline: its
            # town is the dateline's, not one more name of the body (a country after it stays a mention)
            toponyms = [t for t in toponyms if all(t.end <= d.start or t.start >= d.end for d in dateline)]
        if dateline:
            toponyms = [*dateline, *toponyms]  # the dateline's town first, then its region ("PARIS, Mo.")
        demonym_countries = [self.gazetteer.demonyms()[d] for d in demonyms]
        resolutions = resolve_all(toponyms, self.geocoder, demonym_countries=demonym_countries,
                                  dateline_country=self.dateline_country(article),
                                  corrections=self._corrections_for(toponyms),
                                  text=article.text, outlet_country=outlet_country(article.url),
                                  actor_countries=actor_countries(article.text))
        resolutions = assign_roles(article.text, resolutions)
        # a name placed only at the story's town is no event site: an unknown village's shelling must
        # not appear on the map in the city the report came from
        events = extract_events(article, [replace(r, place=None) if r.resolver == STORY_AREA else r
                                          for r in resolutions], ahead)
        _name_actors_in_story_country(events, self.dateline_country(article)
                                      or _story_country(resolutions, demonym_countries))
        dateline_res = resolutions[0] if dateline else None
        unresolved = sorted({r.toponym.text for r in resolutions if r.place is None})
        if trace.active():
            _note_outcome(article, resolutions, events)
        return Reading(article, resolutions, events, dateline_res, unresolved)

    def _corrections_for(self, toponyms):
        if self.corrections is None:
            from store.corrections import load_corrections

            corrections = load_corrections(self.sessions, self.gazetteer)
        else:
            corrections = self.corrections
        keys = {normalize_name(t.text) for t in toponyms}
        return {k: v for k, v in corrections.items() if k in keys}


# A batch of this many articles or more is read by `read_in_workers` (`clashmap extract`): each of two worker
# processes reads whole articles (NER, rules, resolution), instead of one process reading them all with only
# NER in workers (LGL's 588 articles: the main process's rules were the longer path, a core half idle).
ARTICLE_WORKERS_FROM = 64

# an article whose reading loads the pipeline's tables and models before the workers are forked (they then
# share them, copy-on-write, instead of each loading them again); written for this purpose
_WARM_UP = Article(text="Gunmen attacked a police post near Springfield on Monday, killing 3 officers, the army said. "
                        "Two rockets hit the town of Riverside in March; a spokesman for the rebels claimed it.",
                   source="warm-up")

_work = None  # the function the workers run on each task: set before the fork, inherited by the workers


def warm_up(pipeline: Pipeline) -> None:
    """Load what a reading loads lazily (model views, actor and cue tables, the gazetteer's demonyms) without
    writing to the store: the warm-up article is read with the gazetteer alone, no answer cache."""
    Pipeline(pipeline.sessions, gazetteer=pipeline.gazetteer, geocoder=GazetteerGeocoder(pipeline.gazetteer),
             corrections={}).read(_WARM_UP)


def read_in_workers(pipeline: Pipeline, work, tasks: int, n_process: int = 2):
    """Yield `work(i)` for i in range(tasks), in order, computed in `n_process` worker processes forked after
    `pipeline` is warmed up. `work` may read with `pipeline`: its store engine and gazetteer connection are
    reopened in each worker (a database connection must not be shared across a fork), and the answers its
    geocoder caches are written to the store here, by this process, a task's at a time in order (two workers
    committing to one SQLite file wait on each other's write lock: on a busy machine, a worker descheduled
    while holding it stalled the other). For a process that forks safely (the command line), and for the offline
    gazetteer only (each worker asking an online geocoder would double the rate its usage policy allows)."""
    import gc
    import multiprocessing

    global _work
    warm_up(pipeline)
    _work = work
    gc.freeze()  # the workers' garbage-collector passes then leave the shared pages alone (not copied)
    pool = multiprocessing.get_context("fork").Pool(n_process, initializer=_start_article_worker,
                                                    initargs=(pipeline,))
    gc.unfreeze()
    write = getattr(pipeline.geocoder, "_write", None)
    try:
        for result, answers in pool.imap(_run_task, range(tasks)):
            if answers and write is not None:
                write(answers)
            yield result
    finally:
        _work = None
        pool.terminate()
        pool.join()


_inherited: list = []  # the parent's connection objects, kept from the garbage collector (never closed here)
_answers: list = []  # in a worker: the geocoder answers to cache, sent back with the task's result


def _start_article_worker(pipeline: Pipeline) -> None:
    import threading

    from geo.toponyms import _default_gazetteer

    pipeline.sessions.kw["bind"].dispose(close=False)  # new connections here; the parent's are left to it
    for gazetteer in {id(g): g for g in (pipeline.gazetteer, _default_gazetteer())}.values():
        _inherited.append(gazetteer._local)
        gazetteer._local = threading.local()
    if hasattr(pipeline.geocoder, "_write"):
        pipeline.geocoder._write = _answers.extend  # (geo.cache.CachedGeocoder: its one write to the store)


def _run_task(i: int):
    try:
        return _work(i), list(_answers)
    finally:
        _answers.clear()
