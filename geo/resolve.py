"""Pick the right place for each name, using what the whole article says.

A name alone is ambiguous ("Tripoli" is a city in Libya and in Lebanon); the story is not:
its demonyms, its unambiguous places and its dateline point to the countries it is about, and
a candidate in those countries wins over a bigger namesake elsewhere.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from clashmap import trace
from clashmap.errors import ConfigError
from geo.country_points import SOVEREIGN_OF
from geo.demonym_places import CAPITAL, DEMONYM
from geo.distance import km_between
from geo.features import FEATURES, dot, load_weights, top_contributions
from geo.gazetteer import PlaceRecord
from geo.names import normalize_name, query_key
from geo import wordlists
from geo.toponyms import STATE_ABBREVIATION_KEYS, Toponym

# The weights of the signals (population, kind, the article's countries and regions, nearness, ...) are
# data: geo.features and data/resolver_weights.json. What stays here shapes the evidence, not its weight.
FOCUS_PRIOR_MASS = 1.0    # one name is no full evidence: a country's share is its votes / (all votes + this)
REGION_PRIOR_MASS = 1.0   # the same for first-level regions ("Conway" alone must not carry London to Arkansas)
REPEAT_GAIN, REPEAT_CAP = 0.5, 3  # a name written again votes again, up to twice its first vote
DATELINE_HINT = 0.5      # the dateline tells where the reporter sat, only weakly where things happened
NEAR_KM = 150.0          # spatial coherence: a candidate near the article's other places
COUNTY_SUFFIXES = (" county", " parish", " township")
PROMINENT_CITY = 100_000  # a city this big in a region of its name is what the bare name usually means
REGION_OVER_TOWN = 20  # a region this many times bigger than a same-named town of its country is meant

# A story set in one country (STORY_COUNTRY_VOTES of evidence, more than all others together or
# STORY_COUNTRY_LEAD times the next): a name the gazetteer lacks, or reads only as a small place abroad
# (under FAR_FETCHED_POPULATION; an alternate name under ALTERNATE_FAR_FETCHED_POPULATION) in a country
# with less than FAR_EVIDENCE_SHARE of the evidence, is a local name: placed at the story's town with
# resolver STORY_AREA ("Salt", Spain, in a St. Louis story is the barbecue place in St. Louis).
STORY_COUNTRY_VOTES = 2.0
STORY_COUNTRY_LEAD = 2.0
FAR_FETCHED_POPULATION = 100_000
ALTERNATE_FAR_FETCHED_POPULATION = 1_000_000
FAR_EVIDENCE_SHARE = 0.1
STORY_AREA = "story-area"
ENCLOSING_AREA = "enclosing-area"  # a name with no town of its own in the region written after it, placed there
# the same within a country: a town under REGION_FAR_FETCHED_POPULATION in another first-level region than the
# one STORY_REGION_NAMES or more of the story's other names lie in (see _region_town)
REGION_FAR_FETCHED_POPULATION = 10_000
STORY_REGION_NAMES = 2
REGION_CUES = Path(__file__).resolve().parent.parent / "data" / "region_cues.csv"
COUNTY_CUES = Path(__file__).resolve().parent.parent / "data" / "county_cues.csv"
TOWN_CUES = Path(__file__).resolve().parent.parent / "data" / "town_cues.csv"
NAME_ABBREVIATIONS = Path(__file__).resolve().parent.parent / "data" / "name_abbreviations.csv"


@dataclass
class Resolution:
    """A toponym with its chosen place (None when unresolved) and the candidates considered."""

    toponym: Toponym
    place: PlaceRecord | None
    score: float | None
    resolver: str
    candidates: list[PlaceRecord] = field(default_factory=list)


def _record(location) -> PlaceRecord:
    return PlaceRecord(**location.raw) if isinstance(location.raw, dict) and "kind" in location.raw \
        else PlaceRecord(id=int(location.raw.get("place_id", 0)), name=location.address.split(",")[0],
                         country_code=None, admin1=None, kind="city", feature_code=None,
                         lat=location.latitude, lon=location.longitude, population=0,
                         source="nominatim")


def candidates_for(geocoder, name: str) -> list[PlaceRecord]:
    found = geocoder.geocode(name, exactly_one=False) or []
    return [_record(loc) for loc in found]


def _country_votes(cands: list[PlaceRecord]) -> Counter:
    """What one name says about the story's countries."""
    votes: Counter = Counter()
    countries = {c.country_code for c in cands if c.country_code}
    if len(countries) == 1:
        votes[countries.pop()] += 2.0
    elif cands and cands[0].kind in ("country", "region") and cands[0].country_code:
        votes[cands[0].country_code] += 1.0
    return votes


def _repeat_weight(mentions: int) -> float:
    """A name written again says more about the story ("a story that names Canada three times"), with
    diminishing returns: 1, 1.5, 2 for one, two, three or more mentions."""
    return 1.0 + REPEAT_GAIN * (min(mentions, REPEAT_CAP) - 1)


def _scaled(votes: Counter, factor: float) -> Counter:
    return Counter({k: v * factor for k, v in votes.items()}) if factor != 1.0 else votes


def focus_countries(candidate_sets: list[list[PlaceRecord]], demonym_countries: list[str],
                    dateline_country: str | None, mentions: list[int] | None = None) -> Counter:
    """Evidence per country: demonyms, names that can only mean one country, countries named
    (each name's votes weighed by how often it is written, `mentions`)."""
    focus: Counter = Counter()
    for code in demonym_countries:
        focus[code] += 1.0
    for i, cands in enumerate(candidate_sets):
        focus.update(_scaled(_country_votes(cands), _repeat_weight(mentions[i]) if mentions else 1.0))
    if dateline_country:
        focus[dateline_country] += DATELINE_HINT
    return focus


def _region_votes(cands: list[PlaceRecord], countries: Counter, weights: tuple[float, ...] | None = None) -> Counter:
    votes: Counter = Counter()
    if not cands:
        return votes
    weights = weights or load_weights()
    top = max(cands, key=lambda c: score(c, countries, weights=weights))
    if top.kind == "region" and top.admin1 and top.country_code:
        votes[(top.country_code, top.admin1)] += 2.0
        return votes
    regions = {(c.country_code, c.admin1) for c in cands if c.admin1}
    if len(regions) == 1:
        votes[regions.pop()] += 1.0
    return votes


def admin1_focus(candidate_sets: list[list[PlaceRecord]], countries: Counter | None = None,
                 weights: tuple[float, ...] | None = None) -> Counter:
    """Evidence per (country, first-level region): regions named, names found in only one region.

    A name's reading is taken in the light of the article's countries: "Georgia" in a story about
    Gainesville and Hall County is the state, and then evidence for it.
    """
    focus: Counter = Counter()
    weights = weights or load_weights()
    for cands in candidate_sets:
        focus.update(_region_votes(cands, countries or Counter(), weights))
    return focus


_KIND_FEATURES = {"country": (1.0, 0.0, 0.0), "continent": (1.0, 0.0, 0.0), "ocean": (1.0, 0.0, 0.0),
                   "region": (0.0, 1.0, 0.0), "feature": (0.0, 0.0, 1.0)}


