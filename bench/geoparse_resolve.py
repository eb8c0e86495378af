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
_FINDER = ["geo/toponyms.py", "geo/names.py", "articles/reader.py", "data/gazetteer.sqlite"]


@dataclass
class Prepared:
    doc: Doc
    text: str
    toponyms: list
    demonym_countries: list[str]
    dateline_country: str | None
    outlet_country: str | None


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
    from clashmap.pipeline import Pipeline
    from geo.features import outlet_country
    from geo.toponyms import dateline_toponym, find_toponyms, ner_stream, provide_entities
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
            toponyms, demonyms = find_toponyms(article.text, article.body_start, pipeline.gazetteer)
            dateline = dateline_toponym(article.text, article.dateline, article.dateline_start)
            if dateline:
                toponyms = [dateline, *toponyms]
            out.append(Prepared(doc, article.text, toponyms, [pipeline.gazetteer.demonyms()[d] for d in demonyms],
                                pipeline.dateline_country(article), outlet_country(article.url)))
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
                                   outlet_country=p.outlet_country, weights=weights, collect=got))
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


def stage_table(prepared: list[Prepared], results, keep=None) -> dict[str, int]:
    """Which stage lost each gold name with coordinates: not found by the name finder, found but no
    candidate (unresolved), a wrong candidate chosen while a right one (within 161 km) was offered,
    or no right candidate among those offered; and right."""
    table = {"right": 0, "not found": 0, "no candidate": 0, "wrong candidate (right one offered)": 0,
             "no right candidate offered": 0}
    for p, res in zip(prepared, results):
        for g in p.doc.gold:
            if g.lat is None or (keep is not None and not keep(g)):
                continue
            hit = max(res, key=lambda r: min(g.end, r.toponym.end) - max(g.start, r.toponym.start), default=None)
            if hit is None or min(g.end, hit.toponym.end) - max(g.start, hit.toponym.start) <= 0:
                table["not found"] += 1
            elif hit.place is None:
                table["no candidate"] += 1
            elif km(g.lat, g.lon, hit.place.lat, hit.place.lon) < 161:
                table["right"] += 1
            elif any(km(g.lat, g.lon, c.lat, c.lon) < 161 for c in hit.candidates):
                table["wrong candidate (right one offered)"] += 1
            else:
                table["no right candidate offered"] += 1
    return table
