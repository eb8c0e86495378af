"""Fatality figures as ACLED's low/best/high, and equipment losses by kind."""

from __future__ import annotations

import pytest

from events.numbers import find_fatalities, find_losses


@pytest.mark.parametrize("text, expected", [
    ("Five civilians were killed when the shell hit.", (5, 5, 5)),
    ("At least 33 soldiers were killed in the strike.", (33, 33, None)),
    ("More than 40 people were killed at the market.", (40, 40, None)),
    ("About 280 bodies were found; officials said 280 people died.", (280, 280, 280)),
    ("The raid killed about 280 people, officials said.", (None, 280, None)),
    ("Up to 12 fighters died in the ambush.", (None, 12, 12)),
    ("Between 25 and 37 soldiers were killed on the highway.", (25, 25, 37)),
    ("The death toll rose to at least 13 on Sunday.", (13, 13, None)),
])
def test_fatalities_follow_the_qualifier(text, expected):
    found = find_fatalities(text)
    assert found is not None
    assert (found.low, found.best, found.high) == expected
    assert text[found.start:found.end]  # the span is the evidence


def test_no_figure_no_fatalities():
    assert find_fatalities("Several buildings were damaged, officials said.") is None


def test_losses_by_kind_from_a_ministry_list():
    text = "the enemy lost 4 tanks, 20 other armored vehicles, 11 soft-skinned vehicles, and 2 UAVs overnight"
    losses, spans = find_losses(text)
    assert losses == {"tanks": 4, "armored vehicles": 20, "soft-skinned vehicles": 11, "UAVs": 2}
    assert [text[s:e] for s, e in spans][0] == "4 tanks"


def test_victims_listed_together_add_up():
    found = find_fatalities("Government shelling killed seven Turkish soldiers and a civilian contractor.")
    assert (found.low, found.best, found.high) == (8, 8, 8)
    assert find_fatalities("The strike killed five people and wounded ten.").best == 5  # the wounded are not counted
