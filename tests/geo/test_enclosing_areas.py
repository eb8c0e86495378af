""""X, Y" and "X in Y": one reading (geo.resolve._enclosing) for a name the gazetteer lacks and for a name it knows
only as towns of other regions. Short texts written for the test."""

from __future__ import annotations

import pytest

from geo.gazetteer import DEFAULT_INDEX, Gazetteer
from geo.geocoders import GazetteerGeocoder
from geo.resolve import ENCLOSING_AREA, resolve_all
from geo.toponyms import find_toponyms

needs_index = pytest.mark.skipif(not DEFAULT_INDEX.exists(),
                                 reason="data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer()


def resolved(text: str, gaz: Gazetteer) -> dict[str, object]:
    toponyms, _ = find_toponyms(text, 0, gaz)
    return {r.toponym.text: r for r in resolve_all(toponyms, GazetteerGeocoder(gaz), text=text)}


@needs_index
def test_a_town_known_only_in_other_states_lies_in_the_state_written_after_it(gaz):
    found = resolved("Firefighters saved a church in Greenwood, W.Va., on Sunday, the county said.", gaz)
    town = found["Greenwood"]
    assert (town.resolver, town.place.kind, town.place.admin1) == (ENCLOSING_AREA, "region", "WV")


@needs_index
def test_a_town_of_the_state_written_after_it_is_that_town(gaz):
    found = resolved("Firefighters saved a church in Greenwood, Miss., on Sunday, the county said.", gaz)
    town = found["Greenwood"]
    assert (town.place.kind, town.place.admin1) == ("city", "MS")
    assert town.resolver != ENCLOSING_AREA


@needs_index
def test_a_sentence_end_is_no_enclosing_name(gaz):
    found = resolved("The convoy stopped in Greenwood. Mississippi officials said the road was closed.", gaz)
    assert found["Greenwood"].resolver != ENCLOSING_AREA


def _place_of(text: str, name: str, gaz: Gazetteer):
    return resolved(text, gaz)[name].place


@needs_index
def test_a_bare_state_name_that_is_also_its_countrys_capital_is_the_capital(gaz):
    # the capital lies in another first-level region (DC) than the state of its name: still the bare name's
    # usual meaning, not decided by a hair by the state's larger population and a first name ("George") that
    # is also a town in the state
    place = _place_of("Egypt worked closely with Washington, George Mitchell said in Cairo, while talks in Madrid "
                      "stalled.", "Washington", gaz)
    assert (place.kind, place.admin1) == ("city", "DC")


@needs_index
def test_the_state_of_that_name_when_the_copy_says_state(gaz):
    place = _place_of("Wildfires burned across Washington state on Sunday, officials in Olympia said.",
                      "Washington", gaz)
    assert (place.kind, place.admin1) == ("region", "WA")


@needs_index
@pytest.mark.parametrize(("written", "own_name", "country"), [
    ("St. Petersburg", "Saint Petersburg", "RU"), ("Ft. Worth", "Fort Worth", "US")])
def test_a_name_written_with_an_abbreviation_is_the_places_own_name(gaz, written, own_name, country):
    # not an alternate name that counts against the place (data/name_abbreviations.csv): "St. Petersburg" in
    # a story that also names New York lost to the Florida town of that spelling by the alternate-name penalty
    from geo.features import FEATURES

    text = f"Ice hockey fans filled the arena in {written} on Sunday, the club said."
    toponyms, _ = find_toponyms(text, 0, gaz)
    collected: list = []
    resolve_all(toponyms, GazetteerGeocoder(gaz), text=text, collect=collected)
    (_key, options, vectors), = collected
    alternate = {(o.name, o.country_code): v[FEATURES.index("alternate")] for o, v in zip(options, vectors)}
    assert alternate[(own_name, country)] == 0.0