@dataclass
class Context:
    """What one name's candidates are judged by: the article's evidence (without this name's own votes),
    and the per-mention and per-article signals. `city_regions` are the regions holding a town of the name."""

    key: str
    focus: Counter
    regions: Counter | None = None
    nearby: object = None
    shared: Counter | None = None
    dateline: str | None = None
    outlet: str | None = None
    region_cue: bool = False
    city_regions: frozenset = frozenset()
    within: tuple[str, str] | None = None  # the dateline's region ("PARIS, Tenn.": ("US", "TN"))
    actor_countries: frozenset = frozenset()  # home countries of the armed groups the story names
    coherent: object = None  # _CandidateIndex: every candidate of every name of the article
    top_focus: float = 0.0  # the most country evidence any of the name's candidates has


def features(c: PlaceRecord, ctx: Context) -> tuple[float, ...]:
    """The candidate's named vector, in `geo.features.FEATURES` order."""
    total = ctx.focus.total() + FOCUS_PRIOR_MASS or 1.0
    country, region, feature = _KIND_FEATURES.get(c.kind, (0.0, 0.0, 0.0))
    region_share = 0.0
    if ctx.regions:
        region_share = ctx.regions.get((c.country_code, c.admin1), 0.0) / (ctx.regions.total() + REGION_PRIOR_MASS)
    sovereign = _sovereign(c.country_code)
    return (math.log10(c.population + 1), country, region, feature, 1.0 if c.feature_code == "PPLC" else 0.0,
            ctx.focus.get(c.country_code, 0.0) / total, region_share,
            1.0 if ctx.nearby is not None and c.kind != "country" and ctx.nearby.any_within(c, ctx.key) else 0.0,
            0.0 if _same_name(c.name, ctx.key) else 1.0,
            ctx.shared.get((c.country_code, c.admin1), 0.0) if ctx.shared else 0.0,
            1.0 if ctx.dateline and sovereign == _sovereign(ctx.dateline) else 0.0,
            1.0 if ctx.outlet and sovereign == ctx.outlet else 0.0,
            1.0 if ctx.region_cue and c.kind == "region" else 0.0,
            1.0 if c.kind == "region" and (c.country_code, c.admin1) in ctx.city_regions else 0.0,
            1.0 if ctx.within is not None and (c.country_code, c.admin1) == ctx.within else 0.0,
            1.0 if ctx.actor_countries and sovereign in ctx.actor_countries else 0.0,
            ctx.coherent.coherence(c, ctx.key) if ctx.coherent is not None
            and ctx.focus.get(c.country_code, 0.0) >= ctx.top_focus else 0.0)


def features_again(c: PlaceRecord, ctx: Context, before: tuple[float, ...]) -> tuple[float, ...]:
    """`features(c, ctx)` from `before`, the vector computed when `ctx` had no `nearby` and `shared` yet and
    maybe no `region_cue` (resolve_all's first readings): those three recomputed as `features` does, the rest
    (the costliest: coherence, focus) as it was."""
    return (*before[:7],
            1.0 if ctx.nearby is not None and c.kind != "country" and ctx.nearby.any_within(c, ctx.key) else 0.0,
            before[8],
            ctx.shared.get((c.country_code, c.admin1), 0.0) if ctx.shared else 0.0,
            before[10], before[11],
            1.0 if ctx.region_cue and c.kind == "region" else 0.0,
            *before[13:])


@functools.lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    """data/name_abbreviations.csv: words written short in names ("st" -> "saint", "mt" -> "mount")."""
    out: dict[str, str] = {}
    try:
        with open(NAME_ABBREVIATIONS, encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                written, full = (row.get("written") or "").strip(), (row.get("full") or "").strip()
                if not written or not full or not (row.get("reason") or "").strip():
                    raise ConfigError(f"{NAME_ABBREVIATIONS}: line {line}: an abbreviation needs written, full "
                                      "and a reason")
                out[normalize_name(written)] = normalize_name(full)
    except FileNotFoundError:
        return out
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{NAME_ABBREVIATIONS}: unreadable ({err.__class__.__name__}: {err})") from None
    return out


@functools.lru_cache(maxsize=100_000)
def _spelled_out(key: str) -> str:
    words = _abbreviations()
    return " ".join(words.get(w, w) for w in key.split(" "))


def _same_name(name: str, key: str) -> bool:
    """Whether a place is called `key` by its own name, abbreviations spelled out ("St. Petersburg" is
    Saint Petersburg's own name, not an alternate one)."""
    own = normalize_name(name)
    return own == key or _spelled_out(own) == _spelled_out(key)


def score(candidate: PlaceRecord, focus: Counter, regions: Counter | None = None, *,
          key: str | None = None, weights: tuple[float, ...] | None = None) -> float:
    """The candidate's score from the article's countries and regions alone (no per-mention signals)."""
    ctx = Context(key if key is not None else normalize_name(candidate.name), focus, regions)
    return dot(weights or load_weights(), features(candidate, ctx))


def _region_record(geocoder, region: tuple[str, str]) -> PlaceRecord | None:
    """The gazetteer's record of a first-level region, found through its code (US states: 'GA')."""
    gazetteer = getattr(getattr(geocoder, "geocoder", geocoder), "gazetteer", None)
    if gazetteer is None:
        return None
    row = gazetteer.db.execute("SELECT * FROM place WHERE kind = 'region' AND feature_code = 'ADM1' AND "
                               "country_code = ? AND admin1 = ? LIMIT 1", region).fetchone()
    return PlaceRecord(*row) if row else None


def _km(a: PlaceRecord, b: PlaceRecord) -> float:
    return km_between(a.lat, a.lon, b.lat, b.lon)


class _Tally(Counter):
    """The evidence per country (or region) of a whole article, with its total computed once, and each
    name's own view of it without its own votes (`without`): an article of thousands of names asked for
    both thousands of times, and each copy and sum went over every country and region."""

    def __init__(self, counts: Counter) -> None:
        super().__init__(counts)
        self._total = super().total()

    def total(self) -> float:
        return self._total

    def without(self, votes: Counter) -> _Without:
        return _Without(self, votes)


class _Without:
    """`tally - votes` (as Counter subtraction: no count below zero kept), read without copying the tally."""

    def __init__(self, tally: _Tally, votes: Counter) -> None:
        self._tally = tally
        self._own = {k: max(0.0, tally.get(k, 0.0) - v) for k, v in votes.items() if k in tally}
        self._total = tally.total() - sum(tally[k] - v for k, v in self._own.items())
        self._empty = len(tally) == sum(1 for v in self._own.values() if v <= 0)

    def get(self, key, default=None):
        if key in self._own:
            value = self._own[key]
            return value if value > 0 else default
        return self._tally.get(key, default)

    def total(self) -> float:
        return self._total

    def __bool__(self) -> bool:
        return not self._empty


class _NearIndex:
    """The article's anchors in cells of a latitude/longitude grid, so "is another name's place within
    NEAR_KM" looks at the cells around a candidate, not at every anchor (a list of thousands of names
    made it cubic: names x candidates x anchors)."""

    CELL = 1.5  # degrees; NEAR_KM is under 1.35 degrees of latitude, so neighbours lie one row away at most
    COLUMNS = round(360 / CELL)
    LAT_REACH = math.degrees(NEAR_KM / 6371.0) * 1.01  # degrees of latitude NEAR_KM spans, with a margin

    def __init__(self, anchors: dict[str, PlaceRecord]) -> None:
        self._cells: dict[tuple[int, int], list[tuple[str, str, PlaceRecord]]] = {}
        for key, place in anchors.items():
            if not (math.isfinite(place.lat) and math.isfinite(place.lon)):
                continue  # no distance to it is ever under NEAR_KM
            self._cells.setdefault(self._cell(place.lat, place.lon), []).append((key, normalize_name(place.name), place))

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.CELL), math.floor((lon + 180.0) / self.CELL) % self.COLUMNS

    def keys_within(self, candidate: PlaceRecord, accept, cap: int) -> set[str]:
        """The keys (as accepted by `accept`) with an entry under NEAR_KM from `candidate`, up to `cap` of them."""
        found: set[str] = set()
        row, column = self._cell(candidate.lat, candidate.lon)
        reach = math.sin(NEAR_KM * 1.01 / (2 * 6371.0))
        widest = math.cos(math.radians(min(90.0, abs(candidate.lat) + 2 * self.CELL)))
        if widest <= reach:
            columns = range(self.COLUMNS)
        else:
            span = math.degrees(2 * math.asin(reach / widest))
            steps = math.ceil(span / self.CELL) + 1
            columns = range(self.COLUMNS) if 2 * steps + 1 >= self.COLUMNS else \
                [(column + d) % self.COLUMNS for d in range(-steps, steps + 1)]
        for r in (row - 1, row, row + 1):
            for col in columns:
                for other, _name, place in self._cells.get((r, col), ()):
                    if other in found or abs(place.lat - candidate.lat) > self.LAT_REACH or not accept(other, place):
                        continue
                    if _km(candidate, place) < NEAR_KM:
                        found.add(other)
                        if len(found) >= cap:
                            return found
        return found

    def any_within(self, candidate: PlaceRecord, key: str) -> bool:
        """Whether an anchor of another name (not `key`, not named `key`) lies under NEAR_KM from `candidate`."""
        if not (math.isfinite(candidate.lat) and math.isfinite(candidate.lon)):
            return False
        row, column = self._cell(candidate.lat, candidate.lon)
        reach = math.sin(NEAR_KM * 1.01 / (2 * 6371.0))  # haversine of the distance, with a margin
        widest = math.cos(math.radians(min(90.0, abs(candidate.lat) + 2 * self.CELL)))
        if widest <= reach:
            columns = range(self.COLUMNS)  # near a pole every longitude may be close
        else:
            span = math.degrees(2 * math.asin(reach / widest))
            steps = math.ceil(span / self.CELL) + 1
            columns = range(self.COLUMNS) if 2 * steps + 1 >= self.COLUMNS else \
                [(column + d) % self.COLUMNS for d in range(-steps, steps + 1)]
        lat = candidate.lat
        for r in (row - 1, row, row + 1):
            for c in columns:
                for other, name, place in self._cells.get((r, c), ()):
                    # a great circle is never shorter than its latitude difference: most anchors of the
                    # three rows are further apart in latitude alone, and need no haversine
                    if abs(place.lat - lat) > self.LAT_REACH:
                        continue
                    if other != key and name != key and _km(candidate, place) < NEAR_KM:
                        return True
        return False


