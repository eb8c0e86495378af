"""A country the small model reads as a person is still a place after "in neighbouring" or "in northern", and a
region written with the word for its kind ("the Tillaberi region") is that region even in a story set in another
country. Short texts written for the test."""

from __future__ import annotations

import pytest

from geo.gazetteer import DEFAULT_INDEX, Gazetteer
from geo.geocoders import GazetteerGeocoder
from geo.resolve import resolve_all
from geo.roles import assign_roles
from geo.toponyms import find_toponyms

needs_index = pytest.mark.skipif(not DEFAULT_INDEX.exists(),
                                 reason="data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer()


def places(text: str, gaz: Gazetteer) -> dict[str, tuple[str | None, str]]:
    """name as written -> (country code, place name) it was read as."""
    toponyms, demonyms = find_toponyms(text, 0, gaz)
    res = resolve_all(toponyms, GazetteerGeocoder(gaz), demonym_countries=[gaz.demonyms()[d] for d in demonyms],
                      text=text)
    return {r.toponym.text: (r.place.country_code if r.place else None, r.place.name if r.place else "")
            for r in assign_roles(text, res)}


@needs_index
@pytest.mark.parametrize("cue", ["In neighbouring", "In neighboring"])
def test_a_country_after_a_place_cue_is_kept(gaz, cue):
    text = (f"MAIDUGURI, Nigeria -- Insurgents raided a village in Borno State on Sunday. {cue} Niger, gunmen "
            "attacked a military post on Saturday, the defence ministry said.")
    assert places(text, gaz).get("Niger") == ("NE", "Niger")


@needs_index
def test_a_region_named_with_its_kind_abroad_is_that_region(gaz):
    text = ("MAIDUGURI, Nigeria -- Gunmen on motorcycles attacked a military post in the Tillaberi region on "
            "Saturday, killing six soldiers. Troops later repelled an attack near Dikwa.")
    assert places(text, gaz)["Tillaberi region"][0] == "NE"


@needs_index
def test_a_part_of_a_country_is_a_place_whatever_the_model_reads(gaz):
    text = "Gunmen attacked a convoy in northern Niger on Saturday, officials in Niamey said."
    assert places(text, gaz).get("Niger") == ("NE", "Niger")


@needs_index
def test_a_village_the_gazetteer_lacks_lies_in_the_region_written_after_it(gaz):
    from geo.resolve import ENCLOSING_AREA

    text = "BAMAKO, Mali -- Gunmen attacked the village of Ndiassakou in Mopti region on Friday, killing 12 villagers."
    toponyms, _ = find_toponyms(text, 0, gaz)
    found = {r.toponym.text: r for r in resolve_all(toponyms, GazetteerGeocoder(gaz), text=text)}
    village = found["Ndiassakou"]
    assert (village.resolver, village.place.name, village.place.kind) == (ENCLOSING_AREA, "Mopti", "region")


@needs_index
@pytest.mark.parametrize(("text", "abbreviation", "region"), [
    ("A fire destroyed a barn near Dover, Del., on Sunday, officials said.", "Del", "Delaware"),
    ("Storms damaged homes in Wichita, Kan., overnight.", "Kan", "Kansas"),
])
def test_a_state_abbreviation_after_a_town_is_the_state(gaz, text, abbreviation, region):
    assert places(text, gaz)[abbreviation] == ("US", region)
