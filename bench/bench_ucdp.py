"""Event extraction on real wire headlines: the UCDP GED events of Ukraine 2014-2021 (issue 11, item 1).

The corpus (`../shared/corpora/ucdp-ged-ukraine/ged_ukr.csv`, see its README) is read in place and never
copied into the project; without it the bench says so and is skipped. Each UCDP event gives at most one
article, so there is one row per UCDP event.

Which headline reports the event (decided from the README's columns before any result was seen):
`source_headline`, `source_office` and `source_date` are `;`-joined lists in the same order. The article is
the FIRST headline, in that order, that
  1. does not come from a casualty register (an office whose name contains "memor": MemoryBook, and its
     misspelling Memorbook, whose "headlines" are a village's or a person's name),
  2. has at least four words (drops the remaining bare names, "-" and the like), and
  3. names a death or an act of violence (`REPORTS_EVENT`: killed, dead, died, shot, shelled, attack,
     clash, fighting, explosion, mine, strike, wounded, ...), which drops bulletin titles ("Morning
     briefing at 07:00 ...", "Latest from the OSCE Special Monitoring Mission ...") and statements about
     something else.
An event with no such headline is not usable; the bench prints how many are.

How the article is fed, as an editor pasting the headline would: the headline's text is the whole article
(no dateline unless the headline itself starts with one), read by `articles.reader.read_text`, and its
publication date is that headline's own `source_date` (the date the wire ran it). Only when the lists do
not line up (or the date is unreadable) does the article take the UCDP `date_end`. The publication date,
not the event date, because that is what an editor has: headlines say "over past day" or "on Sunday", and
dating the article on the coders' event date would hand the extractor the answer. All articles go through
one real `clashmap.pipeline.Pipeline` (gazetteer, geocoder cache in a temporary SQLite store, place roles,
event rules), the same path `clashmap extract` drives.

The split, fixed before any result was looked at: an event is in the tuning half when the first byte of
sha256(UCDP `id` as decimal text, UTF-8) is even, in the held-out half when it is odd (`half_of`).
UCDP codes one report as several events (one per place or day), so several events can share a headline; they
all go to the half of the smallest id among them, so no held-out headline is ever seen while tuning
(about one held-out event in five would otherwise share its text with a tuning event). This grouping was
added after the first run, which had shown only the aggregate figures of both halves and no errors.
DEVELOPERS: read only the tuning half's errors (`python -m bench.bench_ucdp --errors tuning`).
`--errors heldout` exists for the final write-up; do NOT read it while changing rules, or the held-out
figures stop meaning anything.

Measures per half (issue 11's target table), each over all usable headlines of the half:
- event found: the reading gives at least one event; and, stricter, an event within 50 km of the UCDP point
  dated within one day of UCDP's date_start..date_end ("found here", not a target; UCDP points of
  where_prec 4+ are admin-region or country centroids, so it is harsh on those);
- type plausible: some extracted event has an ACLED type (and sub-type, where the table says) that
  `bench/ucdp_types.csv` accepts for the UCDP type of violence (the file gives the reason of each line);
- fatalities: the reading's toll, the largest `best` among its events (a headline states the event's toll
  once; a smaller figure in it is usually a part of that toll), lies within UCDP's low..high (taken as the
  least..greatest of low, best and high: 13 rows of the export are not ordered low <= best <= high). Events
  that state no toll are ACLED's 0, as `clashmap export` writes them (ACLED codes an event with no reported
  fatality as 0): right where UCDP's low is 0 ("soldier wounded amid attacks", coded 0..1). A headline that
  gives no event is a miss, unless UCDP's best is 0. (Until branch f2 a reading with events but no toll was
  a miss whatever low was; that scored 7 of the tuning half's 549 headlines differently.)
"headline tells of deaths" is the share of headlines with a word for the killed (kill, dead, die, death, slain,
KIA, lives, fatalities; `TELLS_DEATHS`), the others telling of shelling, wounded or "casualties" only, and the
fatalities measure on those headlines: what a reader of headlines can be asked to get right.
Two lines are printed for information, no target and not the measure above: "fatalities right, of headlines that
can give it" (the fatalities measure over the headlines `states_toll` accepts: how well the reader reads the
figures that are there), and "fatalities per headline, shared events summed" (each distinct headline once, its
toll against the summed low..high of the UCDP events that share it, since UCDP splits one report's toll over
events by place, day or side: "Two soldiers, one rebel killed" is 3 for ACLED's one event and 2 + 1 for UCDP).
UCDP aggregates several reports into one event, and a headline's count may cover another span ("12 killed
over the past month"), so the yardstick itself is noisy: a perfect reader would not score 1.0. The table's
"upper bound" line (`states_toll`) estimates how many headlines could give a toll in range at all.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bench.geoparse_corpora import CORPORA
from clashmap.errors import ClashmapError

CORPUS = CORPORA / "ucdp-ged-ukraine" / "ged_ukr.csv"
TYPES_FILE = Path(__file__).resolve().parent / "ucdp_types.csv"
HALVES = ("tuning", "held-out")
MAX_KM = 50.0
MAX_DAYS = 1
MIN_WORDS = 4
REQUIRED = ("id", "type_of_violence", "source_office", "source_date", "source_headline", "where_description",
            "where_prec", "latitude", "longitude", "date_start", "date_end", "best", "low", "high")
TARGETS = {"found": 0.85, "type": 0.85, "fatalities": 0.80}  # on the held-out half (issue 11)
REPORTS_EVENT = re.compile(
    r"\b(?:kill\w*|dead|deaths?|die[ds]?|dying|shot|shoot\w*|shell\w*|attack\w*|clash\w*|fight\w*|"
    r"battl\w*|bomb\w*|blast\w*|explo\w*|mines?|landmines?|strikes?|struck|fire[ds]?|firing|wound\w*|"
    r"injur\w*|casualt\w*|sniper\w*|ambush\w*|mortar\w*|artillery|rocket\w*|grenade\w*|murder\w*|"
    r"massacre\w*|violence|offensive|assault\w*|lost|losses)\b",
    re.IGNORECASE,
)


TELLS_DEATHS = re.compile(r"\b(?:kill\w*|dead|deaths?|die[ds]?|dying|slain|lives|fatalit\w*|murder\w*|(?-i:KIA)\w*)\b", re.IGNORECASE)


def half_of(event_id: str) -> str:
    """Tuning when sha256(id)'s first byte is even, held-out when odd: stable across runs and machines."""
    return HALVES[hashlib.sha256(event_id.strip().encode("utf-8")).digest()[0] & 1]


