"""Place names of conflict copy that the events gold set met: each rule on a sentence written for the test."""

from __future__ import annotations

import pytest

from bench.geoparse_events import place_names
from geo.gazetteer import DEFAULT_INDEX, Gazetteer
from geo.geocoders import GazetteerGeocoder
from geo.names import english_form
from geo.resolve import resolve_all
from geo.roles import assign_roles
from geo.toponyms import find_toponyms

needs_index = pytest.mark.skipif(not DEFAULT_INDEX.exists(),
                                 reason="data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer()


def places(text: str, gaz: Gazetteer) -> dict[str, object]:
    toponyms, demonyms = find_toponyms(text, 0, gaz)
    res = resolve_all(toponyms, GazetteerGeocoder(gaz), demonym_countries=[gaz.demonyms()[d] for d in demonyms])
    return {r.toponym.text: r for r in assign_roles(text, res)}


@needs_index
def test_arabic_article_joined_by_a_hyphen_is_part_of_the_name(gaz):
    found = places("Houthi fighters took control of al-Hazm on Sunday. A car bomb hit Ras al-Ain.", gaz)
    assert found["al-Hazm"].place.country_code == "YE"
    assert found["Ras al-Ain"].place.country_code == "SY"


@needs_index
def test_an_airport_or_military_camp_is_a_facility_at_the_town(gaz):
    found = places("Soldiers seized the Kati military camp outside the capital of Mali.", gaz)
    assert found["Kati"].place.country_code == "ML"
    found = places("Forces said they had taken Hodeidah airport on the southern edge of the Red Sea port city.", gaz)
    assert found["Hodeidah"].place.country_code == "YE"
    assert "Sea" not in found  # the airport code SEA is no reason to put Seattle on the map


@needs_index
def test_a_list_shares_its_kind_word(gaz):
    found = places("Several civilians were wounded in the Tartar and Aghdam districts, the ministry said.", gaz)
    assert {"Tartar", "Aghdam"} <= set(found)
    assert {found["Tartar"].place.country_code, found["Aghdam"].place.country_code} == {"AZ"}


@needs_index
def test_a_word_that_is_only_an_alternate_spelling_needs_support(gaz):
    found = places("Aliyev spoke at the Alley of Martyrs in Baku, after Azerbaijani forces had taken Shusha.", gaz)
    assert "Alley" not in found
    assert found["Shusha"].place.country_code == "AZ"


@needs_index
def test_the_kremlin_is_moscow_and_speaks_for_the_government(gaz):
    found = places("Putin and Erdogan reached agreement after six hours of talks in the Kremlin on Thursday.", gaz)
    assert abs(found["Kremlin"].place.lat - 55.75) < 0.1 and found["Kremlin"].toponym.role == "event"
    found = places("Russian troops will serve as peacekeepers for five years, the Kremlin said.", gaz)
    assert found["Kremlin"].toponym.role == "mention"


@needs_index
def test_azerbaijani_names_in_english_spelling(gaz):
    assert english_form("Qubadlı") == "Gubadli" and english_form("Baku") is None
    found = places("Armenian forces said they had repelled attacks near Gubadli.", gaz)
    assert found["Gubadli"].place.country_code == "AZ"


@needs_index
def test_weapon_named_after_a_town_is_not_a_place(gaz):
    found = places("The ministry said 12 Armenian Osa air defence systems had been destroyed.", gaz)
    assert "Osa" not in found


@needs_index
def test_a_names_own_reading_does_not_pull_it_toward_itself(gaz):
    found = places("Troops in Izium prepared the offensive towards Sloviansk.", gaz)
    assert found["Sloviansk"].place.name == "Slovyansk"


def test_event_place_descriptions_give_their_names():
    assert place_names("Fuzuli and Jabrayil districts") == ["Fuzuli", "Jabrayil"]
    assert place_names("Balyun (south of Idlib province)") == ["Balyun", "Idlib"]
    assert place_names("Hodeidah airport") == ["Hodeidah"]
    assert place_names("southern front of Nagorno-Karabakh") == ["Nagorno-Karabakh"]


@needs_index
def test_regions_and_counties_have_places_of_their_own(gaz):
    assert [p.country_code for p in gaz.lookup("Tamil Nadu")][:1] == ["IN"]
    laurel = gaz.lookup("Laurel County")[0]
    assert (laurel.admin1, round(laurel.lat), round(laurel.lon)) == ("KY", 37, -84)
    found = places("Fighting spread across Idlib province, while shells hit Mykolaiv again.", gaz)
    assert found["Idlib province"].place.kind == "region"
    assert found["Mykolaiv"].place.kind == "city"


@needs_index
def test_a_street_lies_in_the_storys_town(gaz):
    found = places("In New Orleans, the parade left Royal Street before noon; New Orleans police followed.", gaz)
    assert found["Royal Street"].place.name == found["New Orleans"].place.name


@needs_index
def test_what_is_said_of_a_place_marks_it(gaz):
    found = places("The enclave's authorities said Stepanakert had come under renewed fire overnight.", gaz)
    assert found["Stepanakert"].place.country_code == "AZ"
    found = places("The Kalbajar district was handed over last week, and Aghdam, in the east, on November 20.", gaz)
    assert found["Aghdam"].place.country_code == "AZ"
