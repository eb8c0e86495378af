"""Tolls of the killed as headlines write them (issue 11, item 5; branch f2, from the UCDP tuning half's
fatalities misses): the wounded listed after the killed add nothing, a count before "die" is a count, a death
told as a life lost is one, and a person named with an "of" phrase before the verb is one."""

from __future__ import annotations

import pytest

from clashmap.errors import ConfigError
from events.numbers import find_fatalities, hurt_words


@pytest.mark.parametrize("text, best", [
    ("Raiders killed 8 villagers, injure 5 people over the month - council", 8),  # a headline's present tense
    ("Rebels killed 8 villagers, wounded 5 people in the raid", 8),
    ("Bandits killed 4 farmers and wounded 6 others near the dam", 4),
    ("Gunmen killed 3 soldiers, 2 civilians in the raid", 5),  # a list of the killed still adds up
])
def test_the_wounded_listed_after_the_killed_are_no_toll(text, best):
    found = find_fatalities(text)
    assert found is not None and found.best == best


@pytest.mark.parametrize("text, expected", [
    ("Four die in militia raid on river town", (4, 4, 4)),
    ("Dozens die in street battles in the port", (12, 12, None)),  # ACLED's 12 for "dozens"
])
def test_a_count_before_die(text, expected):
    found = find_fatalities(text)
    assert found is not None and (found.low, found.best, found.high) == expected


@pytest.mark.parametrize("text, expected", [
    ("The ambush on the convoy claimed three lives", (3, 3, 3)),
    ("Border fighting claims more lives as talks stall", (2, 2, None)),  # a plural, no figure: at least two
])
def test_lives_claimed_are_deaths(text, expected):
    found = find_fatalities(text)
    assert found is not None and (found.low, found.best, found.high) == expected


@pytest.mark.parametrize("text", [
    "Member of the demining team killed near the depot, two persons wounded",
    "Driver of a van that rammed the barrier shot dead at the checkpoint",
    "Mother of three killed in the raid on the hamlet",  # her children's number is no toll
])
def test_one_person_named_with_an_of_phrase_is_one(text):
    found = find_fatalities(text)
    assert found is not None and (found.low, found.best, found.high) == (1, 1, 1)


@pytest.mark.parametrize("text, expected", [
    ("Inquiry into the killing of two guards at the border post", (2, 2, 2)),  # a figure, not "guards" (2..)
    ("Families mourn the deaths of 4 soldiers in the ambush", (4, 4, 4)),
])
def test_a_count_after_killing_of(text, expected):
    found = find_fatalities(text)
    assert found is not None and (found.low, found.best, found.high) == expected


def test_a_count_of_people_named_with_an_of_phrase():
    found = find_fatalities("Six members of one household died when a rocket hit their home")
    assert found is not None and (found.low, found.best, found.high) == (6, 6, 6)  # not "one household died"


def test_no_count_before_die_in_an_infinitive_or_after_a():
    found = find_fatalities("The wounded guard took ten minutes to die after the blast")
    assert found is None or found.best != 10
    assert find_fatalities("Police say a local family died in the blaze") is None


def test_die_inside_a_word_and_an_of_phrase_with_an_object():
    assert find_fatalities("Two die-hard fans arrested after the match") is None
    # the "of" phrase's verb has an object: the two soldiers died, not the commander
    found = find_fatalities("Commander of the unit that killed two soldiers was arrested")
    assert found is not None and found.best == 2


def test_the_wounded_words_are_data_with_reasons(tmp_path):
    assert {"wounded", "injured", "injure"} <= set(hurt_words())
    bad = tmp_path / "hurt.csv"
    bad.write_text("word,reason\nmaimed,\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2: needs a word and a reason"):
        hurt_words(bad)