COHERENCE_NAMES = 2  # other names with a candidate nearby that make a candidate fully coherent
# a namesake this many times smaller than its name's biggest place supports nothing nearby; not a US county (ADM2):
# its population in the index is the sum of its listed towns, a proxy far under the county's for a rural one
COHERENCE_RATIO = 100


def _wide(place: PlaceRecord) -> bool:
    """A country, continent, ocean or first-level region: too wide for nearness to say anything."""
    return place.kind in ("country", "continent", "ocean") or place.feature_code == "ADM1"


class _CandidateIndex:
    """Every candidate of every name of the article (not only each name's first reading, as `_NearIndex`), for
    the coherence of a reading: how many of the article's other names could lie within NEAR_KM of it. A local
    story names several small places of one area ("Columbus" and "Colfax County", "Paris" and "Henry County"),
    and the readings near each other are what it means, whatever the bigger namesakes elsewhere."""

    def __init__(self, cands: dict[str, list[PlaceRecord]]) -> None:
        self._index = {}
        for key, options in cands.items():
            narrow = {f"{key}\x00{i}": c for i, c in enumerate(options) if not _wide(c)}
            self._index[key] = narrow
        flat = {k: c for narrow in self._index.values() for k, c in narrow.items()}
        self._grid = _NearIndex({})
        for k, place in flat.items():
            if math.isfinite(place.lat) and math.isfinite(place.lon):
                self._grid._cells.setdefault(self._grid._cell(place.lat, place.lon), []).append(
                    (k.split("\x00", 1)[0], "", place))
        self._memo: dict[tuple[int, str], float] = {}
        self._biggest = {key: max((c.population + 1 for c in options), default=1) for key, options in cands.items()}
        # the biggest town called by the name as its own name ("Paris": Paris, France), per name
        self._own = {key: max((c.population for c in options if not _wide(c) and _same_name(c.name, key)), default=-1)
                     for key, options in cands.items()}

    def coherence(self, c: PlaceRecord, key: str) -> float:
        if _wide(c) or not (math.isfinite(c.lat) and math.isfinite(c.lon)):
            return 0.0
        if c.population < self._own.get(key, -1) and not _same_name(c.name, key):
            # called so only in an alternate name, and smaller than a town of that very name: an old or local
            # name (Kosciusko, Mississippi, once "Paris") is no reading its neighbours can confirm; an exonym
            # of a bigger place (Sidon for "Saida", New York City for "New York") still is
            return 0.0
        memo = (c.id, key)
        if memo not in self._memo:
            # another name of the same place ("D.C." beside "Washington") is no second place nearby, nor a place
            # called so only in an alternate name (Austintown, Ohio, for "Austin")
            others = self._grid.keys_within(c, lambda other, place: other != key and other not in key and key not in other
                                            and place.id != c.id and _same_name(place.name, other)
                                            and (place.feature_code == "ADM2"
                                                 or (place.population + 1) * COHERENCE_RATIO >= self._biggest[other]),
                                            COHERENCE_NAMES)
            self._memo[memo] = min(len(others), COHERENCE_NAMES) / COHERENCE_NAMES
        return self._memo[memo]


def _within(parent: PlaceRecord, options: list[PlaceRecord]) -> list[PlaceRecord]:
    """The options inside `parent` ("Athens, Ga.": the Athens of Georgia, US)."""
    if parent.kind == "country":
        return [o for o in options if o.country_code == parent.country_code and o.id != parent.id]
    if parent.kind == "region" and parent.admin1:
        return [o for o in options if o.country_code == parent.country_code and o.admin1 == parent.admin1
                and o.id != parent.id]
    return []


def _shared_regions(cands: dict[str, list[PlaceRecord]]) -> dict[str, Counter]:
    """For each name, how much the article's other names could lie in each first-level region.

    "Gainesville" and "Hall County" each have namesakes in several states, but only Georgia has both:
    each other name adds 1/(its number of regions) to the regions it could be in."""
    regions = {key: {(c.country_code, c.admin1) for c in options if c.admin1 and c.kind != "country"}
               for key, options in cands.items()}
    total: Counter = Counter()
    for rs in regions.values():
        for r in rs:
            total[r] += 1.0 / len(rs)
    out = {}
    for key, rs in regions.items():
        own = Counter({r: 1.0 / len(rs) for r in rs})
        out[key] = Counter({r: total[r] - own[r] for r in rs})
    return out