@dataclass(frozen=True)
class Gold:
    """What the UCDP coders say about one event, and the headline chosen to report it."""

    id: str
    half: str
    type_of_violence: str
    headline: str
    published: date
    date_start: date
    date_end: date
    lat: float
    lon: float
    where: str
    where_prec: int
    low: int
    best: int
    high: int


@dataclass(frozen=True)
class Got:
    """One extracted event, reduced to what the scorer compares."""

    event_type: str
    sub_event_type: str = ""
    event_date: date | None = None
    lat: float | None = None
    lon: float | None = None
    fatalities: int | None = None
    text: str = ""  # the event's sentence (the GeoWebNews bench lists it with an error)


@dataclass
class Outcome:
    gold: Gold
    got: list[Got]
    found: bool
    found_here: bool
    type_ok: bool
    fatalities_ok: bool
    toll: int | None


@dataclass
class Corpus:
    golds: list[Gold] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # reason -> events
    total: int = 0


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _int(text: str) -> int:
    try:
        return int(float(text))
    except ValueError:
        return 0


def choose_headline(row: dict) -> tuple[str, date | None] | str:
    """The headline that reports the event and its own publication date, or why there is none."""
    headlines = [h.strip() for h in (row.get("source_headline") or "").split(";")]
    offices = (row.get("source_office") or "").split(";")
    dates = (row.get("source_date") or "").split(";")
    aligned = len(offices) == len(headlines) == len(dates)
    reasons = []
    for i, headline in enumerate(headlines):
        office = offices[i] if aligned else ""
        if "memor" in office.casefold():
            reasons.append("casualty register only")
        elif len(headline.split()) < MIN_WORDS:
            reasons.append(f"no headline of {MIN_WORDS}+ words")
        elif not REPORTS_EVENT.search(headline):
            reasons.append("no headline names a death or violence")
        else:
            return headline, (_day(dates[i]) if aligned else None)
    order = ["no headline names a death or violence", f"no headline of {MIN_WORDS}+ words", "casualty register only"]
    return next((r for r in order if r in reasons), "no headline")


