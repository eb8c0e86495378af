"""Event extraction against the hand-annotated gold set in `bench/events_gold/`.

Every article goes through the real `Pipeline` (gazetteer, geocoder cache in a temporary
SQLite store, place roles, event rules), so the figures are what a user gets. Matching is
the gold README's rule 13: same ACLED event type, places within 50 km, dates within one day;
a gold event whose text gives only the week (time_precision 2) matches a date within a week
of it, one that gives only the month (time_precision 3) a date in the same month. Optional
gold events count neither as misses nor, when matched, as false positives.

The gold set is split by article number: odd articles are the tuning half (look at their
misses when changing rules), even articles the held-out half (read only its figures), so
the held-out row shows what the rules do on text they were not tuned on. Misses are split into
those a place error explains (an extracted event of the right type and date lies elsewhere)
and the rest (the rules found no such event), because place resolution is another module.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent / "events_gold"
MAX_KM = 50.0
MAX_DAYS = 1
WEEK_DAYS = 7
HALVES = ("tuning (odd)", "held-out (even)")


def half_of(name: str) -> str:
    """Odd article numbers tune the rules, even ones are held out."""
    number = int(name.split("-", 1)[0])
    return HALVES[0] if number % 2 else HALVES[1]


@dataclass
class Scored:
    """One article's matching outcome."""

    name: str
    tp: list[tuple[dict, object]]
    fp: list[object]
    fn: list[dict]
    fn_place: list[dict]


def km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    from geopy.distance import great_circle

    return great_circle((a_lat, a_lon), (b_lat, b_lon)).km


def _close_in_time(gold: dict, event) -> bool:
    """Within a day; within the week or the month when the gold text gives no more than that.

    The gold's precision decides, not the extractor's, so a vague extraction earns no slack."""
    if not gold.get("date") or event.event_date is None:
        return False
    told = date.fromisoformat(gold["date"])
    gap = abs(told - event.event_date)
    precision = gold.get("time_precision") or 1
    if precision >= 3 and (told.year, told.month) == (event.event_date.year, event.event_date.month):
        return True
    return gap <= timedelta(days=WEEK_DAYS if precision == 2 else MAX_DAYS)


def _close_in_space(gold: dict, event) -> bool:
    if event.place is None or gold.get("lat") is None:
        return False
    return km(gold["lat"], gold["lon"], event.place.lat, event.place.lon) <= MAX_KM


def matches(gold: dict, event) -> bool:
    """Same type, close in time (see `_close_in_time`), 50 km apart at most."""
    return gold["event_type"] == event.event_type and _close_in_time(gold, event) and _close_in_space(gold, event)


def score_article(name: str, gold_events: list[dict], extracted: list) -> Scored:
    """Greedy one-to-one matching, required gold events first, nearest in time first."""
    left = list(extracted)
    tp: list[tuple[dict, object]] = []
    fn: list[dict] = []
    ordered = sorted(gold_events, key=lambda g: bool(g.get("optional")))
    for gold in ordered:
        candidates = [e for e in left if matches(gold, e)]
        if candidates:
            best = min(candidates, key=lambda e: abs(date.fromisoformat(gold["date"]) - e.event_date))
            left.remove(best)
            if not gold.get("optional"):
                tp.append((gold, best))
        elif not gold.get("optional"):
            fn.append(gold)
    # a miss that an unmatched extracted event of the same type and date explains is a place error
    fn_place = [g for g in fn if any(g["event_type"] == e.event_type and _close_in_time(g, e) for e in left)]
    return Scored(name, tp, left, [g for g in fn if g not in fn_place], fn_place)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def load_gold(folder: Path = GOLD_DIR) -> list[tuple[Path, dict]]:
    pairs = []
    for text_path in sorted(folder.glob("*.txt")):
        gold_path = text_path.with_suffix(".json")
        if gold_path.exists():
            pairs.append((text_path, json.loads(gold_path.read_text(encoding="utf-8"))))
    return pairs