_AREA_KINDS = ("country", "region", "continent", "ocean", "feature")


def _story_town(toponyms: list[Toponym], first: dict[str, PlaceRecord],
                country: str | None = None) -> PlaceRecord | None:
    """The town the story names most often (settlements only, in `country` when given), where its
    streets and buildings lie; a dateline town in that country comes first (local copy)."""
    for t in toponyms:
        place = first.get(_key(t))
        if t.role == "dateline" and place is not None and place.kind not in _AREA_KINDS \
                and (country is None or _sovereign(place.country_code) == country):
            return place
    # counted by place, not spelling: "New York" and "New York City" are one town named twice
    counts = Counter(first[_key(t)].id for t in toponyms
                     if t.how not in ("facility", "building") and _key(t) in first)
    places = {p.id: p for p in first.values()}
    towns = [(n, places[pid].population, pid) for pid, n in counts.items()
             if places[pid].kind not in _AREA_KINDS
             and (country is None or _sovereign(places[pid].country_code) == country)]
    if not towns:
        return None
    return places[max(towns)[2]]


def _story_country(focus: Counter, first: dict[str, PlaceRecord]) -> str | None:
    """The one country the story is set in, when its evidence outweighs all others together: the
    focus evidence plus one vote per name whose first reading lies there ("London", "Harrow" and
    "Brent" have namesakes abroad, yet their readings all say Britain)."""
    votes = Counter(focus)
    for place in first.values():
        if place.country_code:
            votes[_sovereign(place.country_code)] += 1.0
    if not votes:
        return None
    ranked = sorted(votes.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
    code, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best < STORY_COUNTRY_VOTES:
        return None
    # most of the evidence, or twice the next country's (a Cairo story that also names Liverpool,
    # Madrid, Barcelona and Russia for its football)
    return code if best * 2 > sum(votes.values()) or best >= STORY_COUNTRY_LEAD * runner_up else None


_DATELINE_TAIL = re.compile(r"\s*(?:,[^\n—–]{0,30}?)?\s*(?:—|–|--?)\s")


def _dateline_like(t: Toponym, text: str | None) -> bool:
    """A dateline, read by the reader or not: "ST. PARIS —" in capitals before a dash."""
    return t.role == "dateline" or bool(text) and t.text.isupper() and len(t.text) > 3 \
        and _DATELINE_TAIL.match(text, t.end, min(len(text), t.end + 40)) is not None


class _StoryRegions:
    """What `_region_town` asks of the whole article, counted once (asked for each name, it went over every
    name each time: quadratic, 90% of a 1 MB list of different names): the names written as a dateline, and the
    first-level regions of the names' first readings, with their three most named (one name's own vote taken
    off, the two most named of the rest are among them)."""

    def __init__(self, toponyms: list[Toponym], first: dict[str, PlaceRecord], text: str | None) -> None:
        self.datelines = {_key(t) for t in toponyms if _dateline_like(t, text)}
        self.votes = Counter((p.country_code, p.admin1) for p in first.values()
                             if p.admin1 and p.kind in ("city", "region"))
        self.top = self.votes.most_common(3)

    def ranked(self, own: PlaceRecord | None) -> list[tuple[tuple, int]]:
        """The two regions most named by the first readings of the names other than the one read as `own`,
        as `Counter.most_common(2)` gives them (but of two regions named as often, either may come first)."""
        mine = (own.country_code, own.admin1) if own is not None and own.admin1 and own.kind in ("city", "region") \
            else None
        counts = [(region, n - (region == mine)) for region, n in self.top]
        return sorted([c for c in counts if c[1] > 0], key=lambda c: -c[1])[:2]


def _region_town(key: str, best: PlaceRecord, options: list[PlaceRecord], toponyms: list[Toponym],
                 first: dict[str, PlaceRecord], text: str | None = None,
                 story: _StoryRegions | None = None) -> PlaceRecord | None:
    """The story's town when `best` is a small town (under REGION_FAR_FETCHED_POPULATION) in another
    first-level region of the country the story's other names lie in, and the name has no candidate in that
    region: a village the gazetteer lacks ("Gratis" in a story of Walton County, Georgia, is no Gratis,
    Ohio). The region is the one holding the first readings of at least STORY_REGION_NAMES other names, at
    least twice as many as any other region; the town is its most often named one."""
    if best.kind != "city" or best.population >= REGION_FAR_FETCHED_POPULATION:
        return None
    story = story or _StoryRegions(toponyms, first, text)
    if key in story.datelines:
        return None  # a dateline's town is where the reporter sat: it stands on its own
    ranked = story.ranked(first.get(key))
    if not ranked or ranked[0][1] < STORY_REGION_NAMES or (len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]):
        return None
    region = ranked[0][0]
    if best.country_code != region[0] or (best.country_code, best.admin1) == region \
            or any((c.country_code, c.admin1) == region for c in options):
        return None
    counts = Counter(first[_key(t)].id for t in toponyms if _key(t) in first and _key(t) != key
                     and t.how not in ("facility", "building"))
    towns = [(n, first_place.population, first_place.id, first_place) for pid, n in counts.items()
             for first_place in [next(p for p in first.values() if p.id == pid)]
             if first_place.kind == "city" and (first_place.country_code, first_place.admin1) == region]
    return max(towns, key=lambda t: t[:3])[3] if towns else None


def _sovereign(code: str | None) -> str | None:
    return SOVEREIGN_OF.get(code, code) if code else code


# a region written with the word for its kind ("the Tillaberi region", "Kandahar province"), as geo.toponyms
# reads it whole (REGION_AFTER)
_NAMES_ITS_KIND = re.compile(r" (?:province|governorate|oblast|region|state)$")


def _far_fetched(place: PlaceRecord, key: str, story_country: str, focus: Counter,
                 named_countries: set[str]) -> bool:
    """A reading only a small namesake abroad supports: "Salt" (Spain) in a St. Louis story, "Hey"
    of Alder Hey (Iran) in a Liverpool one. Such a name is a local name the gazetteer lacks."""
    evidence = focus.get(place.country_code, 0.0)
    if _sovereign(place.country_code) == story_country or place.country_code in named_countries \
            or evidence > FAR_EVIDENCE_SHARE * focus.total():
        return False  # "Yeraskh" in a Karabakh story that names Armenia is Armenia's
    if place.kind in _AREA_KINDS and place.kind != "region" or place.source == "curated":
        return False  # a small region abroad ("West Coast", New Zealand, in a US story) is far-fetched too
    if place.kind == "region" and _NAMES_ITS_KIND.search(key):
        return False  # "the Tillaberi region", "Idlib province": the copy says it is a region, and which
    small = place.population < FAR_FETCHED_POPULATION
    return small or normalize_name(place.name) != key and place.population < ALTERNATE_FAR_FETCHED_POPULATION


def _key(toponym: Toponym) -> str:
    """What a mention is looked up by: its name, or for a building the place name it holds."""
    return query_key(toponym.inner or toponym.text)


