"""Brief E14 (issue 11): the general causes fixed for the world reports, each with a text that must stay no event
(or keep its type) beside it. Short texts the project wrote, read through the real pipeline."""

from __future__ import annotations

from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)
from pipeline_fixtures import event_types as _types


def test_a_campaign_headquarters_is_no_base_of_an_armed_group(read):
    reading = read("date 2009-05-05 MACON, UNITED STATES – To bring people downtown, the mayor set up campaign "
                   "headquarters in an empty store on Main Street on Monday.")
    assert ("Strategic developments", "Headquarters or base established") not in _types(reading)


def test_a_military_base_set_up_is_a_base_established(read):
    reading = read("date 2022-05-04 ERBIL, IRAQ – Turkish troops set up a new military base near Amadiya on Tuesday.")
    assert ("Strategic developments", "Headquarters or base established") in _types(reading)


def test_supporters_arrested_are_arrests_and_supporters_tear_gassed_a_protest(read):
    arrested = read("date 2020-11-25 KAMPALA, UGANDA – Police arrested a party leader and 20 of his supporters in "
                    "Jinja on Tuesday.")
    assert _types(arrested) == [("Strategic developments", "Arrests")]
    gassed = read("date 2020-11-25 KAMPALA, UGANDA – Police fired tear gas at opposition supporters in Jinja on "
                  "Tuesday.")
    assert _types(gassed) == [("Protests", "Protest with intervention")]


def test_a_group_claiming_a_bombing_is_its_actor1(read):
    reading = read("date 2021-02-17 BAGHDAD, IRAQ – A bomb exploded at a market in Tikrit on Tuesday, killing three "
                   "people. Islamic State claimed responsibility for the bombing.")
    assert [e.actor1 for e in reading.events] == ["Islamic State (Iraq)"]


def test_gunmen_attacking_a_police_post_fight_a_battle_not_civilians(read):
    reading = read("date 2019-06-10 NAZRAN, RUSSIA – Gunmen opened fire on a police post in Karabulak on Sunday, "
                   "killing three officers.")
    assert _types(reading) == [("Battles", "Armed clash")]
    assert reading.events[0].actor2 == "Police Forces of Russia"