def evaluate(folder: Path = GOLD_DIR, verbose: bool = False) -> dict:
    """Read every gold article through the real pipeline and score it; returns the figures."""
    from articles.reader import read_file
    from clashmap.pipeline import Pipeline
    from store.db import open_store

    pairs = load_gold(folder)
    with tempfile.TemporaryDirectory() as tmp:
        sessions = open_store(f"sqlite:///{tmp}/bench-events.sqlite")
        pipeline = Pipeline(sessions, corrections={})
        readings = []
        warm = read_file(pairs[0][0])[0]
        pipeline.read(warm)  # load the gazetteer and NER model outside the timed loop
        started = time.perf_counter()
        for path, gold in pairs:
            article = read_file(path)[0]
            header_date = article.published
            if article.published is None and gold.get("published"):
                # a headerless file: its date comes as metadata (as a feed would give it)
                article = replace(article, published=date.fromisoformat(gold["published"]))
            readings.append((path, gold, header_date, pipeline.read(article)))
        elapsed = time.perf_counter() - started
        result = _summarise(readings, elapsed, verbose)
        from events.extract import extract_events

        started = time.perf_counter()
        for _ in range(3):
            for _, _, _, reading in readings:
                extract_events(reading.article, reading.mentions)
        result["events_only_per_s"] = 3 * len(readings) / (time.perf_counter() - started)
        result["merge"] = _measure_merging(sessions, readings)
        from store.db import close_stores

        close_stores()
    return result


GOLD_SAME_KM = {1: 10.0, 2: 10.0, 3: 25.0}  # how far apart two gold places of one incident may be


def _gold_compatible(a: dict, b: dict) -> bool:
    """Could two gold events of two articles be one incident: same type, a side that agrees, a day apart
    at most, places no farther apart than the vaguer one's precision allows (not rule 13's 50 km,
    which is a tolerance for extraction, not an identity: Tartar and a village of Barda 17 km away,
    shelled on consecutive days, are two incidents)."""
    if a["event_type"] != b["event_type"] or not a.get("date") or not b.get("date"):
        return False
    if a.get("actor1") and b.get("actor1") and a["actor1"] != b["actor1"]:
        return False
    if abs(date.fromisoformat(a["date"]) - date.fromisoformat(b["date"])) > timedelta(days=MAX_DAYS):
        return False
    reach = GOLD_SAME_KM[max(a.get("geo_precision") or 1, b.get("geo_precision") or 1)]
    return km(a["lat"], a["lon"], b["lat"], b["lon"]) <= reach


def gold_incidents(golds: list[tuple[str, list[dict]]]) -> set[tuple[tuple[str, int], tuple[str, int]]]:
    """Pairs of gold events, in two articles, that are one incident: compatible (`_gold_compatible`)
    and each the other's nearest candidate in its article (by days, then km), since the annotators
    code one event per incident in an article: when 14 tells Garayusifli on the 27th and Barda on the
    28th, another article's Barda on the 28th is only the second."""
    def nearest(g: dict, events: list[dict]) -> int | None:
        fits = [(abs(date.fromisoformat(g["date"]) - date.fromisoformat(o["date"])).days,
                 km(g["lat"], g["lon"], o["lat"], o["lon"]), k) for k, o in enumerate(events) if _gold_compatible(g, o)]
        return min(fits)[2] if fits else None

    pairs = set()
    for x, (name_a, events_a) in enumerate(golds):
        for name_b, events_b in golds[x + 1:]:
            for i, g in enumerate(events_a):
                j = nearest(g, events_b)
                if j is not None and nearest(events_b[j], events_a) == i:
                    pairs.add(((name_a, i), (name_b, j)))
    return pairs