def _building_site(named: PlaceRecord | None, home: PlaceRecord | None, story_country: str | None,
                   named_alone: bool, named_countries: frozenset[str] = frozenset()) -> PlaceRecord | None:
    """Where a building named after a place stands: at that place when it is a town of the story's country
    the story also names on its own or a sizeable one ("Hartford Hospital"), else in the story's town
    ("Liverpool Academy" in a Cairo story, "Eva's Village" named after a person; "Kansas State University"
    in a Manhattan, Kan. story, the town lying inside the region the name gives). A sizeable town abroad in a
    country the story names itself keeps the building ("University of Toronto" in a Texas story that says
    the doctor grew up in Canada)."""
    if home is None:
        return named
    if story_country is None:  # no country to judge by: only a small town the story never names alone yields
        small = named is not None and named.kind not in _AREA_KINDS and named.population < PROMINENT_CITY
        return home if small and not named_alone and home is not named else named
    if named is not None and _sovereign(named.country_code) == story_country:
        if named.kind not in _AREA_KINDS and (named_alone or named.population >= PROMINENT_CITY):
            return named
        if named.kind == "region" and (home.country_code, home.admin1) != (named.country_code, named.admin1):
            return named
    elif named is not None and named.kind not in _AREA_KINDS and named.population >= PROMINENT_CITY \
            and _sovereign(named.country_code) in named_countries:
        return named
    return home


