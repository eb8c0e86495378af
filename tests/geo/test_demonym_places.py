"""Demonyms written as adjectives name their country (geo.demonym_places), on short texts written for the test."""

from __future__ import annotations

import pytest

from clashmap.errors import ConfigError
from geo.demonym_places import demonym_senses
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


def places(text: str, gaz: Gazetteer) -> dict[str, tuple[str | None, str, str]]:
    """name as written -> (country code, kind, role) of the place it was read as."""
    toponyms, demonyms = find_toponyms(text, 0, gaz)
    res = resolve_all(toponyms, GazetteerGeocoder(gaz), demonym_countries=[gaz.demonyms()[d] for d in demonyms],
                      text=text)
    return {r.toponym.text: (r.place.country_code if r.place else None, r.place.kind if r.place else "",
                             r.toponym.role) for r in assign_roles(text, res)}


@needs_index
def test_an_adjective_demonym_is_a_mention_of_its_country(gaz):
    got = places("Iraqi forces and the Sri Lankan navy held a joint drill off the coast on Tuesday.", gaz)
    assert got["Iraqi"] == ("IQ", "country", "mention")
    assert got["Sri Lankan"] == ("LK", "country", "mention")  # two words, one demonym


@needs_index
def test_saudi_names_saudi_arabia(gaz):
    assert gaz.demonyms()["saudi"] == "SA"
    assert places("Saudi officials met the delegation in the capital on Monday.", gaz)["Saudi"][0] == "SA"


@needs_index
def test_plural_nouns_and_names_of_buildings_and_companies_are_no_places(gaz):
    got = places("Thousands of Canadians queued outside the British Embassy while the Canadian Press reported "
                 "the delays.", gaz)
    assert not {"Canadians", "British", "Canadian"} & set(got)


def test_a_bad_row_of_the_senses_file_is_one_line_naming_the_file(tmp_path):
    bad = tmp_path / "demonym_senses.csv"
    bad.write_text("word,list,reason\nembassy,somewhere,a building\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        demonym_senses.__wrapped__(bad)
    assert str(bad) in str(err.value) and "line 2" in str(err.value) and "\n" not in str(err.value)


@needs_index
def test_a_language_or_a_tradition_is_no_place(gaz):
    got = places("The notice ran in English and Spanish. Irish songs opened the French immersion fair, where "
                 "Iraqi forces were the talk.", gaz)
    assert not {"Spanish", "Irish", "French"} & set(got)
    assert got["Iraqi"][0] == "IQ"  # the same text's adjective of the country stays