def _measure_merging(sessions, readings) -> tuple[int, int, int, int]:
    """Store every reading, then check cross-article merging on the gold: of the gold incidents told by two
    articles (`gold_incidents`) whose both reports were found, how many share one stored event; how many
    stored events wrongly join two gold events that are different incidents; and how many gold incidents
    are told twice at all."""
    from sqlalchemy import select

    from store.ingest import store_reading
    from store.schema import Event, EventSource

    for _, _, _, reading in readings:
        store_reading(sessions, reading)
    names = [path.stem for path, _, _, _ in readings]
    incidents = gold_incidents([(name, gold["events"]) for name, (_, gold, _, _) in zip(names, readings)])
    stored: dict[tuple[str, int], int] = {}  # (article, gold index) -> stored event id of its found report
    with sessions() as session:
        for name, (_, gold, _, reading) in zip(names, readings):
            # optional gold events count here too: an agreement only referred to is still told twice
            every = [dict(g, optional=False, index=k) for k, g in enumerate(gold["events"])]
            for g, event in score_article(name, every, reading.events).tp:
                # the stored event this very report went to: its article and evidence offsets
                row = session.execute(select(Event.id).join(EventSource).where(
                    EventSource.article_id == reading.article.id, EventSource.start == event.start,
                    EventSource.end == event.end, Event.event_type == event.event_type)).scalars().first()
                if row is not None:
                    stored[(name, g["index"])] = row
    same = merged = wrong = 0
    keys = sorted(stored)
    for x, a in enumerate(keys):
        for b in keys[x + 1:]:
            if a[0] == b[0]:
                continue
            if (a, b) in incidents or (b, a) in incidents:
                same += 1
                merged += stored[a] == stored[b]
            elif stored[a] == stored[b]:
                wrong += 1
    return same, merged, wrong, len(incidents)