def resolve_all(toponyms: list[Toponym], geocoder, *, demonym_countries: list[str] = (),
                dateline_country: str | None = None,
                corrections: dict[str, PlaceRecord | None] | None = None,
                text: str | None = None, outlet_country: str | None = None,
                weights: tuple[float, ...] | None = None, collect: list | None = None,
                actor_countries: Iterable[str] = ()) -> list[Resolution]:
    """Resolve every toponym of one article together (same name, same place within an article).

    Signals, strongest first: a correction; an enclosing place written right after the name
    ("Athens, Ga."); the article's countries and first-level regions; nearness to the article's
    other places; population and kind priors. Then, in a story set in one country, names the
    gazetteer lacks or reads only far-fetched are placed at the story's town (STORY_AREA), and a
    building takes the place it names or that town (`_building_site`).

    The signals are `features` weighed by `weights` (default: the weights file). `text` is the article's
    text, read for region cues around each name; `outlet_country` the country of its outlet. With
    `collect`, each name's (mention, candidates, feature vectors) is appended to it (bench.fit_resolver).
    `actor_countries` are the home countries of the armed groups the story names (events.actors).
    """
    w = weights or load_weights()
    if any(t.how in (DEMONYM, CAPITAL) for t in toponyms):
        # "Iraqi forces": placed at the country the demonym names, apart from the story's evidence (the demonym
        # already counts there through `demonym_countries`); "the Libyan capital" at that country's capital
        rest = resolve_all([t for t in toponyms if t.how not in (DEMONYM, CAPITAL)], geocoder, demonym_countries=demonym_countries,
                           dateline_country=dateline_country, corrections=corrections, text=text,
                           outlet_country=outlet_country, weights=weights, collect=collect,
                           actor_countries=actor_countries)
        return _with_demonyms(toponyms, rest, geocoder)
    corrections = {query_key(k): v for k, v in (corrections or {}).items()} | (corrections or {})
    keys = sorted({_key(t) for t in toponyms})  # sorted: the same reading on every run
    towns: dict[str, list[PlaceRecord]] = {}
    country_of: dict[str, PlaceRecord] = {}
    if hasattr(geocoder, "prefetch"):
        geocoder.prefetch(keys)
    with (geocoder.batch() if hasattr(geocoder, "batch") else nullcontext()):
        cands = {key: candidates_for(geocoder, key) for key in keys}
        lists: dict[int, list[str]] = {}
        for key, (suffix, end) in _county_lists(toponyms, text).items():
            # "Camden and Charlton counties in Georgia": the counties, not the towns they are named after;
            # "Indiana counties" are the counties of a state, a country's ("Irish counties") of a country
            if any(c.kind == "country" or c.feature_code == "ADM1" and normalize_name(c.name) == key
                   for c in cands[key]):
                continue
            counties = [c for c in candidates_for(geocoder, f"{key} {suffix}") if c.kind == "region"]
            if counties:
                cands[key] = counties
                lists.setdefault(end, []).append(key)
                if trace.active():
                    written = next(t.text for t in toponyms if _key(t) == key)
                    trace.note("resolve.candidates", key, f"read as {written} {suffix}",
                               f"one of a list the plural after it calls {suffix.lower()} names (data/county_cues.csv)",
                               _first_at(toponyms, key))
        for members in lists.values():
            # one list, one state: "Muscogee and Harris counties" are both Georgia's when only Georgia has both
            common = set.intersection(*({(c.country_code, c.admin1) for c in cands[k]} for k in members))
            if len(members) > 1 and common:
                for k in members:
                    cands[k] = [c for c in cands[k] if (c.country_code, c.admin1) in common]
        for key in keys:
            if not cands[key] and key.endswith(COUNTY_SUFFIXES):
                # a county the gazetteer lacks: its namesake town, if the article's region has one
                towns[key] = [c for c in candidates_for(geocoder, key.rsplit(" ", 1)[0]) if c.kind == "city"]
    city_regions: dict[str, frozenset] = {}
    for key, options in cands.items():
        # "New York": usually the city, not the state around it that bears its name (a town in a region of
        # the same name, "Mykolaiv" as an alternate of Mykolayiv, counts too); the region stays a candidate
        # (feature city_in_region) that context can choose: "former New York Gov.", "Quebec" in Canadian copy
        city_regions[key] = frozenset((c.country_code, c.admin1) for c in options if c.kind == "city" and
                                      (normalize_name(c.name) == key or c.population >= PROMINENT_CITY))
        # "Washington": a prominent city of the name elsewhere in the region's own country is what the bare
        # name usually means too (the capital, not the state), unless context says a region ("Washington state")
        big_towns = {c.country_code for c in options if c.kind == "city" and c.population >= PROMINENT_CITY
                     and normalize_name(c.name) == key}
        city_regions[key] |= {(c.country_code, c.admin1) for c in options
                              if c.kind == "region" and c.country_code in big_towns and normalize_name(c.name) == key}
        for region in [c for c in options if c.kind == "region" and normalize_name(c.name) == key]:
            # "Wales", "Kent": the region, not a hamlet named after it inside the same country
            cands[key] = options = [c for c in options if not (
                c.kind == "city" and c.country_code == region.country_code
                and c.population * REGION_OVER_TOWN < region.population)]
        if any(c.kind == "country" and normalize_name(c.name) == key for c in options):
            # "Mexico's Senate": the country; Mexico City, called so only in an alternate name, is not meant
            cands[key] = options = [c for c in options if normalize_name(c.name) == key]
            country_of[key] = next(c for c in options if c.kind == "country")
    for key in sorted(_town_cues(toponyms, text) & set(country_of)):
        # "the Jordan middle school", "Lebanon Mayor ...": a town's institution after a country's name is the town's
        towns_of_name = [c for c in cands[key] if c.kind == "city"]
        if towns_of_name:
            cands[key] = towns_of_name
            del country_of[key]
            if trace.active():
                trace.note("resolve.candidates", key, "towns only", "a town's institution written after the name "
                           "(data/town_cues.csv)", _first_at(toponyms, key))
    wholes: dict[str, PlaceRecord] = {}  # "trinidad" -> Trinidad and Tobago: each part before an " and "
    for k in sorted(country_of):
        at = k.find(" and ")
        while at != -1:
            wholes.setdefault(k[:at], country_of[k])
            at = k.find(" and ", at + 1)
    for key in cands:
        whole = wholes.get(key)
        if whole is not None:
            cands[key] = [whole]  # "Trinidad" in a story naming Trinidad and Tobago is that country
    mentions = Counter(_key(t) for t in toponyms)
    focus = _Tally(focus_countries(list(cands.values()), list(demonym_countries), dateline_country,
                                   [mentions[k] for k in cands]))
    # each name's region votes, weighed once: they make the article's tally here and each name's own view below
    region_votes = {key: (options, _region_votes(options, focus, w)) for key, options in cands.items()}
    regions = Counter()
    for _options, votes in region_votes.values():
        regions.update(votes)  # (admin1_focus's sum, in the same order)
    regions = _Tally(regions)
    for key, options in towns.items():
        cands[key] = [c for c in options if (c.country_code, c.admin1) in regions]
        if not cands[key] and regions:
            # no namesake town either: the county lies in the article's region; say that much
            state = _region_record(geocoder, max(regions.items(), key=lambda kv: (kv[1], kv[0]))[0])
            cands[key] = [state] if state else []
    ordered = sorted(toponyms, key=lambda t: t.start)
    _abbreviated_regions(ordered, cands, text)
    enclosed = _enclosing(ordered, cands, text, lambda c: score(c, focus, regions, weights=w), country_of)
    constrained, spelled_out, enclosing = enclosed.inside, enclosed.spelled_out, enclosed.area
    # a name is read in the light of the article's *other* names: "Georgia" must not vote for itself
    own_focus = {key: focus.without(_scaled(_country_votes(options), _repeat_weight(mentions[key])))
                 for key, options in cands.items()}
    own_regions = {key: regions.without(region_votes[key][1] if region_votes.get(key, (None,))[0] is options
                                        else _region_votes(options, focus, w)) for key, options in cands.items()}
    # a country's name means the country, not its namesake towns, once the story's other words
    # point there too: "China vowed to fight the U.S." beside "Beijing" and "Chinese goods" in a
    # WASHINGTON story is China, while "Lebanon schedules spring clean-up" with nothing Lebanese
    # about is the US town. Regions stay ("Georgia"); "China, Maine" still reads as `constrained`.
    country_named = {key: [c for c in cands[key] if c.kind != "city"] for key, country in country_of.items()
                     if own_focus[key].get(country.country_code, 0.0) > 0}
    cued = _region_cues(toponyms, text)
    within = next((tuple(t.within.split(".", 1)) for t in toponyms if t.role == "dateline" and t.within), None)
    actors = frozenset(_sovereign(c) for c in actor_countries if c)
    coherent = _CandidateIndex(cands)
    contexts = {key: Context(key, own_focus[key], own_regions[key], dateline=dateline_country,
                             outlet=outlet_country, region_cue=key in cued, city_regions=city_regions.get(key, frozenset()),
                             within=within, actor_countries=actors, coherent=coherent,
                             top_focus=max((own_focus[key].get(c.country_code, 0.0) for c in cands[key]), default=0.0))
                for key in cands}
    first: dict[str, PlaceRecord] = {}
    early: dict[str, tuple[list[PlaceRecord], list[tuple[float, ...]]]] = {}  # the vectors weighed for `first`
    for key, options in cands.items():
        options = constrained.get(key, country_named.get(key, options))
        if options:
            vectors = [features(c, contexts[key]) for c in options]
            totals = [dot(w, v) for v in vectors]
            first[key] = options[max(range(len(options)), key=totals.__getitem__)]
            early[key] = (options, vectors)
    for key, area in enclosing.items():
        if key not in constrained:
            first[key] = area  # not a town of its own: no anchor, nor the story's town
    # first readings of the article's places (areas excluded): a candidate near them is likelier. A national
    # capital is no anchor: copy names it for its government ("Washington is ready to talk to Damascus"), and
    # a small namesake in its suburbs (Damascus, Maryland) is not meant by that (coherence still counts it)
    anchors = {k: p for k, p in first.items() if p.kind not in ("country", "region", "continent", "ocean")
               and p.feature_code != "PPLC"}
    nearby = _NearIndex(anchors)
    shared = _shared_regions(cands)
    listed = _listed_with_regions(ordered, text, first)
    for key, ctx in contexts.items():
        ctx.nearby, ctx.shared = nearby, shared[key]
        ctx.region_cue = ctx.region_cue or key in listed
    story_country = _story_country(focus, first)
    named_countries = {p.country_code for p in first.values() if p.kind == "country"}
    home = _story_town(toponyms, first, story_country)
    for t in toponyms:
        if t.how == "facility" and home is not None and (not cands.get(_key(t)) or home.kind == "city"):
            cands[_key(t)] = [home]  # "Royal Street" lies in the story's town
    chosen: dict[str, tuple[PlaceRecord | None, float | None, str]] = {}
    story_regions = _StoryRegions(toponyms, first, text)
    for key, options in cands.items():
        options = constrained.get(key, country_named.get(key, options))
        if key in corrections:
            chosen[key] = (corrections[key], None, "correction")
        elif key in enclosing and key not in constrained:
            # "Greenwood, W. Va.", "near Maungdaw in Rakhine state": somewhere in the area written after it
            area = enclosing[key]
            chosen[key] = (area, None, ENCLOSING_AREA)
            if trace.active():
                why = ("no town of the name lies in the region written after it" if cands[key] else
                       "not in the gazetteer: placed at the region or country written after it")
                trace.note("resolve.choose", key, f"somewhere in {area.name} ({area.country_code})", why,
                           _first_at(toponyms, key))
        elif options:
            # the other names' readings: a name's own first reading must not pull it ("Sloviansk" -> Nikopol)
            before = early.get(key)
            vectors = [features_again(c, contexts[key], v) for c, v in zip(options, before[1])] \
                if before is not None and before[0] is options else [features(c, contexts[key]) for c in options]
            totals = [dot(w, v) for v in vectors]
            at = max(range(len(options)), key=totals.__getitem__)
            best = options[at]
            if collect is not None:
                collect.append((key, options, vectors))
            if story_country and home is not None and key not in constrained \
                    and _far_fetched(best, key, story_country, own_focus[key], named_countries):
                chosen[key] = (home, None, STORY_AREA)
                if trace.active():
                    trace.note("resolve.choose", key, f"story town {home.name} ({home.country_code})",
                               f"only a far-fetched {best.name} ({best.country_code}) abroad in a story set in "
                               f"{story_country}", _first_at(toponyms, key))
            elif key not in constrained and (local := _region_town(key, best, options, toponyms, first, text,
                                                                   story_regions)) is not None:
                chosen[key] = (local, None, STORY_AREA)
                if trace.active():
                    trace.note("resolve.choose", key, f"story town {local.name} ({local.country_code}, {local.admin1})",
                               f"only a small {best.name} ({best.admin1}) outside the region the story's other "
                               f"names lie in, and no {key} in it", _first_at(toponyms, key))
            else:
                chosen[key] = (best, round(totals[at], 3), "gazetteer+context")
                if trace.active():
                    runner = max((t for i, t in enumerate(totals) if i != at), default=None)
                    margin = f"; next best {totals[at] - runner:.2f} lower" if runner is not None else ""
                    trace.note("resolve.choose", key, f"{best.name} ({best.country_code})",
                               f"score {totals[at]:.2f} of {len(options)} candidates: "
                               f"{top_contributions(w, vectors[at])}{margin}"
                               + ("; inside the name written after it" if key in constrained else ""),
                               _first_at(toponyms, key))
        elif story_country and home is not None:
            chosen[key] = (home, None, STORY_AREA)  # a name the gazetteer lacks: somewhere in the story's town
        else:
            chosen[key] = (None, None, "unresolved")
    named_alone = {_key(t) for t in toponyms if t.how != "building"}
    results = []
    for toponym in toponyms:
        key = _key(toponym)
        place, value, resolver = chosen[key]
        if toponym.start in spelled_out and key not in corrections:
            place = spelled_out[toponym.start]
        if toponym.how == "building":
            whole = query_key(toponym.text)  # an editor's correction is made for the building's whole name
            if whole in corrections:
                place, value, resolver = corrections[whole], None, "correction"
            elif key not in corrections:
                site = _building_site(place, home, story_country, key in named_alone,
                                      frozenset(_sovereign(c) for c in named_countries))
                if site is not place:
                    place, value, resolver = site, None, STORY_AREA
        if toponym.role == "dateline" and dateline_country:
            in_country = [c for c in cands[key] if c.country_code == dateline_country]
            if toponym.within:
                # "PARIS, Tenn.": the region written after the dateline's town holds it
                in_country = [c for c in in_country if f"{c.country_code}.{c.admin1}" == toponym.within] or in_country
            if in_country and key not in corrections:
                place = max(in_country, key=lambda c: score(c, focus, regions, key=key, weights=w))
        results.append(Resolution(toponym, place, value, resolver, cands[key]))
    return results


