"""Fatalities only from figures that count the killed (issue 11, item 5): never a year, an age or a unit number."""

from __future__ import annotations

import pytest

from events.numbers import find_fatalities


@pytest.mark.parametrize("text, best", [
    ("In May 2020 two soldiers were killed near the border.", 2),  # the year is passed over, the count is read
    ("Since 2019, 14 villagers were killed in raids on the valley.", 14),
    ("One killed in attack on market in river town.", 1),  # a headline's bare count
    ("More than 50 self-defence fighters killed during air raid.", 50),
    ("Gunmen kill three police in the north of the province.", 3),
    ("New wave of fighting kills 11 in the east.", 11),
    ("17 people die in artillery strikes on the port.", 17),
    ("Police officer killed, two injured in rebel attack.", 1),
    ("Army shelling kills two militiamen near the river crossing.", 2),
    ("Rebels say the army broke the truce 40 times, kills one", 1),
    ("Militia reports death of fighter in night raid", 1),
])
def test_the_count_of_the_killed_is_read_past_years(text, best):
    assert find_fatalities(text).best == best


@pytest.mark.parametrize("text", [
    "In 2020 soldiers were killed along the river, the report recalled.",
    "Soldiers of the 53rd brigade were killed in the ambush.",
    "A 25-year-old man was killed at the market.",  # the age is no count: "a man" is not written as a figure
    "Relatives mourned in June 2021 dead relatives of the 2018 massacre.",
    "The man killed in 1999 was remembered.",
])
def test_years_ages_and_units_are_no_death_toll(text):
    found = find_fatalities(text)
    assert found is None or found.best not in (2020, 53, 25, 2021, 2018)
