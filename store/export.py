"""Exports of the filtered events: CSV with ACLED's column names where they exist, and GeoJSON."""

from __future__ import annotations

import json

import pandas as pd

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
    return frame[columns].to_csv(index=False)


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
                           "actor1": row.actor1, "actor2": row.actor2, "place": row.place,
                           "fatalities": None if pd.isna(row.fatalities) else int(row.fatalities),
                           "losses": row.losses, "claimed_by": row.claimed_by, "contested": bool(row.contested),
                           "n_sources": int(row.n_sources)},
        })
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
