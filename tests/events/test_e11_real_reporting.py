"""Brief E11 (issue 11): protests planned, not held, and words of protest in another sense; the real events beside
them stay. Short texts the project wrote, read through the real pipeline."""

from __future__ import annotations

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)
from pipeline_fixtures import event_types as _types


@pytest.mark.parametrize("body", [
    # "protest" as a compound noun under a plan: the rallies have not happened
    "Opposition parties are planning to launch protest rallies in Kutaisi from April 9, a party leader said.",
    "The unions called on Monday for street protest marches in Kutaisi next month.",
])
def test_a_planned_protest_named_by_a_compound_noun_is_no_event(read, body):
    assert _types(read(f"date 2011-03-30 TBILISI, GEORGIA – {body}")) == []


def test_a_protest_held_stays_an_event(read):
    reading = read("date 2011-03-30 TBILISI, GEORGIA – Thousands held protest rallies in Kutaisi on Saturday.")
    assert ("Protests", "Peaceful protest") in _types(reading)


@pytest.mark.parametrize("body", [
    # a showing at a fair, not a protest
    "Visitors to the garden festival in Columbia can learn new skills during timed demonstrations on Saturday.",
    "The fair in Columbia on Saturday offers cooking demonstrations and live music.",
    # protests summed up, with no one day or place
    "Residents say the land seizures in the region have led to numerous protests over the years.",
])
def test_a_showing_or_protests_summed_up_is_no_event(read, body):
    assert _types(read(f"date 2009-04-02 COLUMBIA, UNITED STATES – {body}")) == []


def test_demonstrations_against_a_government_stay_an_event(read):
    reading = read("date 2009-04-02 COLUMBIA, UNITED STATES – Students held demonstrations outside the state house "
                   "in Columbia on Saturday against tuition rises.")
    assert ("Protests", "Peaceful protest") in _types(reading)


@pytest.mark.parametrize("body", [
    "An expert will examine the Taser that was fired at the man by a constable at the airport in Richmond.",
    "Officers said a stun gun was fired at the suspect outside a bar in Richmond on Friday.",
])
def test_a_stun_gun_fired_at_someone_is_no_shelling(read, body):
    kinds = _types(read(f"date 2009-03-20 VANCOUVER, CANADA – {body}"))
    assert ("Explosions/Remote violence", "Shelling/artillery/missile attack") not in kinds


def test_shells_fired_at_a_village_stay_shelling(read):
    reading = read("date 2020-10-04 KABUL, AFGHANISTAN – Mortar shells were fired at the village of Qarabagh on "
                   "Sunday, police said.")
    assert ("Explosions/Remote violence", "Shelling/artillery/missile attack") in _types(reading)


def test_a_police_shooting_told_at_length_with_gunfire_is_a_crime_not_a_battle(read):
    # "gunfire" names a weapon fired, by anyone: it is no sign of organised armed groups fighting
    reading = read("date 2009-03-24 SAN JOSE, UNITED STATES – A police officer who was shot by a man wanted on a "
                   "parole violation died on Monday, a hospital spokeswoman said. Investigators said the routine "
                   "traffic stop in Fremont ended in gunfire. The man had served time in prison for robbery. "
                   "Flowers piled up outside the police headquarters.")
    assert _types(reading) == []


@pytest.mark.parametrize("body", [
    "Russia protested on Wednesday over the killing of a photographer near Donetsk.",
    "The foreign ministry protested the detention of two of its diplomats in Donetsk.",
])
def test_a_state_protesting_is_diplomacy_not_a_protest(read, body):
    kinds = _types(read(f"date 2014-09-03 MOSCOW, RUSSIA – {body}"))
    assert ("Protests", "Peaceful protest") not in kinds


def test_people_protesting_stay_a_protest(read):
    reading = read("date 2014-09-03 MOSCOW, RUSSIA – Hundreds of residents protested in Kursk on Wednesday over "
                   "the closure of a hospital.")
    assert ("Protests", "Peaceful protest") in _types(reading)


def test_the_killing_a_state_protests_over_stays_an_event(read):
    # the diplomatic protest is no event; the killing it is about is one (a civilian killed: an attack)
    reading = read("date 2014-09-03 MOSCOW, RUSSIA – Russia protested on Wednesday over a photographer's killing "
                   "near Donetsk.")
    assert _types(reading) == [("Violence against civilians", "Attack")]


def test_a_killing_amid_an_enemy_attack_is_the_attacks_toll(read):
    reading = read("date 2020-07-03 KYIV, UKRAINE – Police are investigating the killing of a farmer amid an enemy "
                   "attack near Avdiivka.")
    assert ("Violence against civilians", "Attack") not in _types(reading)


@pytest.mark.parametrize("body", [
    "During her term on the board in Lumpkin she campaigned for a new library and fought to build a new school.",
])
def test_fighting_for_a_cause_is_no_battle(read, body):
    # the story names an army (a base moving to town), so the figurative fight is not dropped for want of one
    army = "The school board expects growth after the Army moves its training school to Fort Benning."
    assert _types(read(f"date 2008-11-05 COLUMBUS, UNITED STATES – {army} {body}")) == []


def test_troops_fighting_for_a_town_stay_a_battle(read):
    reading = read("date 2020-10-04 KABUL, AFGHANISTAN – Government troops fought Taliban fighters for control of "
                   "Qarabagh on Sunday.")
    assert ("Battles", "Armed clash") in _types(reading)


def test_an_attack_on_a_sector_of_the_front_is_placed_by_the_next_sentence(read):
    reading = read("date 2021-05-02 KABUL, AFGHANISTAN – The army said Taliban fighters had launched an attack in the "
                   "northern sector of the front overnight. The fighting went on in the villages of Qarabagh district "
                   "until dawn, the army said.")
    clash = next(e for e in reading.events if e.sub_event_type == "Armed clash")
    assert clash.place is not None and clash.place.name.startswith("Qara")  # the gazetteer spells it Qarah Bāgh


def test_a_named_lynching_of_a_past_year_is_no_event_of_the_day(read):
    reading = read("date 2009-03-29 ATLANTA, UNITED STATES – Investigators hope people still living can help them "
                   "solve the 1946 Oak Creek lynching near Monroe.")
    assert ("Riots", "Mob violence") not in _types(reading)
