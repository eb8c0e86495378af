"""The story-level geoparsing rules, each on a short text written for the test, through the real index.

A story set in one country places a name the gazetteer lacks, or knows only as a small town abroad, at
the story's town (resolver "story-area", shown as approximate, never an event site); buildings named
after a place; names split by abbreviations; regions against same-named towns; full person names.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.gazetteer import DEFAULT_INDEX, Gazetteer
from geo.geocoders import GazetteerGeocoder
from geo.resolve import STORY_AREA, resolve_all
from geo.roles import assign_roles
from geo.toponyms import dateline_toponym, find_toponyms, gazetteer_candidates

ROOT = Path(__file__).resolve().parents[2]
needs_index = pytest.mark.skipif(not DEFAULT_INDEX.exists(),
                                 reason="data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer()


def read(text: str, gaz: Gazetteer, dateline: str | None = None):
    """find -> resolve -> roles, as clashmap.pipeline does; `dateline` is a 'CITY' opening the text."""
    toponyms, demonyms = find_toponyms(text, 0, gaz)
    if dateline:
        toponyms = [dateline_toponym(text, dateline, 0), *toponyms]
    res = resolve_all(toponyms, GazetteerGeocoder(gaz), demonym_countries=[gaz.demonyms()[d] for d in demonyms])
    return {r.toponym.text: r for r in assign_roles(text, res)}


@needs_index
def test_a_local_name_the_gazetteer_lacks_is_placed_at_the_story_town(gaz):
    text = ("NENAGH - Councillors in Nenagh said on Monday that flooding closed the road to Toomevara, "
            "and Nenagh and Cloughjordan residents in Ireland were told to stay home.")
    assert not gaz.lookup("Toomevara")  # a village below cities500's threshold
    found = read(text, gaz, dateline="NENAGH")
    village = found["Toomevara"]
    assert village.resolver == STORY_AREA
    assert village.place.name == "Nenagh" and village.place.country_code == "IE"


@needs_index
def test_a_name_with_no_story_country_stays_unresolved(gaz):
    found = read("Councillors said flooding closed the road to Toomevara on Monday.", gaz)
    assert found["Toomevara"].place is None and found["Toomevara"].resolver == "unresolved"


@needs_index
def test_a_small_namesake_abroad_yields_to_the_story_town(gaz):
    text = ("ST. LOUIS - Police in St. Louis said thieves took brisket from Salt, a barbecue place in the "
            "St. Louis Hills area, and were arrested in Lemay, Missouri.")
    found = read(text, gaz, dateline="ST. LOUIS")
    assert found["St. Louis"].place.country_code == "US"  # "St." glued to its name, not "Louis" alone
    assert found["Salt"].place.country_code == "US" and found["Salt"].resolver == STORY_AREA


@needs_index
def test_story_area_guesses_are_never_event_sites(tmp_path):
    article = tmp_path / "shelling.txt"
    article.write_text("date 2020-10-05 BAKU, AZERBAIJAN – Armenian forces shelled the village of Shukurbeyli on "
                       "Sunday, the Azerbaijani defense ministry said. Officials in Baku and Ganja reported no "
                       "damage.\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "clashmap", "extract", "--format", "json", str(article)],
                         cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "CLASHMAP_DB": f"sqlite:///{tmp_path / 's.sqlite'}"})
    reading = json.loads(out.stdout.splitlines()[-1])
    guess = [p for p in reading["places"] if p["text"] == "Shukurbeyli"][0]
    assert guess["resolver"] == STORY_AREA and guess["place"]["country_code"] == "AZ"
    shelling = [e for e in reading["events"] if "Shukurbeyli" in e["text"]]
    assert shelling, reading["events"]  # the event is still reported...
    assert all(e["place"] is None or e["place"]["name"] != guess["place"]["name"] for e in shelling)  # ...not there


@needs_index
def test_buildings_named_after_a_place(gaz):
    cairo = read("CAIRO - At the Liverpool Academy in Cairo, boys train daily; Egypt loves football and "
                 "Cairo's suburbs have new pitches.", gaz, dateline="CAIRO")
    academy = cairo["Liverpool Academy"]
    assert academy.toponym.how == "building" and academy.place.country_code == "EG"
    hartford = read("Patients at Hartford Hospital in Hartford, Connecticut, were moved.", gaz)
    assert hartford["Hartford Hospital"].place.name == "Hartford"


@needs_index
def test_washington_dc_spelled_out_and_washington_state_apart(gaz):
    text = ("Seattle and Tacoma crews, the pride of Washington, flew to Guam and to Washington, D.C., "
            "while Washington kept its own teams at home.")
    found = read(text, gaz)
    spans = [r for r in find_toponyms(text, 0, gaz)[0] if r.text == "Washington"]
    res = resolve_all(find_toponyms(text, 0, gaz)[0], GazetteerGeocoder(gaz))
    by_start = {r.toponym.start: r.place for r in res}
    dc = text.index("Washington, D.C.")
    assert by_start[dc].admin1 == "DC"
    assert any(by_start[t.start].admin1 == "WA" for t in spans if t.start != dc)
    assert found["Seattle"].place.admin1 == "WA"


@needs_index
def test_abbreviations_inside_and_after_names(gaz):
    text = "Flights from the U.S. Virgin Islands landed; Miss Abdhou flew on to Moncton, N.B., with her aunt."
    runs = {text[s:e] for s, e, _k in gazetteer_candidates(text, gaz)}
    assert "U.S. Virgin Islands" in runs
    found = read(text, gaz)
    assert "Miss" not in found  # a title, not Mississippi: AP state forms end with a full stop
    assert found["Moncton"].place.country_code == "CA" and found["N.B."].place.name == "New Brunswick"


@needs_index
def test_british_counties_and_regions_beat_same_named_towns(gaz):
    found = read("Races at Snetterton in Norfolk and Silverstone in Northamptonshire open the UK season; "
                 "teams from Wales and Hampshire are entered.", gaz)
    for county in ("Norfolk", "Northamptonshire", "Hampshire"):
        assert found[county].place.country_code == "GB" and found[county].place.kind == "region", county
    assert found["Wales"].place.kind == "region"  # not the hamlet called Wales in England


@needs_index
def test_a_name_inside_a_full_person_name_is_that_person(gaz):
    text = ("Canadian Foreign Minister Chrystia Freeland left for Washington to meet her counterparts. "
            "Freeland, the U.S. Trade Representative and Mexico's minister will meet again.")
    found = read(text, gaz)
    assert "Freeland" not in found
    assert found["Washington"].place.admin1 == "DC"


@needs_index
def test_part_of_a_country_name_is_that_country(gaz):
    found = read("Dominica and Trinidad and Tobago asked for aid; Trinidad sent boats.", gaz)
    assert found["Trinidad"].place.country_code == "TT"


def test_approximate_places_are_marked_in_the_article_view():
    from dashboard.highlight import highlight

    html = highlight("Shelling hit Qzorvatlu.", [(13, 22, "approximate", "≈ Baku (AZ), the story's town")], [])
    assert 'class="cm-approximate"' in html and "≈ Baku" in html


@needs_index
def test_a_village_of_a_country_the_story_names_is_no_namesake_abroad(gaz):
    text = ("BAKU – Shelling hit Aghdam, Tartar, Barda and Ganja, Azerbaijan said. Azerbaijani troops entered "
            "Kalbajar and Lachin, and Nakhchivan stayed calm. Azerbaijan's Fuzuli and Jabrayil were quiet. A "
            "Russian helicopter was downed over Armenia near the village of Yeraskh.")
    found = read(text, gaz, dateline="BAKU")
    assert found["Yeraskh"].place.country_code == "AM" and found["Yeraskh"].resolver != STORY_AREA


@needs_index
def test_weapons_named_like_places_are_not_places(gaz):
    found = read("BAKU – The ministry said it destroyed 2 Grad multiple rocket launchers near Aghdam, a Pantsir "
                 "air defense system and several Tochka-U tactical missile launchers aimed at Ganja.", gaz,
                 dateline="BAKU")
    assert {"Grad", "Pantsir", "Tochka-U", "Tochka"}.isdisjoint(found)
    assert {"Aghdam", "Ganja"} <= set(found)


@needs_index
def test_an_ap_state_form_constrains_the_town_before_it(gaz):
    found = read("Crews in Lebanon, Pa., cleared snow on Monday while Harrisburg waited.", gaz)
    assert found["Pa."].place.name == "Pennsylvania"
    assert (found["Lebanon"].place.country_code, found["Lebanon"].place.admin1) == ("US", "PA")


@needs_index
def test_a_building_named_after_a_big_town_of_a_country_the_story_names_stands_there(gaz):
    # a story set in Texas that names Canada: the university named after Toronto is in Toronto, not Houston
    told = ("HOUSTON - Dr. Ann Lee, who runs clinics in Houston, Dallas and Austin, Texas, studied at the "
            "University of Toronto{} before a Texas hospital hired her. Houston patients praise her.")
    found = read(told.format(" and worked in Canada"), gaz, dateline="HOUSTON")
    university = found["Toronto"]  # the building, found by the place name it holds
    assert university.toponym.how == "building"
    assert university.place.name == "Toronto" and university.place.country_code == "CA"
    # with no word of Canada, a building named after a town abroad still stands in the story's town
    alone = read(told.format(""), gaz, dateline="HOUSTON")
    assert alone["Toronto"].place.country_code == "US" and alone["Toronto"].resolver == STORY_AREA
