"""Exports of the filtered events: ACLED's CSV and RFC 7946 GeoJSON.

The CSV has ACLED's export columns in ACLED's order with ACLED's meanings. Sources followed: the column
list and meanings of ACLED's codebook as published with ACLED's R package acledR (its codebook vignette
and data reference: inter codes 1-8, interaction codes as the two actor types lower first, 10 for an actor
alone) and ACLED's guide to its 2023 column changes (disorder_type, civilian_targeting and tags added;
data_id, event_id_no_cnty and iso3 dropped). The code tables are data files editors can read and extend:
`data/acled_codes.csv` (disorder type per event/sub-event type, actor type per actor, each with a reason) and
`data/acled_countries.csv` (ISO alpha-3 and numeric codes and names from countryinfo, ACLED's region per
country, every country GeoNames knows, a `note` per row saying where the region is unsure). What clashmap cannot know is left empty: assoc_actor_1/2, admin2, admin3 and source_scale.

The CSV is opened by spreadsheets, and article text reaches it (outlet names, evidence sentences):
every text cell that a spreadsheet would read as a formula is neutralised as OWASP's CSV-injection
guidance says (a leading single quote, text cells quoted), numbers stay numbers, and the file starts
with a UTF-8 byte-order mark so Excel reads non-ASCII place names. `defusedcsv` was considered: it
misses the tab and carriage-return starts OWASP lists and rewrites `|` inside cells, and it wraps
`csv.writer` while this export goes through pandas, so the few lines are written here.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd

from clashmap.errors import ClashmapError

BOM = "\ufeff"
# OWASP: a cell starting with any of these may be evaluated as a formula by a spreadsheet
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

DATA = Path(__file__).resolve().parent.parent / "data"
CODES_CSV = DATA / "acled_codes.csv"
COUNTRIES_CSV = DATA / "acled_countries.csv"

# ACLED's export columns in ACLED's order (the codebook's column list since the 2023 column changes:
# disorder_type, civilian_targeting and tags added; data_id, event_id_no_cnty and iso3 removed)
ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                 "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
                 "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
                 "fatalities", "tags", "timestamp"]
ACLED_NUMERIC = ["year", "time_precision", "inter1", "inter2", "interaction", "iso", "latitude", "longitude",
                 "geo_precision", "fatalities", "timestamp"]
UNKNOWN_COUNTRY = "XXX"  # ISO 3166's user-assigned code, for an event placed nowhere


@dataclass(frozen=True)
class AcledCodes:
    """The code tables of data/acled_codes.csv and data/acled_countries.csv."""

    disorder: dict[str, str]          # "event type" or "event type/sub-event type" -> disorder type
    inter: dict[str, int]             # actor name, or "prefix *" -> ACLED actor-type code 1-8
    countries: dict[str, dict]        # ISO alpha-2 -> iso3, iso (numeric), country, region

    def disorder_type(self, event_type: str | None, sub_event_type: str | None) -> str:
        return self.disorder.get(f"{event_type}/{sub_event_type}") or self.disorder.get(event_type or "", "")

    def inter_code(self, actor: str | None) -> int | None:
        """ACLED's actor type of a named actor; None for no actor or one the table does not know."""
        if not isinstance(actor, str) or not actor:
            return None
        if actor in self.inter:
            return self.inter[actor]
        for key, code in self.inter.items():
            if key.endswith(" *") and actor.startswith(key[:-1]):
                return code
        return None


@lru_cache(maxsize=4)
def load_codes(codes_csv: Path = CODES_CSV, countries_csv: Path = COUNTRIES_CSV) -> AcledCodes:
    """Read the code tables; a bad row is one ClashmapError line naming the file and line."""
    disorder: dict[str, str] = {}
    inter: dict[str, int] = {}
    for line, row in _rows(codes_csv, ("table", "key", "value")):
        if row["table"] == "disorder":
            disorder[row["key"]] = row["value"]
        elif row["table"] == "inter" and row["value"].isdigit() and 1 <= int(row["value"]) <= 8:
            inter[row["key"]] = int(row["value"])
        else:
            raise ClashmapError(f"{codes_csv}: line {line}: unknown table {row['table']!r} or an inter code "
                                f"not 1-8 ({row['value']!r})")
    countries: dict[str, dict] = {}
    for line, row in _rows(countries_csv, ("country_code", "iso3", "iso", "country", "region")):
        if row["iso"] and not row["iso"].isdigit():
            raise ClashmapError(f"{countries_csv}: line {line}: iso must be the numeric ISO 3166-1 code, "
                                f"not {row['iso']!r}")
        countries[row["country_code"]] = {"iso3": row["iso3"], "iso": int(row["iso"]) if row["iso"] else None,
                                          "country": row["country"], "region": row["region"]}
    return AcledCodes(disorder, inter, countries)