def _table(details: list[Scored]) -> dict:
    """Per-type and overall TP/FP/FN with precision, recall and F1 for some scored articles."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for scored in details:
        for g, _ in scored.tp:
            tp[g["event_type"]] += 1
        for e in scored.fp:
            fp[e.event_type] += 1
        for g in scored.fn + scored.fn_place:
            fn[g["event_type"]] += 1
    types = sorted(set(tp) | set(fp) | set(fn))
    rows = [(t, tp[t], fp[t], fn[t], *_prf(tp[t], fp[t], fn[t])) for t in types]
    total = (sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {"rows": rows, "overall": (*total, *_prf(*total)), "articles": len(details),
            "fn_place": sum(len(s.fn_place) for s in details), "fn_rule": sum(len(s.fn) for s in details)}


def _summarise(readings, elapsed: float, verbose: bool) -> dict:
    published_ok = published_n = dateline_ok = dateline_n = 0
    details = []
    for path, gold, header_date, reading in readings:
        details.append(score_article(path.stem, gold["events"], reading.events))
        if header_date is not None:
            published_n += 1
            published_ok += header_date.isoformat() == gold.get("published")
        if gold.get("dateline"):
            dateline_n += 1
            dateline_ok += _dateline_right(gold["dateline"], reading)
    result = _table(details)
    result["halves"] = {half: _table([s for s in details if half_of(s.name) == half]) for half in HALVES}
    result.update({"articles_per_s": len(readings) / elapsed if elapsed else 0.0,
                   "published": (published_ok, published_n), "dateline": (dateline_ok, dateline_n),
                   "details": details, "fields": _field_accuracy([pair for d in details for pair in d.tp])})
    if verbose:  # only the tuning half's misses: the held-out half is read for its figures alone
        _print_details([s for s in details if half_of(s.name) == HALVES[0]])
    return result


def _field_accuracy(pairs: list[tuple[dict, object]]) -> dict[str, tuple[int, int]]:
    """On matched events, how often each field agrees with the gold (right, compared)."""
    checks = {
        "exact date": lambda g, e: g["date"] == e.event_date.isoformat(),
        "sub-event type": lambda g, e: g.get("sub_event_type") == e.sub_event_type,
        "geo precision": lambda g, e: g.get("geo_precision") == e.geo_precision,
        "fatalities (best)": lambda g, e: (g.get("fatalities") or {}).get("best") == (e.fatalities or {}).get("best"),
        "losses": lambda g, e: (g.get("losses") or {}) == (e.losses or {}),
        "contested": lambda g, e: bool(g.get("contested")) == bool(e.contested),
        "claimed (some claimant)": lambda g, e: bool(g.get("claimed_by")) == bool(e.claimed_by),
        "actor1": lambda g, e: g.get("actor1") == e.actor1,
        "actor2": lambda g, e: g.get("actor2") == e.actor2,
    }
    return {name: (sum(1 for g, e in pairs if check(g, e)), len(pairs)) for name, check in checks.items()}


def _dateline_right(gold: dict, reading) -> bool:
    article = reading.article
    if (article.dateline or "").strip().upper() != gold["text"].strip().upper():
        return False
    place = reading.dateline.place if reading.dateline else None
    return place is not None and km(gold["lat"], gold["lon"], place.lat, place.lon) <= MAX_KM


def _fmt_event(e) -> str:
    where = f"{e.place.name}" if e.place else "?"
    return f"{e.event_date} {e.event_type}/{e.sub_event_type} @{where} [{e.actor1} | {e.actor2}]"


def _print_details(details: list[Scored]) -> None:
    for s in details:
        if not (s.fp or s.fn or s.fn_place):
            continue
        print(f"--- {s.name}")
        for g in s.fn:
            print(f"  MISS(rule)  {g['date']} {g['event_type']}/{g.get('sub_event_type')} @{g['place']}")
        for g in s.fn_place:
            print(f"  MISS(place) {g['date']} {g['event_type']}/{g.get('sub_event_type')} @{g['place']} «{g['evidence'][:60]}»")
        for e in s.fp:
            print(f"  EXTRA       {_fmt_event(e)}  «{e.text[:90]}»")


def _print_table(title: str, table: dict) -> None:
    print(f"{title} ({table['articles']} articles)")
    print(f"  {'event type':32} {'TP':>4} {'FP':>4} {'FN':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for t, a, b, c, p, rr, f in table["rows"]:
        print(f"  {t:32} {a:4d} {b:4d} {c:4d} {p:6.2f} {rr:6.2f} {f:6.2f}")
    a, b, c, p, rr, f = table["overall"]
    print(f"  {'overall':32} {a:4d} {b:4d} {c:4d} {p:6.2f} {rr:6.2f} {f:6.2f}   (target F1 >= 0.85)")
    print(f"  misses explained by place (right type and date, wrong or no place): {table['fn_place']}; "
          f"by the rules (no such event): {table['fn_rule']}")


def run(verbose: bool = False) -> None:
    """Print precision, recall and F1 per event type for each half and overall, dateline and date accuracy,
    speed; `verbose` lists the tuning half's misses and extra events."""
    if not GOLD_DIR.exists() or not load_gold():
        print(f"events: no gold set in {GOLD_DIR}; nothing to measure")
        return
    r = evaluate(verbose=verbose)
    print(f"events: {r['articles']} gold articles; match = same type, place ≤ {MAX_KM:.0f} km, date ±{MAX_DAYS} day "
          f"(±{WEEK_DAYS} days for a week-precise gold event, same month for a month-precise one)")
    for half in HALVES:
        _print_table(half, r["halves"][half])
    _print_table("all", r)
    ok, n = r["published"]
    print(f"publication date right: {ok}/{n} articles with a date header (target: all)")
    ok, n = r["dateline"]
    print(f"dateline text and place (≤ {MAX_KM:.0f} km) right: {ok}/{n} (target: all)")
    print("fields on matched events: " + "; ".join(f"{name} {ok}/{n}" for name, (ok, n) in r["fields"].items()))
    same, merged, wrong, told_twice = r["merge"]
    print(f"cross-article merging (events/merge.py through store/ingest.py): {merged}/{same} pairs of found reports "
          f"of one gold incident share a stored event ({told_twice} incidents told by two gold articles); "
          f"{wrong} pairs of different gold events share one (target: all, 0)")
    print(f"speed on one core: whole pipeline (read + places + events) {r['articles_per_s']:.1f} articles/s; "
          f"extraction alone (event rules on the found places) {r['events_only_per_s']:.0f} articles/s")


if __name__ == "__main__":
    import sys

    run(verbose="-v" in sys.argv)