def _abbreviated_regions(ordered: list[Toponym], cands: dict[str, list[PlaceRecord]], text: str | None) -> None:
    """"Dover, Del.", "Wichita, Kan.": a state's or province's abbreviation written with its full stop right after
    a town and a comma is that region, not a city the letters also name (Delhi, Kano)."""
    if not text:
        return
    for a, b in zip(ordered, ordered[1:]):
        key = _key(b)
        if key in STATE_ABBREVIATION_KEYS and text[b.end : b.end + 1] == "." and text[a.end : b.start].strip() == ",":
            regions = [c for c in cands.get(key, ()) if c.kind == "region"]
            if regions and len(regions) < len(cands[key]):
                trace.note("resolve.candidates", b.text, "regions only", "a region's abbreviation with its full stop "
                           "after a town and a comma", b.start)
                cands[key] = regions


# "Maungdaw in Rakhine state", "Pazigyi, Sagaing Region": the gap between a name and the area written after it
_ENCLOSING_GAP = re.compile(r",\s*|\s+in\s+(?:the\s+)?")
# "Masala, a village in the Lubero territory of North Kivu": the copy says what the first name is and which area
# holds it; a namesake outside that area is not meant
_DESCRIBED_GAP = wordlists.pattern(r",\s*(?:a|the)\s+(?:(?:{{described_place_adjectives}})\s+)?(?:{{described_place_nouns}})\s+"
                                   r"(?:in|of)\s+(?:the\s+)?(?:[^,.;:!?\n]{0,40}?\s+(?:of|in)\s+)?")


@dataclass
class _Enclosed:
    """What the name written right after another says about it (`_enclosing`)."""

    inside: dict[str, list[PlaceRecord]] = field(default_factory=dict)  # name -> its candidates inside the area
    spelled_out: dict[int, PlaceRecord] = field(default_factory=dict)  # mention start -> the place named in full
    area: dict[str, PlaceRecord] = field(default_factory=dict)  # name with no place of its own in the area -> the area


def _enclosing(ordered: list[Toponym], cands: dict[str, list[PlaceRecord]], text: str | None, rank,
               country_of: dict[str, PlaceRecord]) -> _Enclosed:
    """The one reading of "X, Y" and "X in Y", a name and the place written right after it (`rank` picks Y's
    reading):

    - Y names one of X's own places ("Washington, D.C."): that place, for this mention only (`spelled_out`);
    - Y is an area holding some of X's candidates ("Athens, Ga."): those candidates only (`inside`);
    - Y is an area and X has no candidate in it: X lies somewhere in Y (`area`), when the gazetteer lacks X
      ("Ndiassakou in Mopti region", a region or a country), or knows only towns of its name elsewhere
      ("Greenwood, W. Va.", a first-level region only: a town of the name abroad may still be meant).
    A sentence's end between them is no enclosing name ("in Edmonton. Canada will")."""
    out = _Enclosed()
    best: dict[str, PlaceRecord] = {}  # each name's top reading by `rank` (a list names the same places again)
    for a, b in zip(ordered, ordered[1:]):
        gap = text[a.end:b.start] if text else ""
        adjacent = 0 < b.start - a.end <= 2 and not any(ch in gap for ch in ".!?\n")
        written_in = bool(text) and _ENCLOSING_GAP.fullmatch(text, a.end, b.start) is not None
        described = bool(text) and _DESCRIBED_GAP.fullmatch(text, a.end, b.start) is not None
        own, parents = cands[_key(a)], cands[_key(b)]
        if not parents or not (adjacent or written_in or described):
            continue
        areas = [c for c in parents if c.kind in ("region", "country")]
        if not own:
            if (written_in or described) and areas:
                out.area.setdefault(_key(a), max(areas, key=rank))
            continue
        if described and areas:
            parent = max(areas, key=rank)
            inside = _within(parent, own)
            if inside:
                out.inside[_key(a)] = inside
            else:  # only namesakes outside the area the copy names: somewhere in that area
                out.area.setdefault(_key(a), parent)
            continue
        if not adjacent:
            continue
        parent = best.get(_key(b))
        if parent is None:
            parent = best[_key(b)] = max(parents, key=rank)
        if _key(a) in country_of and parent.kind != "region":
            continue  # "from China. U.S. officials": the gap is a sentence end, not "China, Maine"
        if parent.kind == "city" and any(c.id == parent.id for c in own):
            # "Washington, D.C.": the second name says which of the first's places is meant, here
            # only (a story may name "Washington" the state and "Washington, D.C." apart)
            out.spelled_out[a.start] = parent
            continue
        inside = _within(parent, own)
        if inside:
            out.inside[_key(a)] = inside
        elif parent.feature_code == "ADM1" and all(c.kind == "city" for c in own):
            out.area[_key(a)] = parent
    return out


def _country_record(geocoder, code: str) -> PlaceRecord | None:
    """The gazetteer's record of a country, by its code."""
    gazetteer = getattr(getattr(geocoder, "geocoder", geocoder), "gazetteer", None)
    if gazetteer is None:
        return None
    row = gazetteer.db.execute("SELECT * FROM place WHERE kind = 'country' AND country_code = ? "
                               "ORDER BY feature_code = 'PCLI' DESC, population DESC LIMIT 1", (code,)).fetchone()
    return PlaceRecord(*row) if row else None


