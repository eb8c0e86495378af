"""GeoWebNews articles as an event yardstick: the split, the gold file and its reader (issue 11, item 1).

The corpus (`../shared/corpora/geowebnews/GWN.xml`, read by `bench.geoparse_corpora.read_geowebnews`) is
read in place; nothing of its text is copied into the project. The gold events the team annotated live in
`bench/gwn_events.csv` and point into the corpus by article id and character offsets only.

The split, fixed before any article was read for annotation: an article is in the tuning half when the
first byte of sha256(article id, i.e. the `file` attribute of `<article>`, as UTF-8 text) is even, and in the
held-out half when it is odd (`half_of`). It is the rule of bench/bench_ucdp.py, applied to the article id.
DEVELOPERS: read only the tuning half's errors (`python -m bench.bench_events_real --errors tuning`).

The gold (`bench/gwn_events.csv`, one row per event, ACLED's codebook: one event per date, place, type and
actor pair; no event for threats, plans, denials or background): `article` and `start`..`end`, the evidence
span in the article's `<text>`; ACLED `event_type` / `sub_event_type`; `date` (ISO), with `date_end` when the
text gives only a span (fighting "since Saturday") and ACLED's `time_precision`; the place by `geonames_id`
when the corpus resolved that toponym (`lat`/`lon` are then the corpus's), else by name and a point we are
sure of; `actor1` / `actor2` in ACLED naming; `fatalities` (empty when the text gives no count for this
event); `optional` (1: the text implies the event but too vaguely to demand it; matched or not, it counts
neither as a miss nor as a false event); `note`. The corpus is general news of early 2018: of its 200
articles few report political violence or protests, and crimes without a political actor are outside ACLED.

The corpus gives no publication date. `bench/gwn_articles.csv` lists every article with the date the bench
feeds as its publication date (`published_from`: `url` when the link holds it, `text` when the text fixes
it, `estimate`, or `default`: 2018-04-05, the day most dated links share) and its verdict: `events` or `none`
(read in full; the note says what the article is about and why no event). Every article has been read in full:
the 153 that only a keyword screen and the title had passed (verdict `screened`, now retired) were read from
the text alone, in id order, without looking at any system output, and all turned out `none` (81 tuning, 72
held-out): sport, business, courts, crimes without a political actor, diplomacy, plans and background. So the
yardstick is complete: every article goes through the bench, and an event read from a `none` article is a
false event of the system, not a gap in the gold. `problems` rejects any other verdict.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bench.bench_ucdp import HALVES, Got, half_of  # noqa: F401 (the split rule of bench_ucdp, on the article id)
from bench.geoparse_corpora import CORPORA, read_geowebnews
from clashmap.errors import ClashmapError


# --- the gold file and the article list -------------------------------------------------------------------------

HERE = Path(__file__).resolve().parent
CORPUS = CORPORA / "geowebnews" / "GWN.xml"
GOLD_FILE = HERE / "gwn_events.csv"
ARTICLES_FILE = HERE / "gwn_articles.csv"
MAX_KM = 50.0
MAX_DAYS = 1
GOLD_COLUMNS = ("article", "start", "end", "event_type", "sub_event_type", "date", "date_end", "time_precision",
                "place", "geonames_id", "lat", "lon", "geo_precision", "actor1", "actor2", "fatalities", "optional",
                "note")
ARTICLE_COLUMNS = ("article", "published", "published_from", "status", "note")
PUBLISHED_FROM = ("url", "text", "estimate", "default")
STATUSES = ("events", "none")


@dataclass(frozen=True)
class GoldEvent:
    """One annotated event: where its evidence lies in the corpus article, and what ACLED would code."""

    line: int  # line of the gold file, for messages
    article: str
    start: int
    end: int
    event_type: str
    sub_event_type: str
    date: date
    date_end: date | None
    time_precision: int
    place: str
    geonames_id: str
    lat: float
    lon: float
    geo_precision: int
    actor1: str
    actor2: str
    fatalities: int | None
    optional: bool
    note: str

    @property
    def half(self) -> str:
        return half_of(self.article)


@dataclass(frozen=True)
class ArticleInfo:
    article: str
    published: date
    published_from: str
    status: str
    note: str


def _fail(path: Path, line: int, problem: str) -> ClashmapError:
    return ClashmapError(f"{path}, line {line}: {problem}")


def load_gold(path: Path = GOLD_FILE) -> list[GoldEvent]:
    """Read the gold events; a malformed row is one line naming the file, the line and the problem."""
    events = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in GOLD_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ClashmapError(f"{path}: lacks the column(s) {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            try:
                events.append(GoldEvent(
                    line=line, article=row["article"].strip(), start=int(row["start"]), end=int(row["end"]),
                    event_type=row["event_type"].strip(), sub_event_type=row["sub_event_type"].strip(),
                    date=date.fromisoformat(row["date"].strip()),
                    date_end=date.fromisoformat(row["date_end"].strip()) if row["date_end"].strip() else None,
                    time_precision=int(row["time_precision"]), place=row["place"].strip(),
                    geonames_id=row["geonames_id"].strip(), lat=float(row["lat"]), lon=float(row["lon"]),
                    geo_precision=int(row["geo_precision"]), actor1=row["actor1"].strip(),
                    actor2=row["actor2"].strip(),
                    fatalities=int(row["fatalities"]) if row["fatalities"].strip() else None,
                    optional=row["optional"].strip() == "1", note=row["note"].strip()))
            except (TypeError, ValueError) as err:
                raise _fail(path, line, f"unreadable value ({err})") from None
    return events


def load_articles(path: Path = ARTICLES_FILE) -> dict[str, ArticleInfo]:
    """Each corpus article's publication date (the corpus gives none), where it comes from, and its verdict."""
    articles = {}
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ARTICLE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ClashmapError(f"{path}: lacks the column(s) {', '.join(missing)}")
        for row in reader:
            try:
                published = date.fromisoformat(row["published"].strip())
            except ValueError:
                raise _fail(path, reader.line_num, f"published {row['published']!r} is not an ISO date") from None
            articles[row["article"].strip()] = ArticleInfo(row["article"].strip(), published,
                                                           row["published_from"].strip(), row["status"].strip(),
                                                           row["note"].strip())
    return articles


