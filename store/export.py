"""Exports of the filtered events: CSV with ACLED's column names where they exist, and GeoJSON.

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

import pandas as pd

BOM = "\ufeff"
# OWASP: a cell starting with any of these may be evaluated as a formula by a spreadsheet
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ACLED_RENAME = {"event_id": "event_id_cnty", "event_date": "event_date", "time_precision": "time_precision",
                "event_type": "event_type", "sub_event_type": "sub_event_type", "actor1": "actor1",
                "actor2": "actor2", "country_code": "iso", "place": "location", "lat": "latitude",
                "lon": "longitude", "geo_precision": "geo_precision", "fatalities": "fatalities",
                "claimed_by": "source", "evidence": "notes"}


def to_acled_csv(events: pd.DataFrame) -> str:
    frame = events.rename(columns=ACLED_RENAME)
    frame["event_date"] = pd.to_datetime(frame["event_date"]).dt.strftime("%Y-%m-%d")
    frame["year"] = pd.to_datetime(events["event_date"]).dt.year
    frame["losses"] = events["losses"].map(lambda d: json.dumps(d, ensure_ascii=False) if d else "")
    frame["outlets"] = events["outlets"].map(lambda xs: "; ".join(xs))
    columns = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
               "actor2", "iso", "location", "latitude", "longitude", "geo_precision", "source", "notes",
               "fatalities", "losses", "contested", "n_sources", "outlets"]
    frame = frame[columns].copy()
    for column in columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):  # numbers (a latitude of -76.6) stay numbers
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
    features = []
    for row in events.itertuples(index=False):
        if pd.isna(row.lat) or pd.isna(row.lon):
            continue
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(row.lon), float(row.lat)]},
            "properties": {"event_id": int(row.event_id), "event_date": str(row.event_date.date()) if not pd.isna(row.event_date) else None,
                           "event_type": row.event_type, "sub_event_type": row.sub_event_type,
                           "actor1": _text_or_none(row.actor1), "actor2": _text_or_none(row.actor2),
                           "place": _text_or_none(row.place),
                           "fatalities": None if pd.isna(row.fatalities) else int(row.fatalities),
                           "losses": row.losses if isinstance(row.losses, dict) and row.losses else None,
                           "claimed_by": _text_or_none(row.claimed_by), "contested": bool(row.contested),
                           "n_sources": int(row.n_sources)},
        })
    # allow_nan=False: a NaN that slipped through is an error here, never invalid JSON for a reader
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, allow_nan=False)
