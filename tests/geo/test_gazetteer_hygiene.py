"""Gazetteer data hygiene (issue 12): demonyms name the sovereign country, admin areas are found without
their generic words, the aliases copy uses are there, and a dump's ADM1 row moves a region to GeoNames' point.

Texts are short sentences written for these tests, read through the real index (data/gazetteer.sqlite)
in the order clashmap.pipeline uses (find -> resolve -> roles).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from clashmap.errors import ConfigError
from geo.gazetteer import DEFAULT_INDEX, Gazetteer
from geo.distance import km_between
from geo.gazetteer_build import (SCHEMA, area_points, bare_forms, demonym_table, moved_areas, moved_table,
                                 read_area_points, read_demonym_file)
from geo.geocoders import GazetteerGeocoder
from geo.geonames_dump import add_dump
from geo.resolve import resolve_all
from geo.roles import assign_roles
from geo.toponyms import find_toponyms

needs_index = pytest.mark.skipif(not DEFAULT_INDEX.exists(),
                                 reason="data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer()


def read(text: str, gaz: Gazetteer):
    toponyms, demonyms = find_toponyms(text, 0, gaz)
    res = resolve_all(toponyms, GazetteerGeocoder(gaz), demonym_countries=[gaz.demonyms()[d] for d in demonyms])
    return assign_roles(text, res), demonyms


def place_of(res, name: str):
    found = [r for r in res if r.toponym.text == name]
    assert found, f"{name!r} not found among {[r.toponym.text for r in res]}"
    return found[0].place


# one test per demonym countryinfo lists under several codes: the sovereign country, not the last listed
@needs_index
@pytest.mark.parametrize("sentence, demonym, country", [
    ("French troops left the base at dawn.", "french", "FR"),
    ("Chinese diplomats met their counterparts on Monday.", "chinese", "CN"),
    ("Indian officials denied the report.", "indian", "IN"),
    ("Norwegian rescuers reached the ship overnight.", "norwegian", "NO"),
    ("Congolese soldiers retook the hill after a week.", "congolese", "CD"),
    ("American envoys arrived for talks.", "american", "US"),
    ("Dominican police detained two suspects.", "dominican", "DO"),
])
def test_an_ambiguous_demonym_names_the_sovereign_country(gaz, sentence, demonym, country):
    _res, demonyms = read(sentence, gaz)
    assert demonym in demonyms
    assert gaz.demonyms()[demonym] == country


def test_an_unsettled_shared_demonym_goes_to_the_sovereign_state_with_a_warning(tmp_path):
    table, warnings = demonym_table({"ruritanian": ["YT", "FR"], "solo": ["AM"]}, {"YT": 9, "FR": 1},
                                    tmp_path / "none.csv")
    assert table == {"ruritanian": "FR", "solo": "AM"}  # FR though Mayotte is given as more populous
    assert len(warnings) == 1 and "ruritanian" in warnings[0] and "YT" in warnings[0]


def test_a_demonym_row_without_a_reason_is_refused_naming_file_and_line(tmp_path):
    bad = tmp_path / "demonyms.csv"
    bad.write_text("demonym,country_code,reason\nFrench,FR,French territories share it\nChinese,CN,\n")
    with pytest.raises(ConfigError, match=r"demonyms\.csv: line 3: .*reason"):
        read_demonym_file(bad)


def test_admin_names_lose_their_generic_words_per_country():
    assert "Zhejiang" in bare_forms("Zhejiang Sheng", "CN")
    assert "Xinjiang" in bare_forms("Xinjiang Uygur Zizhiqu", "CN")
    assert {"al Fayyum", "Fayyum"} <= bare_forms("Muhafazat al Fayyum", "EG")
    assert "Almaty" in bare_forms("Almaty Oblysy", "KZ")
    assert bare_forms("Western Province", "ZM") == set()  # "Western" alone names nothing
    assert bare_forms("Zhejiang Sheng", "US") == set()    # Sheng is a Chinese generic word only


@needs_index
@pytest.mark.parametrize("sentence, name, country, kind", [
    ("Floods closed factories across Zhejiang on Tuesday.", "Zhejiang", "CN", "region"),
    ("A storm knocked out power in Newfoundland overnight.", "Newfoundland", "CA", "region"),
    ("Bushfires burned out of control in NSW this week.", "NSW", "AU", "region"),
    # whole names the gazetteer lacked: their parts went to Ecija (Spain), Midlands (Zimbabwe), California
    ("Farmers in Nueva Ecija lost their rice crop to the typhoon.", "Nueva Ecija", "PH", "region"),
    ("Police in the West Midlands arrested three men.", "West Midlands", "GB", "region"),
    ("Wildfires spread across Southern California on Monday.", "Southern California", "US", "region"),
    ("Soldiers returned to Fort Hood after the deployment.", "Fort Hood", "US", "feature"),
])
def test_names_copy_uses_are_found_and_resolved(gaz, sentence, name, country, kind):
    res, _ = read(sentence, gaz)
    place = place_of(res, name)
    assert (place.country_code, place.kind) == (country, kind)


@needs_index
@pytest.mark.parametrize("name", ["DRC", "DR Congo", "Congo-Kinshasa", "Democratic Republic of the Congo"])
def test_names_of_the_dr_congo_lead_to_it(gaz, name):
    # the recogniser drops all-caps acronyms it does not list (geo/toponyms.py ABBREVIATION_KEYS): the
    # gazetteer's part is that the name leads to the country first
    assert (gaz.lookup(name)[0].country_code, gaz.lookup(name)[0].kind) == ("CD", "country")


@needs_index
def test_macedonia_is_a_name_of_north_macedonia(gaz):
    assert any(p.country_code == "MK" and p.kind == "country" for p in gaz.lookup("Macedonia"))
    res, _ = read("Skopje, the capital of Macedonia, hosted the summit.", gaz)
    assert place_of(res, "Macedonia").country_code == "MK"


def _adm1_line(gid: int, name: str, lat: str, lon: str, cc: str, admin1: str) -> str:
    return "\t".join([str(gid), name, name, "", lat, lon, "A", "ADM1", cc, "", admin1, "", "", "", "7000000",
                      "", "0", "Australia/Sydney", "2024-01-01"])


def test_a_dump_adm1_row_moves_the_region_to_its_point_and_keeps_its_names(tmp_path):
    index = tmp_path / "gaz.sqlite"
    db = sqlite3.connect(index)
    db.executescript(SCHEMA)
    # the build's stand-in for New South Wales, in the middle of its towns, with the NSW alias
    db.execute("INSERT INTO place VALUES (-4000133, 'New South Wales', 'AU', '02', 'region', 'ADM1', "
               "-32.34, 149.78, 8000000, 'geonames')")
    db.executemany("INSERT INTO alias VALUES (?, -4000133, ?)", [("new south wales", 1), ("nsw", 0)])
    db.commit()
    db.close()
    before = area_points(index)
    dump = tmp_path / "AU.txt"
    dump.write_text(_adm1_line(2155400, "New South Wales", "-33.0", "146.0", "AU", "02") + "\n", encoding="utf-8")
    add_dump(index, dump)

    places = Gazetteer(index).lookup("NSW")
    assert [(p.id, p.lat, p.lon, p.population) for p in places] == [(2155400, -33.0, 146.0, 8000000)]
    moved = moved_areas(before, area_points(index))
    assert [(name, cc) for name, cc, *_ in moved] == [("New South Wales", "AU")]
    assert 300 < moved[0][2] < 400
    assert "| New South Wales | AU |" in moved_table(moved)


@needs_index
@pytest.mark.parametrize("sentence, name, country, point", [
    ("Cyclone warnings were issued for Queensland on Friday.", "Queensland", "AU", (-20.0, 145.0)),
    ("Wildfires forced evacuations in South Australia.", "South Australia", "AU", (-30.0, 135.0)),
    ("Snow closed schools across Manitoba.", "Manitoba", "CA", (55.0, -97.0)),
    ("An earthquake shook Alaska early on Sunday.", "Alaska", "US", (64.00028, -150.00028)),
    ("Copper exports from Zambia fell last year.", "Zambia", "ZM", (-14.33333, 28.5)),
])
def test_areas_sit_at_geonames_points(gaz, sentence, name, country, point):
    res, _ = read(sentence, gaz)
    place = place_of(res, name)
    assert place.country_code == country
    assert km_between(place.lat, place.lon, *point) < 1


def test_an_area_point_row_out_of_range_is_refused_naming_file_and_line(tmp_path):
    bad = tmp_path / "area_points.csv"
    bad.write_text("country_code,admin1,name,lat,lon,note\nAU,04,Queensland,-20,145,ok\nAU,02,NSW,-33,246,typo\n")
    with pytest.raises(ConfigError, match=r"area_points\.csv: line 3: "):
        read_area_points(bad)


def test_gazetteer_add_prints_the_regions_a_dump_moved(tmp_path):
    import os
    import subprocess
    import sys

    index = tmp_path / "gaz.sqlite"
    db = sqlite3.connect(index)
    db.executescript(SCHEMA)
    db.execute("INSERT INTO place VALUES (-4000135, 'Queensland', 'AU', '04', 'region', 'ADM1', "
               "-22.35, 147.57, 5000000, 'geonames')")
    db.commit()
    db.close()
    dump = tmp_path / "AU.txt"
    dump.write_text(_adm1_line(2152274, "Queensland", "-20.0", "145.0", "AU", "04") + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "clashmap", "gazetteer", "add", str(dump)],
                          cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CLASHMAP_GAZETTEER": str(index)})
    assert proc.returncode == 0, proc.stderr
    assert "1 countries and regions moved more than 100 km" in proc.stdout
    assert "| Queensland | AU | 37" in proc.stdout  # 374 km


def test_a_bad_data_table_stops_the_build_before_the_index_is_touched(tmp_path, monkeypatch):
    import geo.gazetteer_build as build

    data = tmp_path / "data"
    data.mkdir()
    (data / "demonyms.csv").write_text("demonym,country_code,reason\nFrench,France,bad code\n", encoding="utf-8")
    monkeypatch.setattr(build, "DATA_DIR", data)
    index = tmp_path / "gazetteer.sqlite"
    index.write_bytes(b"the previous index")
    with pytest.raises(ConfigError, match=r"demonyms\.csv: line 2"):
        build.build_index(index)
    assert index.read_bytes() == b"the previous index"
    assert not index.with_suffix(".building").exists()


@needs_index
def test_start_up_queries_use_the_indexes_not_full_scans():
    """A place's names, the countries and the ADM1 regions are looked up through indexes: the country table
    events.actors builds at start-up scanned all 763k names without one (0.6-1.2 s per start)."""
    db = sqlite3.connect(f"file:{DEFAULT_INDEX}?mode=ro", uri=True)
    queries = [
        "SELECT p.country_code, a.key FROM alias a JOIN place p ON p.id = a.place_id "
        "WHERE p.kind = 'country' AND p.country_code IS NOT NULL",
        "SELECT * FROM place WHERE kind = 'country' AND country_code = 'FR'",
        "SELECT country_code, name FROM place WHERE feature_code = 'PPLC'",
        "SELECT key FROM alias WHERE place_id = 1",
    ]
    for q in queries:
        plan = " / ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + q))
        assert "SCAN" not in plan.replace("COVERING INDEX", ""), f"{q}: {plan}"