def load_corpus(path: Path = CORPUS) -> Corpus:
    """Read the UCDP export in place: skip the HDX hashtag row, keep one Gold per usable event."""
    corpus = Corpus()
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ClashmapError(f"{path}: not a UCDP GED export, it lacks the column(s) {', '.join(missing)}")
        for row in reader:
            if not (row.get("id") or "").strip() or (row.get("year") or "").startswith("#"):
                continue  # the HDX hashtag row
            corpus.total += 1
            start, end = _day(row.get("date_start", "")), _day(row.get("date_end", ""))
            try:
                lat, lon = float(row["latitude"]), float(row["longitude"])
            except (KeyError, ValueError):
                lat = lon = None
            if start is None or end is None or lat is None:
                corpus.skipped["no date or point in the UCDP row"] += 1
                continue
            chosen = choose_headline(row)
            if isinstance(chosen, str):
                corpus.skipped[chosen] += 1
                continue
            headline, published = chosen
            deaths = [_int(row["low"]), _int(row["best"]), _int(row["high"])]  # a few rows have low > high
            corpus.golds.append(Gold(
                id=row["id"].strip(), half=half_of(row["id"]), type_of_violence=row["type_of_violence"].strip(),
                headline=headline, published=published or end, date_start=start, date_end=end, lat=lat, lon=lon,
                where=row.get("where_description", ""), where_prec=_int(row.get("where_prec", "0")),
                low=min(deaths), best=_int(row["best"]), high=max(deaths)))
    corpus.golds = _keep_shared_headlines_together(corpus.golds)
    return corpus


def _same_text(headline: str) -> str:
    return re.sub(r"\s+", " ", headline).strip().casefold()


def _keep_shared_headlines_together(golds: list[Gold]) -> list[Gold]:
    """Events that share a headline take the half of the smallest id among them (see the docstring)."""
    from dataclasses import replace

    first: dict[str, str] = {}
    for gold in golds:
        key = _same_text(gold.headline)
        if key not in first or (len(gold.id), gold.id) < (len(first[key]), first[key]):
            first[key] = gold.id
    return [replace(g, half=half_of(first[_same_text(g.headline)])) for g in golds]