def _with_demonyms(toponyms: list[Toponym], rest: list[Resolution], geocoder) -> list[Resolution]:
    """`rest` (the other names' resolutions, in order) with each demonym placed at its country and each
    "the X capital" at that country's capital, in the toponyms' order; one whose country or capital the
    gazetteer lacks is left out."""
    others = iter(rest)
    places: dict[tuple[str, str], PlaceRecord | None] = {}
    out = []
    for t in toponyms:
        if t.how not in (DEMONYM, CAPITAL):
            out.append(next(others))
            continue
        if (t.how, t.inner) not in places:
            places[t.how, t.inner] = (_country_record if t.how == DEMONYM else _capital_record)(geocoder, t.inner)
        place = places[t.how, t.inner]
        if place is not None:
            out.append(Resolution(t, place, None, t.how, [place]))
            if trace.active():
                trace.note("resolve.choose", t.text, f"{place.name} ({place.country_code})",
                           "a demonym names its country (geo.demonym_places)" if t.how == DEMONYM else
                           "a demonym before 'capital' names its country's capital (GeoNames PPLC; "
                           "geo.demonym_places)", t.start)
    return out


def _first_at(toponyms: list[Toponym], key: str) -> int | None:
    return next((t.start for t in toponyms if _key(t) == key), None)


@functools.lru_cache(maxsize=1)
def _cue_patterns() -> tuple[re.Pattern, re.Pattern]:
    """The region cues of data/region_cues.csv as two patterns: words right after a name ("Gov.",
    "state") and right before it ("northeast", "state of")."""
    after, before = [], []
    try:
        with open(REGION_CUES, encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                side, cue = (row.get("side") or "").strip(), (row.get("cue") or "").strip()
                if side not in ("after", "before") or not cue:
                    raise ConfigError(f"{REGION_CUES}: line {line}: a region cue needs side (after or before) "
                                      f"and cue words")
                (after if side == "after" else before).append(r"\s+".join(re.escape(w) for w in cue.split()))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{REGION_CUES}: region cues unreadable ({err.__class__.__name__}: {err})") from None
    return (re.compile(r"\s*(?:" + "|".join(sorted(after, key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE),
            re.compile(r"(?<![\w-])(?:" + "|".join(sorted(before, key=len, reverse=True)) + r")\s+(?:the\s+)?$",
                       re.IGNORECASE))


@functools.lru_cache(maxsize=1)
def _town_cue_pattern() -> re.Pattern | None:
    """data/town_cues.csv: a town's institutions written right after a name ("City Council", "middle school"),
    as one pattern matched at the name's end."""
    cues = []
    try:
        with open(TOWN_CUES, encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                cue = (row.get("cue") or "").strip()
                if not cue or not (row.get("reason") or "").strip():
                    raise ConfigError(f"{TOWN_CUES}: line {line}: a town cue needs cue words and a reason")
                cues.append(r"\s+".join(re.escape(w) for w in cue.split()))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{TOWN_CUES}: town cues unreadable ({err.__class__.__name__}: {err})") from None
    if not cues:
        return None
    return re.compile(r"[ \t]+(?:" + "|".join(sorted(cues, key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE)


def _town_cues(toponyms: list[Toponym], text: str | None) -> set[str]:
    """Names a town's institution follows: "Dublin City Council", "the Jordan middle school"."""
    pattern = _town_cue_pattern() if text else None
    if pattern is None:
        return set()
    return {_key(t) for t in toponyms if pattern.match(text, t.end, min(len(text), t.end + 40))}


def _region_cues(toponyms: list[Toponym], text: str | None) -> set[str]:
    """Names the words around them call a region: "former New York Gov.", "a Washington state farm",
    "in northeast Missouri", "the state of Georgia"."""
    if not text:
        return set()
    after, before = _cue_patterns()
    out = set()
    for t in toponyms:
        if after.match(text, t.end, min(len(text), t.end + 20)) or before.search(text[max(0, t.start - 30):t.start]):
            out.add(_key(t))
    return out


@functools.lru_cache(maxsize=1)
def _county_cues() -> tuple[re.Pattern | None, dict[str, str]]:
    """data/county_cues.csv: plurals that make each name of the list before them a county-level area
    ("Walton and Oconee counties"), as one pattern matched right after a name, and each plural's suffix."""
    suffixes: dict[str, str] = {}
    try:
        with open(COUNTY_CUES, encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                plural, suffix = (row.get("plural") or "").strip(), (row.get("suffix") or "").strip()
                if not plural or not suffix or not (row.get("reason") or "").strip():
                    raise ConfigError(f"{COUNTY_CUES}: line {line}: a county cue needs a plural, a suffix and a reason")
                suffixes[plural.casefold()] = suffix
    except FileNotFoundError:
        return None, suffixes
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{COUNTY_CUES}: county cues unreadable ({err.__class__.__name__}: {err})") from None
    if not suffixes:
        return None, suffixes
    item = r"[A-Z][\w'.-]*(?:[ -][A-Z][\w'.-]*){0,2}"
    plurals = "|".join(re.escape(p) for p in sorted(suffixes, key=len, reverse=True))
    return re.compile(rf"(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+){item}){{0,12}}\s+({plurals})(?![\w-])"), suffixes


def _capital_record(geocoder, code: str) -> PlaceRecord | None:
    """The gazetteer's capital city of a country (GeoNames feature PPLC), by the country's code."""
    gazetteer = getattr(getattr(geocoder, "geocoder", geocoder), "gazetteer", None)
    if gazetteer is None:
        return None
    row = gazetteer.db.execute("SELECT * FROM place WHERE feature_code = 'PPLC' AND country_code = ? "
                               "ORDER BY population DESC LIMIT 1", (code,)).fetchone()
    return PlaceRecord(*row) if row else None


def _county_lists(toponyms: list[Toponym], text: str | None) -> dict[str, tuple[str, int]]:
    """Names of a list that ends in a plural of data/county_cues.csv ("Camden and Charlton counties"):
    name -> (the suffix of its county-level area, "County"; where the list's plural ends, naming the list)."""
    if not text:
        return {}
    pattern, suffixes = _county_cues()
    if pattern is None:
        return {}
    out = {}
    for t in toponyms:
        if t.how in ("building", "facility", DEMONYM, CAPITAL):
            continue
        m = pattern.match(text, t.end, min(len(text), t.end + 200))
        if m:
            out[_key(t)] = (suffixes[m.group(1).casefold()], m.end())
    return out


_LIST_GAP = re.compile(r"^(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")


def _listed_with_regions(ordered: list[Toponym], text: str | None, first: dict[str, PlaceRecord]) -> set[str]:
    """Names in a list ("Alabama, Georgia, Tennessee and South Carolina") beside a region of one country that
    is not of their own name: a list of regions names regions."""
    if not text:
        return set()
    out = set()
    for a, b in zip(ordered, ordered[1:]):
        if not _LIST_GAP.match(text[a.end:b.start]):
            continue
        for one, other in ((a, b), (b, a)):
            place = first.get(_key(other))
            if place is not None and place.kind == "region" and _key(one) != _key(other):
                out.add(_key(one))
    return out
