"""Coherence (geo.resolve._CandidateIndex): the readings of a local story's names that lie near each other are
what it means, whatever bigger namesakes lie elsewhere; a namesake far smaller than its name's main place
supports nothing. Short texts written for the test."""

from __future__ import annotations

import pytest

from geo.gazetteer import DEFAULT_INDEX, Gazetteer
from geo.geocoders import GazetteerGeocoder
from geo.resolve import resolve_all
from geo.toponyms import find_toponyms

needs_index = pytest.mark.skipif(not DEFAULT_INDEX.exists(),
                                 reason="data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer()


def regions(text: str, gaz: Gazetteer) -> dict[str, tuple[str | None, str | None]]:
    toponyms, _ = find_toponyms(text, 0, gaz)
    return {r.toponym.text: (r.place.country_code, r.place.admin1) if r.place else (None, None)
            for r in resolve_all(toponyms, GazetteerGeocoder(gaz), text=text)}


@needs_index
def test_a_town_and_the_county_around_it_are_read_together(gaz):
    # ten states have a Henry County and several a Paris; only in Tennessee do they lie together
    got = regions("Deputies said the man from Paris was held in the Henry County jail.", gaz)
    assert got["Paris"] == ("US", "TN")
    assert got["Henry County"] == ("US", "TN")


@needs_index
def test_small_namesakes_clustered_abroad_do_not_pull_capitals(gaz):
    # Ontario has a London, a Paris and a Brussels close together; they are villages beside the capitals
    got = regions("Trains from London to Paris and Brussels ran late on Friday, the operator said in Amsterdam.", gaz)
    assert (got["London"][0], got["Paris"][0], got["Brussels"][0]) == ("GB", "FR", "BE")


@needs_index
def test_a_county_whose_indexed_towns_are_few_still_supports_the_town_beside_it(gaz):
    # a US county's population in the index is the sum of its listed towns (a proxy: Madison County, Georgia,
    # lists only villages), so the ratio rule against tiny namesakes must not silence it: the county seat and
    # its county are read together, not a namesake town that lies beside another Madison County
    text = ("Madison will dump assessors.\n\nDANIELSVILLE - Madison County commissioners voted Monday to replace "
            "the board of assessors, the chairman said.")
    got = regions(text, gaz)
    assert got["DANIELSVILLE"] == ("US", "GA")
    assert got["Madison County"] == ("US", "GA")


@needs_index
def test_a_capital_named_for_its_government_pulls_no_suburb_namesake(gaz):
    # "Washington" in foreign-policy copy is the US government: Damascus, Maryland, lies near it, the Syrian
    # capital is meant
    text = ("Washington is ready to talk to the Syrians if this helps Damascus move away from Tehran, a US envoy "
            "said in Israel. Washington will send him back next week.")
    assert regions(text, gaz)["Damascus"][0] == "SY"


@needs_index
def test_a_small_town_called_so_only_in_an_old_name_is_not_confirmed_by_its_neighbours(gaz):
    # GeoNames lists "Paris" as an alternate name of Kosciusko, Mississippi, which lies near Jackson,
    # Mississippi: a bigger town called Paris by its own name is what the copy means, whichever it is
    text = "A girl from Paris will dance in 'Peter Pan' at the theatre in Jackson next month, her mother said."
    toponyms, _ = find_toponyms(text, 0, gaz)
    got = {r.toponym.text: r.place for r in resolve_all(toponyms, GazetteerGeocoder(gaz), text=text)}
    assert got["Paris"].name == "Paris"