def corpus_toponyms(path: Path = CORPUS) -> dict[str, dict[str, tuple[float, float]]]:
    """Article id -> GeoNames id -> (lat, lon) of the toponyms the corpus annotators resolved."""
    found: dict[str, dict[str, tuple[float, float]]] = {}
    for art in ET.parse(path).getroot().iter("article"):
        ids = found.setdefault(art.get("file") or "", {})
        for top in art.find("toponyms") or ():
            gid = (top.findtext("geonamesID") or "").strip()
            if gid and top.findtext("latitude") and top.findtext("longitude"):
                ids[gid] = (float(top.findtext("latitude")), float(top.findtext("longitude")))
    return found


def problems(gold: list[GoldEvent], articles: dict[str, ArticleInfo], path: Path = CORPUS) -> list[str]:
    """Everything wrong with the gold file against the corpus and ACLED's codes (an empty list when sound)."""
    from events.taxonomy import ACLED_TYPES

    texts = {doc.id: doc.text for doc in read_geowebnews(path)}
    toponyms = corpus_toponyms(path)
    found = []
    for aid in texts:
        if aid not in articles:
            found.append(f"article {aid}: not listed in {ARTICLES_FILE.name}")
    for aid, info in articles.items():
        if aid not in texts:
            found.append(f"{ARTICLES_FILE.name}: article {aid} is not in the corpus")
        if info.published_from not in PUBLISHED_FROM or info.status not in STATUSES:
            found.append(f"{ARTICLES_FILE.name}: article {aid} has published_from {info.published_from!r} "
                         f"or status {info.status!r} outside {PUBLISHED_FROM} / {STATUSES}")
    with_events = {g.article for g in gold if not g.optional}
    for aid, info in articles.items():
        if (info.status == "events") != (aid in with_events):
            found.append(f"{ARTICLES_FILE.name}: article {aid} has status {info.status!r} but "
                         f"{'no' if aid not in with_events else 'some'} required gold events")
    for g in gold:
        where = f"{GOLD_FILE.name}, line {g.line}"
        text = texts.get(g.article)
        if text is None:
            found.append(f"{where}: article {g.article} is not in the corpus")
            continue
        if not 0 <= g.start < g.end <= len(text):
            found.append(f"{where}: evidence {g.start}..{g.end} lies outside article {g.article} ({len(text)} chars)")
        if g.sub_event_type not in ACLED_TYPES.get(g.event_type, []):
            found.append(f"{where}: {g.event_type!r} / {g.sub_event_type!r} is not an ACLED type and sub-type")
        if g.date_end is not None and g.date_end < g.date:
            found.append(f"{where}: date_end {g.date_end} is before date {g.date}")
        if g.geonames_id:
            point = toponyms.get(g.article, {}).get(g.geonames_id)
            if point is None:
                found.append(f"{where}: GeoNames id {g.geonames_id} is not among article {g.article}'s toponyms")
            elif abs(point[0] - g.lat) > 1e-3 or abs(point[1] - g.lon) > 1e-3:
                found.append(f"{where}: lat/lon {g.lat},{g.lon} differ from the corpus's {point} for {g.geonames_id}")
        if not (-90 <= g.lat <= 90 and -180 <= g.lon <= 180):
            found.append(f"{where}: lat/lon {g.lat},{g.lon} out of range")
        if g.fatalities is not None and g.fatalities < 0:
            found.append(f"{where}: fatalities {g.fatalities} is negative")
        if g.time_precision not in (1, 2, 3) or g.geo_precision not in (1, 2, 3):
            found.append(f"{where}: time_precision and geo_precision are ACLED's 1, 2 or 3")
    return found


