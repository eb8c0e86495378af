"""Issue 11's target table: event extraction on real reporting, tuning and held-out halves side by side.

Three sets, each read by its own real `clashmap.pipeline.Pipeline` on a temporary SQLite store (the path
`clashmap extract` drives), with the whole process pinned to one CPU core so the speed line is "one core":
- UCDP GED Ukraine headlines (`bench/bench_ucdp.py`: its headline choice, split and measures): event found /
  type plausible for the UCDP type / fatalities within UCDP's low..high;
- the GeoWebNews events the team annotated (`bench/events_real_gwn.py`, `bench/gwn_events.csv`): event F1,
  precision and recall (same ACLED type, <= 50 km, date +-1 day), every one of the corpus's 200 articles read,
  so events found in the others are false events;
- the project's own 54 articles (`bench/bench_events.py`, split by article number): event F1, a regression
  check against today's 0.89 rather than the yardstick;
- per ACLED event type with >= 10 required gold events over the sets that carry ACLED gold types (GeoWebNews
  and the 54 articles; UCDP codes its own types of violence, not ACLED's): F1;
- speed: whole pipeline on one core, the 54 articles per CPU second of the pinned process (the wall clock
  counts whatever else the machine runs; it is printed beside it),
  with the UCDP headlines' and GeoWebNews articles' rates beside it.

The targets are met or not on the held-out half (all 54 articles for the regression line).
`python -m bench.bench_events_real --errors tuning` lists the tuning halves' misses and false events, for
developers. `--errors heldout` exists for the final write-up only: reading it while changing rules makes the
held-out figures meaningless. Without ../shared/corpora the two real-text sets are reported as skipped.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from bench import events_real_gwn as gwn
from clashmap.errors import ClashmapError

HALVES = gwn.HALVES  # ("tuning", "held-out"); bench_ucdp uses the same names
TARGETS = {"found": 0.85, "type": 0.85, "fatalities": 0.80, "gwn_f1": 0.80, "own_f1": 0.89, "type_f1": 0.75,
           "speed": 50.0}
MIN_TYPE_GOLD = 10
OWN_HALVES = ("tuning (odd)", "held-out (even)")  # bench_events' names for its two halves


@contextmanager
def one_core():
    """Pin this process to one CPU core while the bench runs (Linux); elsewhere leave it as it is."""
    if not hasattr(os, "sched_getaffinity"):
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def read_gwn(articles: dict[str, gwn.ArticleInfo], path: Path = gwn.CORPUS) -> tuple[dict[str, list[gwn.Got]], float]:
    """Every GeoWebNews article through one real Pipeline, dated as `gwn_articles.csv` says."""
    import xml.etree.ElementTree as ET

    from articles.model import ArticleError
    from articles.reader import read_text
    from clashmap.pipeline import Pipeline
    from store.db import close_stores, open_store

    titles = {a.get("file"): (a.findtext("title") or "").strip() for a in ET.parse(path).getroot().iter("article")}
    docs = gwn.read_geowebnews(path)
    results: dict[str, list[gwn.Got]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sessions = open_store(f"sqlite:///{tmp}/bench-gwn.sqlite")
        pipeline = Pipeline(sessions, corrections={})
        pipeline.read(read_text("Two soldiers were killed in shelling near a village.", "warm-up"))
        started = time.process_time()
        for doc in docs:
            info = articles.get(doc.id)
            try:  # the text as an editor would paste it, the title and date as a feed gives them
                article = read_text(doc.text, f"gwn:{doc.id}", title=titles.get(doc.id) or None,
                                    published=info.published if info else None)
            except ArticleError:
                results[doc.id] = []
                continue
            results[doc.id] = [gwn.Got(e.event_type, e.sub_event_type, e.event_date,
                                       e.place.lat if e.place else None, e.place.lon if e.place else None,
                                       (e.fatalities or {}).get("best"), e.text or "")
                               for e in pipeline.read(article).events]
        rate = len(docs) / max(time.process_time() - started, 1e-9)
        close_stores()
    return results, rate


def speed_own(folder: Path | None = None) -> tuple[float, float]:
    """The 54 articles through a fresh Pipeline: articles per CPU second of this process (pinned to one core,
    so that is one core's rate, whatever else the machine runs) and per wall-clock second."""
    from articles.reader import read_file
    from bench import bench_events
    from clashmap.pipeline import Pipeline
    from store.db import close_stores, open_store

    paths = [path for path, _ in bench_events.load_gold(folder or bench_events.GOLD_DIR)]
    articles = [read_file(path)[0] for path in paths]
    with tempfile.TemporaryDirectory() as tmp:
        pipeline = Pipeline(open_store(f"sqlite:///{tmp}/bench-speed.sqlite"), corrections={})
        pipeline.read(articles[0])  # load the gazetteer and NER model outside the timed loop
        cpu, wall = time.process_time(), time.perf_counter()
        for article in articles:
            pipeline.read(article)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        close_stores()
    return len(articles) / max(cpu, 1e-9), len(articles) / max(wall, 1e-9)


def score_gwn(gold: list[gwn.GoldEvent], got: dict[str, list[gwn.Got]]) -> list[gwn.Scored]:
    by_article: dict[str, list[gwn.GoldEvent]] = {}
    for g in gold:
        by_article.setdefault(g.article, []).append(g)
    return [gwn.score_article(aid, by_article.get(aid, []), events) for aid, events in got.items()]


def counts_by_type(scored: list[gwn.Scored]) -> dict[str, Counter]:
    """Event type -> Counter(tp, fp, fn)."""
    table: dict[str, Counter] = {}
    for s in scored:
        for g, _ in s.tp:
            table.setdefault(g.event_type, Counter())["tp"] += 1
        for e in s.fp:
            table.setdefault(e.event_type, Counter())["fp"] += 1
        for g in s.fn:
            table.setdefault(g.event_type, Counter())["fn"] += 1
    return table


def _total(table: dict[str, Counter]) -> tuple[int, int, int]:
    return tuple(sum(c[k] for c in table.values()) for k in ("tp", "fp", "fn"))


def _met(value: float | None, target: float) -> str:
    return "-" if value is None else ("met" if value >= target else "NOT met")


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _row(label: str, tuning: float | None, held: float | None, target: str, verdict: str) -> None:
    print(f"{label:<52} {_f(tuning):>8} {_f(held):>9}  {target:>12}  {verdict}")


def run(errors: str | None = None) -> None:
    from bench import bench_events, bench_ucdp

    started = time.perf_counter()
    with one_core():
        # UCDP headlines
        ucdp = None
        if bench_ucdp.CORPUS.exists():
            try:
                u_corpus, u_outcomes, u_rate = bench_ucdp.evaluate()
                ucdp = (u_corpus, u_outcomes, u_rate, bench_ucdp.summarise(u_outcomes))
            except ClashmapError as err:
                print(f"UCDP headlines not read: {err}")
        else:
            print(f"UCDP headlines skipped: {bench_ucdp.CORPUS} not found")
        t_ucdp = time.perf_counter() - started
        # GeoWebNews
        g_scored = None
        if gwn.CORPUS.exists():
            try:
                gold, articles = gwn.load_gold(), gwn.load_articles()
                got, g_rate = read_gwn(articles)
                g_scored = score_gwn(gold, got)
            except ClashmapError as err:
                print(f"GeoWebNews events not read: {err}")
        else:
            print(f"GeoWebNews events skipped: {gwn.CORPUS} not found")
        t_gwn = time.perf_counter() - started - t_ucdp
        # the project's 54 articles
        own = bench_events.evaluate()
        speed, speed_wall = speed_own()
        t_own = time.perf_counter() - started - t_ucdp - t_gwn

    print("issue 11 targets (one Pipeline per set, one CPU core; targets judged on the held-out half)")
    print(f"{'set / measure':<52} {'tuning':>8} {'held-out':>9}  {'target':>12}  held-out")
    if ucdp:
        u_corpus, u_outcomes, u_rate, fig = ucdp
        tun, held = fig[HALVES[0]], fig[HALVES[1]]
        print(f"UCDP GED Ukraine headlines (n = {tun['n']} | {held['n']})")
        for label, key in (("event found (>= 1 event)", "found"), ("type plausible for the UCDP type", "type"),
                           ("fatalities within UCDP low..high", "fatalities")):
            _row("  " + label, tun[key], held[key], f">= {TARGETS[key]:.2f}", _met(held[key], TARGETS[key]))
    g_halves = {}
    if g_scored is not None:
        for half in HALVES:
            rows = [s for s in g_scored if gwn.half_of(s.article) == half]
            table = counts_by_type(rows)
            tp, fp, fn = _total(table)
            g_halves[half] = (len(rows), tp, fp, fn, *gwn.prf(tp, fp, fn))
        n_gold = {h: g_halves[h][1] + g_halves[h][3] for h in HALVES}
        print(f"GeoWebNews events we annotated ({n_gold[HALVES[0]]} | {n_gold[HALVES[1]]} required gold events in "
              f"{g_halves[HALVES[0]][0]} | {g_halves[HALVES[1]][0]} articles; type, <= 50 km, date +-1 day)")
        t, h = g_halves[HALVES[0]], g_halves[HALVES[1]]
        _row("  event F1", t[6], h[6], f">= {TARGETS['gwn_f1']:.2f}", _met(h[6], TARGETS["gwn_f1"]))
        _row("  precision", t[4], h[4], "", "")
        _row("  recall", t[5], h[5], "", "")
        print(f"  {'(TP / FP / FN)':<50} {t[1]:>2}/{t[2]}/{t[3]:<3} {h[1]:>5}/{h[2]}/{h[3]}")
    own_f1 = own["overall"][5]
    o_t, o_h = own["halves"][OWN_HALVES[0]], own["halves"][OWN_HALVES[1]]
    print(f"the project's 54 articles (odd | even article numbers; all 54: F1 {own_f1:.3f})")
    _row("  event F1", o_t["overall"][5], o_h["overall"][5], f"not < {TARGETS['own_f1']:.2f}",
         # the issue states today's figure to two decimals (0.889 was reported as 0.89): compared at that precision
         ("met" if round(own_f1, 2) >= TARGETS["own_f1"] else "NOT met") + " (all 54, to two decimals)")
    # per ACLED type, GeoWebNews and the 54 articles together
    per_half: dict[str, dict[str, Counter]] = {h: {} for h in HALVES}
    for half, own_half in zip(HALVES, OWN_HALVES):
        for t_, tp, fp, fn, *_ in own["halves"][own_half]["rows"]:
            per_half[half].setdefault(t_, Counter()).update({"tp": tp, "fp": fp, "fn": fn})
        if g_scored is not None:
            for t_, c in counts_by_type([s for s in g_scored if gwn.half_of(s.article) == half]).items():
                per_half[half].setdefault(t_, Counter()).update(c)
    types = sorted(set(per_half[HALVES[0]]) | set(per_half[HALVES[1]]))
    gold_n = {t_: sum(per_half[h].get(t_, Counter())["tp"] + per_half[h].get(t_, Counter())["fn"] for h in HALVES)
              for t_ in types}
    sets = "GeoWebNews + 54 articles" if g_scored is not None else "the 54 articles only (no GeoWebNews)"
    print(f"per ACLED event type, {sets} (types with >= {MIN_TYPE_GOLD} gold events; F1)")
    for t_ in sorted(types, key=lambda x: -gold_n[x]):
        f = [gwn.prf(*(per_half[h].get(t_, Counter())[k] for k in ("tp", "fp", "fn")))[2] for h in HALVES]
        if gold_n[t_] >= MIN_TYPE_GOLD:
            _row(f"  {t_} ({gold_n[t_]} gold)", f[0], f[1], f">= {TARGETS['type_f1']:.2f}",
                 _met(f[1], TARGETS["type_f1"]))
        else:
            _row(f"  {t_} ({gold_n[t_]} gold: no target)", f[0], f[1], "", "")
    print(f"{'speed: whole pipeline, one core, 54 articles':<52} {speed:>18.1f}  {'>= 50 art/s':>12}  "
          f"{_met(speed, TARGETS['speed'])}")
    rates = [f"54 articles {speed_wall:.1f} art/s by the wall clock (the machine's other load included)"]
    if g_scored is not None:
        rates.append(f"GeoWebNews articles {g_rate:.1f} art/s of CPU")
    if ucdp:
        rates.append(f"UCDP headlines {ucdp[2]:.0f} art/s by the wall clock")
    print("  articles per CPU second; also: " + "; ".join(rates))
    print(f"(read in {t_ucdp:.0f} s UCDP, {t_gwn:.0f} s GeoWebNews, {t_own:.0f} s the 54 articles)")

    if errors:
        half = HALVES[0] if errors == "tuning" else HALVES[1]
        if errors == "heldout":
            print("\nHELD-OUT ERRORS: for the final write-up only. Do not read them while changing rules.")
        if g_scored is not None:
            print_gwn_errors(g_scored, half)
        if ucdp:
            bench_ucdp.print_errors(ucdp[1], half)
        details = [s for s in own["details"] if bench_events.half_of(s.name) == OWN_HALVES[HALVES.index(half)]]
        print(f"\nthe 54 articles, {half} half: misses and extra events")
        bench_events._print_details(details)


def print_gwn_errors(scored: list[gwn.Scored], half: str) -> None:
    """GeoWebNews misses and false events of one half: the gold's evidence span is printed from the corpus."""
    texts = {d.id: d.text for d in gwn.read_geowebnews()}
    rows = [s for s in scored if gwn.half_of(s.article) == half and (s.fn or s.fp)]
    print(f"\nGeoWebNews, {half} half: {sum(len(s.fn) for s in rows)} misses, {sum(len(s.fp) for s in rows)} false "
          f"events in {len(rows)} articles")
    for s in sorted(rows, key=lambda r: (len(r.article), r.article)):
        print(f"--- article {s.article}")
        for g in s.fn:
            print(f"  MISS  {g.date} {g.event_type}/{g.sub_event_type} @{g.place} [{g.actor1} | {g.actor2}] "
                  f"«{texts[g.article][g.start:g.end][:90]}»")
        for e in s.fp:
            where = f"({e.lat:.2f}, {e.lon:.2f})" if e.lat is not None else "no place"
            print(f"  FALSE {e.event_date} {e.event_type}/{e.sub_event_type} @{where} «{e.text[:90]}»")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_events_real", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--errors", choices=["tuning", "heldout"],
                        help="list that half's misses and false events; 'heldout' is for the final write-up only")
    args = parser.parse_args(argv)
    run(args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
