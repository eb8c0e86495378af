"""Words that count people (issue 11, item 5): lists of victims add up, one person named in the singular is
one, a plural with no figure is the least a plural means, vague counts read as ACLED reads them, and the
number words, the nouns for people and the vague counts come from data files an editor can extend."""

from __future__ import annotations

import pytest

from clashmap.errors import ConfigError
from events.numbers import find_fatalities, number_words, people_nouns


@pytest.mark.parametrize("text, expected", [
    ("Two border guards, one customs officer killed near the river", (3, 3, 3)),  # a list adds up
    ("Three gunmen, civilian killed in raid on the market town", (4, 4, 4)),
    ("Farmer and teenager killed in attack on hamlet", (2, 2, 2)),
    ("At least 21 soldiers, police killed in ambush on convoy", (21, 21, None)),  # the plural shares the figure
    ("Army reports death of civilian, 3 militiamen after night raid", (4, 4, 4)),
])
def test_victims_listed_together_add_up(text, expected):
    found = find_fatalities(text)
    assert found is not None and (found.low, found.best, found.high) == expected


@pytest.mark.parametrize("text", [
    "Provincial militia fighter killed in drone strike",
    "Village council member's driver killed by roadside bomb",
    "Army service member dies of wounds in hospital",
    "Police investigate killing of student near campus",
    "Stray shell kills 9-year-old in border village",
])
def test_one_person_named_in_the_singular_is_one_killed(text):
    found = find_fatalities(text)
    assert found is not None and found.best == 1


@pytest.mark.parametrize("text, best", [
    ("Snipers kill two guards at checkpoint", 2),  # the verb's base form
    ("Bombing kills 14 ahead of election", 14),
    ("Death toll from the rebels’ attack on the northern garrison rises to seven", 7),
    ("Sixteen villagers killed in raid", 16),  # every number word to nineteen
    ("Bulletin: 1 KIA, 3 WIA amid eleven attacks overnight", 1),  # killed in action
    ("Army bulletin reports 2 KIA's, 4 WIA's", 2),
    ("Nine civilians including three children died when the shell hit", 9),  # the first figure holds the second
])
def test_more_ways_to_write_a_count(text, best):
    found = find_fatalities(text)
    assert found is not None and found.best == best


@pytest.mark.parametrize("text, expected", [
    ("Dozens killed as fighting spreads", (12, 12, None)),  # ACLED: dozens -> 12
    ("Hundreds dead after siege", (100, 100, None)),  # ACLED: hundreds -> 100
    ("Soldiers killed in clashes on the frontier", (2, 2, None)),  # a plural, no figure: at least two
    ("Roadside bomb kills policemen in the south", (2, 2, None)),
])
def test_vague_counts_are_read_conservatively(text, expected):
    found = find_fatalities(text)
    assert found is not None and (found.low, found.best, found.high) == expected


def test_no_person_no_count():
    assert find_fatalities("Shelling destroyed buildings and killed livestock in the valley.") is None
    assert find_fatalities("Soldiers of the 53rd brigade took the hill.") is None


def test_bad_rows_in_the_data_files_name_file_and_line(tmp_path):
    bad = tmp_path / "event_numbers.csv"
    bad.write_text("word,value,vague,reason\ndozens,many,yes,no figure\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"event_numbers\.csv: line 2"):
        number_words(bad)
    nouns = tmp_path / "event_numbers_people.csv"
    nouns.write_text("noun,number,reason\nherders,lots,pastoralists\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"event_numbers_people\.csv: line 2"):
        people_nouns(nouns)
    with pytest.raises(ConfigError, match="cannot be read"):
        number_words(tmp_path / "missing.csv")


@pytest.mark.parametrize("text, best", [
    ("Rebels killed the village chief on Sunday", 1),  # who killed, not who died: the chief, no rebel
    ("Soldier killed the gunman who attacked the post", 1),  # the gunman is the one
    ("Rebels killed in clashes with the army", 2),
])
def test_a_subject_that_killed_is_no_victim(text, best):
    found = find_fatalities(text)
    assert (found.best if found else None) == best


@pytest.mark.parametrize("text, best", [
    ("Boy wounded in the market blast dies in hospital", 1),
    ("Union condemns the reporter's brutal killing in the capital", 1),
    ("Army reports first combat death since the truce", 1),
    ("Court hands down a death sentence to the bomber", None),  # no one died
    ("The death toll is not yet known", None),
])
def test_one_death_told_without_a_figure(text, best):
    found = find_fatalities(text)
    assert (found.best if found else None) == best