# --- scoring ----------------------------------------------------------------------------------------------------

def km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    from geopy.distance import great_circle

    return great_circle((a_lat, a_lon), (b_lat, b_lon)).km


def matches(gold: GoldEvent, got: Got) -> bool:
    """Issue 11's rule: same ACLED event type, within 50 km, dated within a day of the gold date (or of the
    gold's span date..date_end, when the text gives only a span)."""
    if got.event_type != gold.event_type or got.event_date is None or got.lat is None or got.lon is None:
        return False
    last = gold.date_end or gold.date
    if not gold.date - timedelta(days=MAX_DAYS) <= got.event_date <= last + timedelta(days=MAX_DAYS):
        return False
    return km(gold.lat, gold.lon, got.lat, got.lon) <= MAX_KM


@dataclass
class Scored:
    article: str
    tp: list[tuple[GoldEvent, Got]]
    fp: list[Got]
    fn: list[GoldEvent]


def score_article(article: str, gold: list[GoldEvent], got: list[Got]) -> Scored:
    """Greedy one-to-one matching, required gold events first; an optional gold event that is matched
    takes its prediction out of the false events, one that is not counts as no miss."""
    left = list(got)
    tp: list[tuple[GoldEvent, Got]] = []
    fn: list[GoldEvent] = []
    for g in sorted(gold, key=lambda e: e.optional):
        candidates = [e for e in left if matches(g, e)]
        if candidates:
            best = min(candidates, key=lambda e: (abs((e.event_date - g.date).days),
                                                  km(g.lat, g.lon, e.lat, e.lon)))
            left.remove(best)
            if not g.optional:
                tp.append((g, best))
        elif not g.optional:
            fn.append(g)
    return Scored(article, tp, left, fn)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
