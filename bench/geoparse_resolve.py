"""Place resolution alone, in this process, over a corpus whose names were found once.

Finding names (spaCy NER) is the slow part of reading; choosing among candidates is not. This module
reads each corpus's articles once (`prepare`: the real reader, NER, `find_toponyms`, the dateline,
exactly as `clashmap.pipeline.Pipeline.read` does) and keeps the result in a cache file, so
`resolve_docs` can re-run `geo.resolve.resolve_all` under any weights in seconds: what
`bench.fit_resolver` fits on, and what the bench measures cross-corpus.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from bench.geoparse_corpora import Doc, read_geowebnews, read_lgl
from bench.geoparse_score import Score, km

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "clashmap-bench"
READERS = {"LGL": read_lgl, "GWN": read_geowebnews}
# what decides which names are found: the cache is keyed by these files' contents
_FINDER = ["geo/toponyms.py", "geo/demonym_places.py", "data/demonym_senses.csv", "geo/names.py", "articles/reader.py", "data/gazetteer.sqlite", "data/actors.csv",
           "data/toponym_words.csv", "data/toponym_cues.csv", "data/not_places.csv", "clashmap/pipeline.py",
           "bench/geoparse_resolve.py"]


@dataclass
class Prepared:
    doc: Doc
    text: str
    toponyms: list
    demonym_countries: list[str]
    dateline_country: str | None
    outlet_country: str | None
    actor_countries: list[str]


def _finder_hash() -> str:
    h = hashlib.sha256()
    for rel in _FINDER:
        path = ROOT / rel
        if path.suffix == ".sqlite":
            st = path.stat()
            h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
        else:
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def prepare(corpus: str) -> list[Prepared]:
    """The corpus's articles with their names found (cached per version of the name finder)."""
    cache = CACHE / f"{corpus}-{_finder_hash()}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from articles.reader import read_text
    from clashmap.pipeline import Pipeline, _outside_actor_names, actor_countries
    from geo.features import outlet_country
    from geo.toponyms import dateline_toponyms, find_toponyms, ner_stream, provide_entities
    from store.db import open_store
    import tempfile

    docs = READERS[corpus]()
    articles = [read_text(d.text, source=d.id) for d in docs]
    bodies = [a.text[a.body_start:] for a in articles]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        pipeline = Pipeline(open_store(f"sqlite:///{tmp}/s.sqlite"), corrections={})
        for doc, article, body, ents in zip(docs, articles, bodies, ner_stream(bodies, n_process=1)):
            provide_entities(body, ents)
            # as clashmap.pipeline.Pipeline.read does
            toponyms, demonyms = find_toponyms(article.text, article.body_start, pipeline.gazetteer)
            toponyms = _outside_actor_names(article.text, toponyms)
            dateline = dateline_toponyms(article.text, article.dateline, article.dateline_start, pipeline.gazetteer)
            toponyms = [*dateline, *toponyms]
            out.append(Prepared(doc, article.text, toponyms, [pipeline.gazetteer.demonyms()[d] for d in demonyms],
                                pipeline.dateline_country(article), outlet_country(article.url),
                                actor_countries(article.text)))
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(out))
    return out


_GEOCODER = None


def geocoder():
    global _GEOCODER
    if _GEOCODER is None:
        from geo.geocoders import GazetteerGeocoder

        _GEOCODER = GazetteerGeocoder()
    return _GEOCODER


def resolve_docs(prepared: list[Prepared], weights=None, collect: list | None = None):
    """Each doc's resolutions under `weights`; with `collect`, per doc a list of (key, options, vectors)."""
    from geo.resolve import resolve_all

    results = []
    for p in prepared:
        got: list | None = [] if collect is not None else None
        results.append(resolve_all(p.toponyms, geocoder(), demonym_countries=p.demonym_countries,
                                   dateline_country=p.dateline_country, corrections={}, text=p.text,
                                   outlet_country=p.outlet_country, weights=weights, collect=got,
                                   actor_countries=p.actor_countries))
        if collect is not None:
            collect.append(got)
    return results


def predictions(resolutions) -> list[tuple[int, int, float | None, float | None]]:
    return [(r.toponym.start, r.toponym.end, r.place.lat if r.place else None, r.place.lon if r.place else None)
            for r in resolutions]


def score(prepared: list[Prepared], results, keep=None) -> Score:
    s = Score()
    for p, res in zip(prepared, results):
        kept = [g for g in p.doc.gold if keep is None or keep(g)]
        left_out = [(g.start, g.end) for g in p.doc.gold if keep is not None and not keep(g)]
        s.add_doc([(g.start, g.end, g.lat, g.lon) for g in kept], predictions(res), left_out)
    return s


def gold_of(p: Prepared, start: int, end: int):
    """The gold point of the gold span a mention overlaps most (None when none or no coordinates)."""
    best, overlap = None, 0
    for g in p.doc.gold:
        o = min(g.end, end) - max(g.start, start)
        if o > overlap and g.lat is not None:
            best, overlap = g, o
    return best


NOT_FOUND = "toponym finder: name not found"
NO_CANDIDATE = "gazetteer: no candidate for the name"
NO_RIGHT_CANDIDATE = "gazetteer: no candidate within 161 km"
RESOLVER = "resolver: wrong one of the candidates"


def stage_table(prepared: list[Prepared], results, keep=None) -> dict[str, int]:
    """Which stage lost each gold name with coordinates: the toponym finder (not found), the gazetteer
    (found, but no candidate at all, or none within 161 km of the gold point), or the resolver (a wrong
    candidate chosen while a right one was offered); and right."""
    table = {"right": 0, NOT_FOUND: 0, NO_CANDIDATE: 0, RESOLVER: 0, NO_RIGHT_CANDIDATE: 0}
    for p, res in zip(prepared, results):
        for g in p.doc.gold:
            if g.lat is None or (keep is not None and not keep(g)):
                continue
            hit = max(res, key=lambda r: min(g.end, r.toponym.end) - max(g.start, r.toponym.start), default=None)
            if hit is None or min(g.end, hit.toponym.end) - max(g.start, hit.toponym.start) <= 0:
                table[NOT_FOUND] += 1
            elif hit.place is None:
                table[NO_CANDIDATE] += 1
            elif km(g.lat, g.lon, hit.place.lat, hit.place.lon) < 161:
                table["right"] += 1
            elif any(km(g.lat, g.lon, c.lat, c.lon) < 161 for c in hit.candidates):
                table[RESOLVER] += 1
            else:
                table[NO_RIGHT_CANDIDATE] += 1
    return table
