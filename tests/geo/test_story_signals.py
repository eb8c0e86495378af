"""Story signals the resolver weighs as features (issue 12): the region a dateline names ("PARIS, Tenn.")
and the home country of an armed group the story names (data/actors.csv country column).

Each text is a short sentence written for these tests, read through the real index and pipeline.
"""

from __future__ import annotations

import pytest

from articles.reader import read_text
from geo.features import FEATURES, load_weights
from geo.gazetteer import DEFAULT_INDEX

pytestmark = pytest.mark.skipif(not DEFAULT_INDEX.exists(),
                                reason="data/gazetteer.sqlite not built (run `clashmap gazetteer build`)")


def chosen(pipeline, text: str) -> dict[str, tuple]:
    reading = pipeline.read(read_text(text))
    return {r.toponym.text: (r.place.country_code, r.place.admin1) if r.place else None for r in reading.mentions}


@pytest.mark.parametrize("text, town, admin1", [
    # another state named in the story does not move the dateline town out of the state its dateline names
    ("PARIS, Tenn. -- A Texas company opened a plant here on Monday, hiring workers from Dallas.", "PARIS", "TN"),
    ("COLUMBIA, Ky. -- A South Carolina band played at the county fair.", "COLUMBIA", "KY"),
])
def test_the_dateline_region_holds_its_town_against_other_states_named(pipeline, text, town, admin1):
    assert chosen(pipeline, text)[town] == ("US", admin1)


def test_a_story_named_groups_country_chooses_among_namesakes(pipeline):
    # Hyderabad in India is the bigger city; a Pakistani group's attack is in Pakistan's
    found = chosen(pipeline, "TTP militants attacked a police post in Hyderabad on Sunday, officials said.")
    assert found["Hyderabad"][0] == "PK"
    # and without the group, the bigger namesake still wins: the signal is the group, not the name
    assert chosen(pipeline, "Militants attacked a police post in Hyderabad on Sunday.")["Hyderabad"][0] == "IN"


def test_the_story_signals_are_weighted_features():
    weights = dict(zip(FEATURES, load_weights()))
    assert weights["dateline_region"] > 0 and weights["actor_country"] > 0