def _rows(path: Path, required: tuple[str, ...]):
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise ClashmapError(f"{path}: missing column(s) {', '.join(missing)}")
            for line, row in enumerate(reader, start=2):
                if not row.get(required[0]) or not row.get(required[1]):
                    raise ClashmapError(f"{path}: line {line}: {required[0]!r} and {required[1]!r} are required")
                yield line, {k: (v or "").strip() for k, v in row.items() if k}
    except OSError as err:
        raise ClashmapError(f"{path}: cannot read the ACLED code table: {err.strerror or err}") from None


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction: the two actor-type codes as one number, the lower first (1 and 7 -> 17);
    an actor alone is its code times ten (1 -> 10)."""
    codes = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return None
    return codes[0] * 10 + (codes[1] if len(codes) > 1 else 0)


def acled_frame(events: pd.DataFrame, admin1_names: Callable[[str | None, str | None], str | None] | None = None,
                codes: AcledCodes | None = None) -> pd.DataFrame:
    """The events in ACLED's columns with ACLED's meanings (one row per event).

    `admin1_names(country_code, admin1_code)` names a place's first-level region (the gazetteer's ADM1).
    What clashmap does not know is left empty: assoc_actor_1/2, admin2/3 and source_scale.
    """
    codes = codes or load_codes()
    admin1_names = admin1_names or gazetteer_admin1_name
    n = len(events)

    def column(name: str) -> list:
        """A column as a plain list (fast to loop over), all None for a frame made before the column existed."""
        return events[name].tolist() if name in events.columns else [None] * n

    inter_of: dict = {}  # a few actors repeat over many events: each is looked up once

    def inter(actor) -> int | None:
        if actor not in inter_of:
            inter_of[actor] = codes.inter_code(actor)
        return inter_of[actor]

    dates = pd.to_datetime(events["event_date"]) if n else pd.Series([], dtype="datetime64[ns]")
    updated = pd.to_datetime(pd.Series(column("updated_at"), dtype=object), utc=True, errors="coerce")
    records = []
    for (event_id, cc, actor1, actor2, claimed_by, event_type, sub_event_type, place, place_kind, admin1_code,
         contested, losses, outlets, evidence, fatalities, lat, lon, time_precision, geo_precision) in zip(
            column("event_id"), column("country_code"), column("actor1"), column("actor2"), column("claimed_by"),
            column("event_type"), column("sub_event_type"), column("place"), column("place_kind"),
            column("admin1_code"), column("contested"), column("losses"), column("outlets"), column("evidence"),
            column("fatalities"), column("lat"), column("lon"), column("time_precision"), column("geo_precision")):
        cc, actor1, actor2, claimed_by, admin1_code = (_text(v) for v in (cc, actor1, actor2, claimed_by, admin1_code))
        country = codes.countries.get(cc, {})
        inter1, inter2 = inter(actor1), inter(actor2)
        admin1 = place if place_kind == "region" and admin1_code else admin1_names(cc, admin1_code)
        tags = []
        if claimed_by:
            tags.append(f"claimed by {claimed_by}")
        if contested:
            tags.append("contested")
        if isinstance(losses, dict) and losses:
            tags.append("losses: " + ", ".join(f"{k} {v}" for k, v in losses.items()))
        records.append((
            f"{country.get('iso3') or UNKNOWN_COUNTRY}{int(event_id)}", event_type, sub_event_type,
            codes.disorder_type(event_type, sub_event_type), time_precision,
            # an interaction only when every side is known: civilians hit by an unnamed actor are not
            # "civilians acting alone" (70)
            actor1, inter1, actor2, inter2,
            interaction(inter1, inter2) if inter1 is not None and (not actor2 or inter2 is not None) else None,
            "Civilian targeting" if inter2 == 7 or inter1 == 7 else "",
            country.get("iso"), country.get("region", ""), country.get("country", cc), admin1 or "", _text(place),
            _number(lat), _number(lon), geo_precision, "; ".join(outlets or ()), _text(evidence),
            0 if _number(fatalities) is None else int(fatalities), "; ".join(tags)))
    built = pd.DataFrame.from_records(records, columns=[
        "event_id_cnty", "event_type", "sub_event_type", "disorder_type", "time_precision", "actor1", "inter1",
        "actor2", "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "location",
        "latitude", "longitude", "geo_precision", "source", "notes", "fatalities", "tags"])
    built["event_date"] = dates.dt.strftime("%Y-%m-%d").fillna("").tolist() if n else []
    built["year"] = dates.dt.year.tolist() if n else []
    # Unix time of the row's last update (its newest article stored), None where unknown
    seconds = (updated - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds().floordiv(1)
    built["timestamp"] = pd.array(seconds.tolist(), dtype="Int64") if n else []
    for name in ("assoc_actor_1", "assoc_actor_2", "admin2", "admin3", "source_scale"):
        built[name] = ""
    frame = built[ACLED_COLUMNS].copy()
    for name in ACLED_NUMERIC:  # whole numbers stay whole (no "31.0") with gaps left empty
        if name not in ("latitude", "longitude"):
            frame[name] = pd.array(frame[name].tolist(), dtype="Int64")
    return frame


def _number(value) -> float | None:
    """A finite number, or None for None/NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _text(value) -> str:
    """Text of a cell, "" for None/NaN."""
    return value if isinstance(value, str) else ""


