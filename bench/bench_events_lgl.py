"""Events on news that is not about war: LGL's 588 US local news articles (2009), issue 11's precision check.

LGL (`../shared/corpora/lgl/lgl.xml`, see the corpora README) is crime, accidents, sport, court news, local
politics and weather. Almost nothing in it is an ACLED political-violence event, so every event clashmap
extracts there is a candidate false event. The measure is "events per 100 LGL articles" (lower is better);
a true figure is near zero: a rare real protest or demonstration (ACLED codes peaceful protests everywhere)
may count, but a robbery, a car crash, a house fire, a ball game or a trial never does.

The split is bench_ucdp's rule on LGL's `docid`: tuning when the first byte of sha256(docid) is even,
held-out when odd. DEVELOPERS: read only the tuning half's events (`python -m bench.bench_events_lgl --events
tuning`); `--events heldout` is for the final write-up only. Without the corpus the bench says so and is skipped.
Each article goes through one real `clashmap.pipeline.Pipeline` (temporary SQLite store), dated on its
download day (`dltime`), title and text as the feed gives them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.bench_ucdp import HALVES, half_of
from bench.geoparse_corpora import CORPORA

CORPUS = CORPORA / "lgl" / "lgl.xml"


@dataclass(frozen=True)
class LglArticle:
    id: str
    title: str
    published: date | None
    text: str


@dataclass(frozen=True)
class LglEvent:
    article: str
    event_type: str
    sub_event_type: str
    text: str


def read_lgl(path: Path = CORPUS) -> list[LglArticle]:
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        raw = (art.findtext("dltime") or "")[:10]
        try:
            published = date.fromisoformat(raw)
        except ValueError:
            published = None
        out.append(LglArticle(art.get("docid") or str(len(out)), (art.findtext("title") or "").strip(), published,
                              art.findtext("text") or ""))
    return out


def extract(articles: list[LglArticle]) -> tuple[dict[str, list[LglEvent]], float]:
    """Every article through one real Pipeline; its events and the articles per CPU second."""
    from articles.model import ArticleError
    from articles.reader import read_text
    from clashmap.pipeline import Pipeline
    from store.db import close_stores, open_store

    found: dict[str, list[LglEvent]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        pipeline = Pipeline(open_store(f"sqlite:///{tmp}/bench-lgl.sqlite"), corrections={})
        pipeline.read(read_text("Two soldiers were killed in shelling near a village.", "warm-up"))
        started = time.process_time()
        for a in articles:
            try:
                article = read_text(a.text, f"lgl:{a.id}", title=a.title or None, published=a.published)
            except ArticleError:
                found[a.id] = []
                continue
            found[a.id] = [LglEvent(a.id, e.event_type, e.sub_event_type or "", e.text or "")
                           for e in pipeline.read(article).events]
        rate = len(articles) / max(time.process_time() - started, 1e-9)
        close_stores()
    return found, rate


def per_100(found: dict[str, list[LglEvent]]) -> dict[str, tuple[int, int, float]]:
    """Half -> (articles, events, events per 100 articles)."""
    out = {}
    for half in HALVES:
        ids = [i for i in found if half_of(i) == half]
        n_events = sum(len(found[i]) for i in ids)
        out[half] = (len(ids), n_events, 100.0 * n_events / max(len(ids), 1))
    return out


def print_events(found: dict[str, list[LglEvent]], half: str) -> None:
    rows = [e for i, events in sorted(found.items()) if half_of(i) == half for e in events]
    print(f"\nLGL, {half} half: {len(rows)} events")
    for e in rows:
        print(f"  {e.article} {e.event_type}/{e.sub_event_type} «{e.text[:140]}»")


def run(events: str | None = None) -> None:
    """The figure (and, with `events`, that half's events): what `python -m bench` and `main` print."""
    if not CORPUS.exists():
        print(f"LGL events skipped: {CORPUS} not found")
        return
    found, rate = extract(read_lgl())
    fig = per_100(found)
    t, h = fig[HALVES[0]], fig[HALVES[1]]
    print(f"events per 100 LGL articles (US local news; lower is better), tuning | held-out: "
          f"{t[2]:.1f} | {h[2]:.1f}  ({t[1]} events in {t[0]} | {h[1]} in {h[0]} articles; {rate:.1f} art/s of CPU)")
    if events:
        print_events(found, HALVES[0] if events == "tuning" else HALVES[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_events_lgl", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", choices=["tuning", "heldout"],
                        help="list that half's events; 'heldout' is for the final write-up only")
    args = parser.parse_args(argv)
    run(args.events)
    return 0


if __name__ == "__main__":
    sys.exit(main())
