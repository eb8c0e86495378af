"""Each geoparsing rule on a short text written for the test, through the real gazetteer index."""

from __future__ import annotations

import sqlite3

import pytest

from geo.gazetteer import DEFAULT_INDEX, Gazetteer
from geo.gazetteer_build import SCHEMA
from geo.geocoders import GazetteerGeocoder
from geo.geonames_dump import add_dump
from geo.resolve import resolve_all
from geo.roles import assign_roles
from geo.toponyms import Toponym, dateline_toponym, find_toponyms

needs_index = pytest.mark.skipif(not DEFAULT_INDEX.exists(),
                                 reason="data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer()


def read(text: str, gaz: Gazetteer, dateline: tuple[str, int] | None = None):
    """find -> resolve -> roles, the order clashmap.pipeline uses."""
    toponyms, demonyms = find_toponyms(text, 0, gaz)
    if dateline:
        toponyms = [dateline_toponym(text, dateline[0], dateline[1]), *toponyms]
    res = resolve_all(toponyms, GazetteerGeocoder(gaz), demonym_countries=[gaz.demonyms()[d] for d in demonyms])
    return assign_roles(text, res), demonyms


@needs_index
def test_demonyms_are_evidence_and_mentions_of_their_country_never_event_places(gaz):
    res, demonyms = read("Azerbaijani and Armenian troops fought near the town of Tartar overnight.", gaz)
    tartar = [r for r in res if r.toponym.text == "Tartar"]
    assert tartar and tartar[0].place.country_code == "AZ" and tartar[0].toponym.role == "event"
    assert {"azerbaijani", "armenian"} <= set(demonyms)
    # an adjective demonym names its country (geo.demonym_places), as a mention: no event is placed there
    for r in res:
        if r.toponym.how == "demonym":
            assert r.place.kind == "country" and r.toponym.role == "mention"


@needs_index
def test_place_name_inside_an_organisation_is_not_a_place(gaz):
    res, _ = read("A spokesman for the Artsakh Defense Army said positions near Martuni were shelled.", gaz)
    assert "Artsakh" not in [r.toponym.text for r in res]


@needs_index
def test_town_of_x_is_found_and_resolved_in_the_story_country(gaz):
    res, _ = read("Armenian officials said rockets hit the town of Barda on Tuesday.", gaz)
    barda = [r for r in res if r.toponym.text == "Barda"]
    assert barda and barda[0].place.country_code == "AZ"


@needs_index
def test_transliterations_and_diacritics_meet(gaz):
    text = "Şuşa, which Armenians call Shushi and Azerbaijanis Shusha, overlooks Cəbrayıl and Jabrail."
    res = resolve_all([Toponym(w, 0, len(w), "event", "test") for w in ("Şuşa", "Shushi", "Shusha")],
                      GazetteerGeocoder(gaz), demonym_countries=["AZ", "AM"])
    assert {r.place.id for r in res} == {147105}
    res = resolve_all([Toponym(w, 0, len(w), "event", "test") for w in ("Cəbrayıl", "Cebrayil", "Jabrail")],
                      GazetteerGeocoder(gaz))
    assert {r.place.name for r in res} == {"Jabrayil"}
    assert text  # the sentence the names come from


@needs_index
def test_dateline_has_its_own_role(gaz):
    text = "BEIRUT, LEBANON (Agency) — Shelling continued in Stepanakert, residents said."
    res, _ = read(text, gaz, dateline=("BEIRUT, LEBANON", 0))
    assert res[0].toponym.role == "dateline" and res[0].place.country_code == "LB"
    step = [r for r in res if r.toponym.text == "Stepanakert"]
    assert step and step[0].toponym.role == "event"


@needs_index
def test_capital_used_for_its_government_is_a_mention(gaz):
    res, _ = read("Shells landed in Stepanakert overnight, a claim that Baku rejected on Monday.", gaz)
    roles = {r.toponym.text: r.toponym.role for r in res}
    assert roles["Baku"] == "mention"
    assert roles["Stepanakert"] == "event"


@needs_index
def test_enclosing_place_after_a_comma_picks_the_namesake(gaz):
    res, _ = read("The fire broke out in Athens, Ga., late on Friday.", gaz)
    athens = [r for r in res if r.toponym.text == "Athens"][0]
    assert (athens.place.country_code, athens.place.admin1) == ("US", "GA")


@needs_index
def test_a_country_named_in_a_story_about_another_country_is_the_country(gaz):
    text = ("Washington, D.C. officials in Washington and Maryland said tariffs on Chinese goods would go on. "
            "Beijing said it would fight back, and officials in Washington accused imports from China. "
            "U.S. officials in Virginia and Texas disagreed.")
    res, _ = read(text, gaz)
    assert {r.place.country_code for r in res if r.toponym.text == "China"} == {"CN"}
    # with nothing else pointing at the country, a US local story keeps its town
    res, _ = read("Lebanon police said the Boone County sheriff and Indianapolis officers searched the home "
                  "near Zionsville, Ind.", gaz)
    assert {r.place.country_code for r in res if r.toponym.text == "Lebanon"} == {"US"}


@needs_index
def test_landmarks_named_in_news_lie_where_they_stand(gaz):
    res, _ = read("Flights out of Heathrow were cancelled, British officials in London said.", gaz)
    places = {r.toponym.text: r.place for r in res}
    assert places["Heathrow"].country_code == "GB" and abs(places["Heathrow"].lon + 0.45) < 0.1
    res, _ = read("Sailors at Pearl Harbor watched tankers in the Gulf, and farmers in the Nile Delta waited.", gaz)
    places = {r.toponym.text: r.place for r in res}
    assert abs(places["Pearl Harbor"].lon + 157.97) < 0.2 and places["Nile Delta"].country_code == "EG"
    assert abs(places["Gulf"].lon - 51.0) < 1
    res, _ = read("The White House said the West Wing was closed.", gaz)
    places = {r.toponym.text: r.place for r in res}
    assert abs(places["White House"].lat - 38.9) < 0.1 and abs(places["West Wing"].lon + 77.04) < 0.1


@needs_index
def test_korea_alone_is_south_korea_not_a_village_called_korea(gaz):
    res, _ = read("Exports from Korea to Japan fell in March.", gaz)
    assert {r.place.country_code for r in res if r.toponym.text == "Korea"} == {"KR"}


@needs_index
def test_a_square_named_like_a_hamlet_lies_in_the_story_town(gaz):
    res, _ = read("New Orleans police closed Washington Square on Friday. The New Orleans mayor said it would reopen.", gaz)
    square = [r for r in res if r.toponym.text.startswith("Washington")]
    assert square and square[0].toponym.text == "Washington Square"
    assert square[0].place.name == "New Orleans"


@needs_index
def test_unresolved_names_are_kept_as_mentions_without_a_place(gaz):
    made_up = Toponym("Qzorvatlu", 10, 19, "event", "ner")
    res = resolve_all([made_up], GazetteerGeocoder(gaz))
    assert len(res) == 1 and res[0].place is None and res[0].resolver == "unresolved"


DUMP_LINE = "\t".join(["9990001", "Garayusifli", "Garayusifli", "Qarayusifli,Karayusifli", "40.4512", "47.1703",
                       "P", "PPL", "AZ", "", "11", "", "", "", "0", "", "12", "Asia/Baku", "2020-11-09"])


def empty_index(path) -> None:
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    db.close()


def test_gazetteer_add_loads_a_country_dump(tmp_path):
    index, dump = tmp_path / "gaz.sqlite", tmp_path / "AZ.txt"
    empty_index(index)
    dump.write_text(DUMP_LINE + "\n", encoding="utf-8")
    assert add_dump(index, dump) == 1
    found = Gazetteer(index).lookup("Qarayusifli")
    assert [(p.id, p.name, p.country_code, p.kind) for p in found] == [(9990001, "Garayusifli", "AZ", "village")]
    assert found[0].source == "dump:AZ.txt"


def test_gazetteer_add_rejects_a_malformed_dump_naming_file_and_line(tmp_path):
    index, dump = tmp_path / "gaz.sqlite", tmp_path / "broken.txt"
    empty_index(index)
    dump.write_text(DUMP_LINE + "\n" + "123\tHadrut\t39.52\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.txt: line 2: expected 19"):
        add_dump(index, dump)
    assert Gazetteer(index).lookup("Garayusifli") == []  # nothing written from a refused file


@needs_index
def test_a_surname_read_as_a_person_more_often_than_a_place_is_not_a_place(gaz):
    text = ("Coach Darren Ripley praised the team. \"We fought hard,\" said coach Ripley. "
            "The team travels to Ripley next week, coach Ripley added.")
    res, _ = read(text, gaz)
    assert all(r.toponym.text != "Ripley" or text[r.toponym.start - 6 : r.toponym.start] != "coach " for r in res)


@needs_index
def test_acronyms_that_are_some_towns_alternate_name_are_not_places(gaz):
    res, _ = read("The CIS summit and the MoD statement were discussed in Moscow on Friday.", gaz)
    assert [r.toponym.text for r in res] == ["Moscow"]
    assert res[0].place.country_code == "RU"


@needs_index
def test_country_abbreviations_are_found(gaz):
    res, _ = read("Talks in Baku were welcomed by the U.S. and the EU, officials said.", gaz)
    found = {r.toponym.text: r.place for r in res}
    assert found["U.S."].kind == "country" and found["U.S."].country_code == "US"
    assert "EU" in found


@needs_index
def test_a_state_named_alongside_its_towns_is_the_state_not_the_country(gaz):
    res, _ = read("Crews in Gainesville and across Hall County worked as storms crossed Georgia overnight.", gaz)
    georgia = [r for r in res if r.toponym.text == "Georgia"][0]
    assert (georgia.place.country_code, georgia.place.kind) == ("US", "region")
    res, _ = read("Russian troops advanced from South Ossetia toward Tbilisi as Georgia appealed for help.", gaz)
    georgia = [r for r in res if r.toponym.text == "Georgia"][0]
    assert georgia.place.country_code == "GE"


@needs_index
def test_admin_hierarchy_written_as_a_district_of_a_region(gaz):
    res, _ = read("Shelling hit villages of the Barda district in Azerbaijan, the ministry said.", gaz)
    barda = [r for r in res if r.toponym.text == "Barda"][0]
    assert barda.place.country_code == "AZ"


@needs_index
@pytest.mark.parametrize("text, name", [
    ("Heavy fighting continued on the Fuzuli front overnight.", "Fuzuli"),
    ("Troops pushed forward in the Jabrayil direction, the ministry said.", "Jabrayil"),
    ("Shells fell on the southwestern part of Tartar on Sunday.", "Tartar"),
    ("Two villages of Aghdam district were hit.", "Aghdam"),
])
def test_editors_patterns_mark_place_names(gaz, text, name):
    res, _ = read(text, gaz)
    found = [r for r in res if r.toponym.text == name]
    assert found and found[0].place is not None and found[0].place.country_code == "AZ"


@needs_index
def test_batched_cache_writes_land_once_and_prefetch_reads_them_back(sqlite_url, gaz):
    from store.geocache import cached_geocoder
    from store.db import open_store

    first = cached_geocoder(GazetteerGeocoder(gaz), open_store(sqlite_url))
    with first.batch():
        resolve_all([Toponym("Ganja", 0, 5, "event", "test"), Toponym("Qzorvatlu", 10, 19, "event", "test")], first)
    second = cached_geocoder(GazetteerGeocoder(gaz), open_store(sqlite_url))
    second.prefetch(["Ganja", "Qzorvatlu"])
    assert second.geocode("Ganja").raw["country_code"] == "AZ"
    assert second.geocode("Qzorvatlu") is None
    assert second.computed == 0, "both answers, the miss included, were stored by the batch"


@needs_index
def test_reading_is_the_same_whatever_the_hash_seed(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("from geo.gazetteer import Gazetteer; from geo.geocoders import GazetteerGeocoder; "
            "from geo.toponyms import find_toponyms; from geo.resolve import resolve_all; "
            "t = 'Crews from Walton County and Oconee County met in Athens and Monroe, officials said.'; "
            "g = Gazetteer(); tops, _ = find_toponyms(t, 0, g); "
            "print([(r.toponym.text, r.place and r.place.id) for r in resolve_all(tops, GazetteerGeocoder(g))])")
    root = Path(__file__).resolve().parents[2]
    outs = {subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                           env=dict(os.environ, PYTHONHASHSEED=seed)).stdout for seed in ("1", "2", "3")}
    assert len(outs) == 1