def gazetteer_admin1_name(country_code: str | None, admin1_code: str | None) -> str | None:
    """The name of the first-level region (GeoNames ADM1) a place's admin1 code stands for, or None."""
    if not country_code or not admin1_code:
        return None
    return _admin1_table().get((country_code, admin1_code))


@lru_cache(maxsize=1)
def _admin1_table() -> dict[tuple[str, str], str]:
    from clashmap.errors import ConfigError
    from geo.gazetteer import Gazetteer

    try:
        gazetteer = Gazetteer()
    except ConfigError:  # no index on this machine: the export still works, admin1 stays empty
        return {}
    rows = gazetteer.db.execute("SELECT country_code, admin1, name FROM place WHERE feature_code = 'ADM1' "
                                  "AND admin1 IS NOT NULL AND admin1 != '' ORDER BY population").fetchall()
    return {(cc, code): name for cc, code, name in rows}  # the most populous wins a shared code


def to_acled_csv(events: pd.DataFrame) -> str:
    frame = acled_frame(events)
    for column in ACLED_COLUMNS:
        if column not in ACLED_NUMERIC:  # numbers (a latitude of -76.6) stay numbers
            frame[column] = frame[column].map(neutralize_cell)
    return BOM + frame.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC)


def neutralize_cell(value):
    """A text cell a spreadsheet shows as text: `'` before a leading =, +, -, @, tab or carriage return."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text_or_none(value):
    """None for a missing value (None, NaN, empty text): JSON has no NaN, and JSON.parse rejects it."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def to_geojson(events: pd.DataFrame) -> str:
    """An RFC 7946 FeatureCollection: one Point per placed event ([longitude, latitude], WGS 84), its
    properties ACLED's columns with ACLED's meanings plus clashmap's own (event_id, place, claimed_by,
    contested, n_sources, losses); a missing value is null, never NaN."""
    placed = events[events["lat"].notna() & events["lon"].notna()].reset_index(drop=True)
    acled = acled_frame(placed)
    features = []
    for row, acled_row in zip(placed.itertuples(index=False), acled.to_dict("records")):
        properties = {column: _json_value(acled_row[column]) for column in ACLED_COLUMNS
                      if column not in ("latitude", "longitude")}
        properties.update({
            "event_id": int(row.event_id), "place": _text_or_none(row.place),
            "claimed_by": _text_or_none(row.claimed_by), "contested": bool(row.contested),
            "n_sources": int(row.n_sources),
            "losses": row.losses if isinstance(row.losses, dict) and row.losses else None,
        })
        features.append({
            "type": "Feature", "id": int(row.event_id),
            "geometry": {"type": "Point", "coordinates": [float(row.lon), float(row.lat)]},
            "properties": properties,
        })
    # allow_nan=False: a NaN that slipped through is an error here, never invalid JSON for a reader
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, allow_nan=False)


def _json_value(value):
    """A cell as JSON: numbers as int/float, empty text and missing values as null."""
    if value is None or value is pd.NA or value == "":
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