def load_types(path: Path = TYPES_FILE) -> dict[str, list[tuple[str, str]]]:
    """UCDP type of violence -> acceptable (ACLED event type, sub-event type or '' for any)."""
    accepted: dict[str, list[tuple[str, str]]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            accepted.setdefault(row["type_of_violence"].strip(), []).append(
                (row["acled_event_type"].strip(), row["acled_sub_event_type"].strip()))
    return accepted


def km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    from geopy.distance import great_circle

    return great_circle((a_lat, a_lon), (b_lat, b_lon)).km


def _here(gold: Gold, got: Got) -> bool:
    if got.lat is None or got.event_date is None:
        return False
    in_time = gold.date_start - timedelta(days=MAX_DAYS) <= got.event_date <= gold.date_end + timedelta(days=MAX_DAYS)
    return in_time and km(gold.lat, gold.lon, got.lat, got.lon) <= MAX_KM


def score(gold: Gold, got: list[Got], types: dict[str, list[tuple[str, str]]]) -> Outcome:
    """One headline's outcome on the three measures (see the module docstring)."""
    accepted = types.get(gold.type_of_violence, [])
    type_ok = any(e.event_type == t and (not sub or e.sub_event_type == sub) for e in got for t, sub in accepted)
    toll = acled_toll(got)
    fatalities_ok = gold.low <= toll <= gold.high if toll is not None else gold.best == 0
    return Outcome(gold, got, bool(got), any(_here(gold, e) for e in got), type_ok, fatalities_ok, toll)


def acled_toll(got: list[Got]) -> int | None:
    """The reading's toll as ACLED codes it: the largest `best` among its events; events that state no toll
    are ACLED's 0 ("If no fatalities are reported, 0": what `clashmap export` writes for them); no event at
    all is no reading (None)."""
    if not got:
        return None
    return max((e.fatalities for e in got if e.fatalities is not None), default=0)


def read_all(golds: list[Gold]) -> tuple[list[list[Got]], float]:
    """Every headline through one real Pipeline; returns the reduced events and articles per second."""
    from articles.model import ArticleError
    from articles.reader import read_text
    from clashmap.pipeline import Pipeline
    from store.db import close_stores, open_store

    results: list[list[Got]] = []
    with tempfile.TemporaryDirectory() as tmp:
        sessions = open_store(f"sqlite:///{tmp}/bench-ucdp.sqlite")
        pipeline = Pipeline(sessions, corrections={})
        pipeline.read(read_text("Two soldiers were killed in shelling near a village.", "warm-up"))
        started = time.perf_counter()
        for gold in golds:
            try:
                article = read_text(gold.headline, f"ucdp:{gold.id}", published=gold.published)
            except ArticleError:
                results.append([])
                continue
            events = pipeline.read(article).events
            results.append([Got(e.event_type, e.sub_event_type, e.event_date,
                                e.place.lat if e.place else None, e.place.lon if e.place else None,
                                (e.fatalities or {}).get("best")) for e in events])
        rate = len(golds) / max(time.perf_counter() - started, 1e-9)
        close_stores()
    return results, rate


def states_toll(gold: Gold) -> bool:
    """Could a reading of the headline alone give a toll within UCDP's low..high? Yes when the headline
    holds an exact number (digits or a number word; not "a", "several", "dozens") in that range, or holds
    no exact number and the range includes 1 ("Soldier killed by sniper"). An upper bound for the
    fatalities measure: UCDP often splits one report's toll over several events or adds other reports
    to it, and then no reading of this headline can be right."""
    from events.numbers import to_number

    tokens = [t for t in re.findall(r"\b\d[\d,]*\b|\b[A-Za-z]+\b", gold.headline)
              if t.lower() not in ("a", "an", "several", "dozen", "dozens", "hundred", "hundreds")]
    numbers = [n for n in map(to_number, tokens) if n is not None and not 1900 <= n <= 2100]
    if not numbers:
        return gold.low <= 1 <= gold.high
    return any(gold.low <= n <= gold.high for n in numbers)


def tells_deaths(gold: Gold) -> bool:
    """Does the headline tell of people killed at all (a word for the killed, `TELLS_DEATHS`)? A headline of
    shelling, wounded or "casualties" only gives ACLED's 0 when read as written."""
    return bool(TELLS_DEATHS.search(gold.headline))


def _per_headline(rows: list[Outcome]) -> float:
    """Share of distinct headlines whose toll lies within the SUM of low..high of the UCDP events that share
    that headline: UCDP splits one report's toll over several events (one per place, day or side), so the
    per-event measure calls a right reading of "Two soldiers, one rebel killed" (3) wrong on every part."""
    groups: dict[str, list[Outcome]] = {}
    for o in rows:
        groups.setdefault(_same_text(o.gold.headline), []).append(o)
    right = 0
    for group in groups.values():
        toll = group[0].toll  # (ACLED's 0 for events with no toll, None for no event)
        low, high = sum(o.gold.low for o in group), sum(o.gold.high for o in group)
        right += (low <= toll <= high) if toll is not None else all(o.gold.best == 0 for o in group)
    return right / max(1, len(groups))


def summarise(outcomes: list[Outcome]) -> dict[str, dict[str, float | int]]:
    """Per half: n and the share of each measure."""
    figures = {}
    for half in HALVES:
        rows = [o for o in outcomes if o.gold.half == half]
        n = len(rows) or 1
        figures[half] = {
            "n": len(rows),
            "found": sum(o.found for o in rows) / n,
            "found_here": sum(o.found_here for o in rows) / n,
            "type": sum(o.type_ok for o in rows) / n,
            "fatalities": sum(o.fatalities_ok for o in rows) / n,
            "fatalities_when_found": (sum(o.fatalities_ok for o in rows if o.found)
                                      / max(1, sum(o.found for o in rows))),
            "no_event": sum(not o.found for o in rows) / n,
            "states_toll": sum(states_toll(o.gold) for o in rows) / n,
            "fatalities_if_stated": (sum(o.fatalities_ok for o in rows if states_toll(o.gold))
                                     / max(1, sum(states_toll(o.gold) for o in rows))),
            "fatalities_per_headline": _per_headline(rows),
            "tells_deaths": sum(tells_deaths(o.gold) for o in rows) / n,
            "fatalities_if_deaths_told": (sum(o.fatalities_ok for o in rows if tells_deaths(o.gold))
                                          / max(1, sum(tells_deaths(o.gold) for o in rows))),
        }
    return figures


def print_table(corpus: Corpus, outcomes: list[Outcome], rate: float) -> None:
    figures = summarise(outcomes)
    tun, held = figures[HALVES[0]], figures[HALVES[1]]
    print(f"UCDP GED Ukraine: {corpus.total} events, {len(corpus.golds)} with a headline that reports the event "
          f"(one per event); not usable: " + ", ".join(f"{n} {why}" for why, n in corpus.skipped.most_common()))
    shared = len(outcomes) - len({_same_text(o.gold.headline) for o in outcomes})
    print(f"split by sha256(id) parity: tuning {tun['n']}, held-out {held['n']} ({shared} events share a headline "
          "with an earlier event: UCDP codes one report as several events; such events stay in one half)")
    print(f"whole pipeline over the headlines: {rate:.0f} articles/s")
    print()
    print(f"{'measure':<46} {'tuning':>8} {'held-out':>9} {'target':>8}  held-out")
    lines = [("event found (>= 1 event)", "found"), ("type plausible for the UCDP type", "type"),
             ("fatalities within UCDP low..high", "fatalities")]
    for label, key in lines:
        met = "met" if held[key] >= TARGETS[key] else "NOT met"
        print(f"{label:<46} {tun[key]:>8.3f} {held[key]:>9.3f} {'>= ' + format(TARGETS[key], '.2f'):>8}  {met}")
    print(f"{'event within 50 km and date +-1 day (no target)':<46} {tun['found_here']:>8.3f} "
          f"{held['found_here']:>9.3f}")
    print(f"{'fatalities right, of headlines with an event':<46} {tun['fatalities_when_found']:>8.3f} "
          f"{held['fatalities_when_found']:>9.3f}")
    print(f"{'headline tells of deaths (kill, dead, KIA...)':<46} {tun['tells_deaths']:>8.3f} "
          f"{held['tells_deaths']:>9.3f}")
    print(f"{'fatalities right, of headlines telling deaths':<46} {tun['fatalities_if_deaths_told']:>8.3f} "
          f"{held['fatalities_if_deaths_told']:>9.3f}")
    print(f"{'upper bound: headline can give low..high':<46} {tun['states_toll']:>8.3f} "
          f"{held['states_toll']:>9.3f}")
    print(f"{'fatalities right, of headlines that can give it':<46} {tun['fatalities_if_stated']:>8.3f} "
          f"{held['fatalities_if_stated']:>9.3f}")
    print(f"{'fatalities per headline, shared events summed':<46} {tun['fatalities_per_headline']:>8.3f} "
          f"{held['fatalities_per_headline']:>9.3f}")
    print(f"{'share of headlines giving no event':<46} {tun['no_event']:>8.3f} {held['no_event']:>9.3f}")
    print()
    print("by UCDP type of violence (found / type / fatalities, tuning | held-out):")
    names = {"1": "1 state-based", "2": "2 non-state", "3": "3 one-sided"}
    for tov in sorted({o.gold.type_of_violence for o in outcomes}):
        cells = []
        for half in HALVES:
            rows = [o for o in outcomes if o.gold.half == half and o.gold.type_of_violence == tov]
            n = len(rows)
            cells.append(f"n={n:<4} {sum(o.found for o in rows) / n:.2f} / {sum(o.type_ok for o in rows) / n:.2f}"
                         f" / {sum(o.fatalities_ok for o in rows) / n:.2f}" if n else f"n=0    {'-':>22}")
        print(f"  {names.get(tov, tov):<14} {cells[0]}  |  {cells[1]}")
    causes = misses_by_cause([o for o in outcomes if o.gold.half == HALVES[0]])
    print("tuning half, misses by cause: " + ", ".join(f"{why} {n}" for why, n in causes.items()))
    got_types = Counter(e.event_type for o in outcomes for e in o.got)
    print("extracted event types: " + ", ".join(f"{t} {n}" for t, n in got_types.most_common()))


def _stated(outcome: Outcome) -> bool:
    return any(e.fatalities is not None for e in outcome.got)


def misses_by_cause(outcomes: list[Outcome]) -> dict[str, int]:
    """Why headlines miss, one count per cause (a headline can have several): for the tuning half only."""
    causes = {
        "no event": sum(not o.found for o in outcomes),
        "events but none placed": sum(o.found and all(e.lat is None for e in o.got) for o in outcomes),
        "placed, none within 50 km and +-1 day": sum(o.found and not o.found_here
                                                     and any(e.lat is not None for e in o.got) for o in outcomes),
        "no plausible type among events": sum(o.found and not o.type_ok for o in outcomes),
        "events but no toll": sum(o.found and not _stated(o) and not o.fatalities_ok for o in outcomes),
        "toll outside low..high": sum(_stated(o) and not o.fatalities_ok for o in outcomes),
    }
    return causes


def print_errors(outcomes: list[Outcome], half: str) -> None:
    """The half's misses on any measure: headline, what UCDP says, what the reading gave."""
    misses = [o for o in outcomes if o.gold.half == half and not (o.found_here and o.type_ok and o.fatalities_ok)]
    print(f"\n{len(misses)} {half} headlines missed on at least one measure:")
    for o in misses:
        g = o.gold
        wrong = [name for name, ok in (("found", o.found), ("here", o.found_here), ("type", o.type_ok),
                                       ("fatalities", o.fatalities_ok)) if not ok]
        print(f"\n[{g.id}] {g.headline}")
        print(f"  published {g.published}; missed: {', '.join(wrong)}")
        print(f"  expected: type_of_violence {g.type_of_violence}, {g.date_start}..{g.date_end}, {g.where} "
              f"({g.lat:.3f}, {g.lon:.3f}, where_prec {g.where_prec}), deaths {g.low}..{g.high} (best {g.best})")
        if not o.got:
            print("  got: no event")
        for e in o.got:
            far = f"{km(g.lat, g.lon, e.lat, e.lon):.0f} km off" if e.lat is not None else "no place"
            print(f"  got: {e.event_type} / {e.sub_event_type}, {e.event_date}, {far}, fatalities {e.fatalities}")


def evaluate(path: Path = CORPUS) -> tuple[Corpus, list[Outcome], float]:
    corpus = load_corpus(path)
    types = load_types()
    readings, rate = read_all(corpus.golds)
    return corpus, [score(g, got, types) for g, got in zip(corpus.golds, readings)], rate


def run(errors: str | None = None, path: Path = CORPUS) -> None:
    if not path.exists():
        print(f"ucdp bench skipped: {path} not found (expects the UCDP GED Ukraine export under ../shared/corpora, "
              "or CLASHMAP_CORPORA pointing at the corpora folder)")
        return
    try:
        corpus, outcomes, rate = evaluate(path)
    except ClashmapError as err:
        print(f"ucdp bench not run: {err}")
        return
    print_table(corpus, outcomes, rate)
    if errors:
        print_errors(outcomes, HALVES[0] if errors == "tuning" else HALVES[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_ucdp", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--errors", choices=["tuning", "heldout"],
                        help="print that half's misses; read only the tuning half's while developing")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the ged_ukr.csv to read (default: %(default)s)")
    args = parser.parse_args(argv)
    run(args.errors, args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
