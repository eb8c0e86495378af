"""Brief B15 (issue 11): the general causes fixed for the second blind batch of world reports
(tests/events/world_reports_2.csv). Short texts the project wrote, read through the real pipeline."""

from __future__ import annotations

from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)
from pipeline_fixtures import event_types as _types
from pipeline_fixtures import toll_best as _best



def test_compound_number_words_count_whole():
    assert _best("Thirty-two villagers were killed, the governor said.") == 32
    assert _best("The raid killed twenty one villagers.") == 21


def test_manner_of_death_tells_a_toll_and_the_abducted_do_not():
    assert _best("Police shot dead at least four protesters near the stadium.") == 4
    assert _best("Two brothers were stoned to death by a crowd.") == 2
    assert _best("Gunmen stormed a school, killing 12 people and abducting nine pupils.") == 12
    assert _best("At least 9 fighters from both sides were killed in the battle.") == 9


def test_tear_gas_is_an_intervention_and_the_dead_of_a_dispersal_excessive_force(read):
    gassed = read("date 2021-03-02 DAKAR, SENEGAL – Riot police fired tear gas at opposition demonstrators in "
                  "Ziguinchor on Monday.")
    assert _types(gassed) == [("Protests", "Protest with intervention")]
    shot = read("date 2021-03-02 DAKAR, SENEGAL – Three young men were shot dead in Ziguinchor on Monday as police "
                "dispersed an opposition rally.")
    assert ("Protests", "Excessive force against protesters") in _types(shot)


def test_a_crowd_that_kills_is_mob_violence(read):
    reading = read("date 2021-07-14 LILONGWE, MALAWI – A man accused of stealing goats was killed by villagers in "
                   "Dedza on Tuesday, police said.")
    assert ("Riots", "Mob violence") in _types(reading)


def test_a_peaceful_protest_has_no_toll(read):
    reading = read("date 2022-01-10 RABAT, MOROCCO – Hundreds of nurses marched peacefully in Fez on Sunday after "
                   "the deaths of six children at a regional hospital.")
    events = [e for e in reading.events if e.sub_event_type == "Peaceful protest"]
    assert events and not (events[0].fatalities or {}).get("best")


def test_acled_writes_the_before_some_countries_forces(read):
    reading = read("date 2021-05-02 MANILA, PHILIPPINES – Troops of the Philippines clashed with New People's Army "
                   "guerrillas near Catarman on Saturday, the army said.")
    clash = next(e for e in reading.events if e.sub_event_type == "Armed clash")
    assert (clash.actor1, clash.actor2) == ("Military Forces of the Philippines", "NPA: New People's Army")


def test_rebels_of_a_named_group_are_that_group(read):
    reading = read("date 2021-02-01 BANGUI, CENTRAL AFRICAN REPUBLIC – Rebels from the Coalition of Patriots for "
                   "Change clashed with government troops near Bouar on Sunday.")
    clash = next(e for e in reading.events if e.sub_event_type == "Armed clash")
    assert clash.actor1 == "CPC: Coalition of Patriots for Change"
    assert clash.actor2 != "Rebels"


def test_two_countries_joined_by_and_are_two_sides(read):
    for text in ("Eritrean and Ethiopian troops exchanged fire near Badme on Friday, officials said.",
                 "Soldiers of Eritrea and Ethiopia exchanged fire near Badme on Friday, officials said."):
        reading = read("date 2018-05-02 ASMARA, ERITREA – " + text)
        clash = next(e for e in reading.events if e.sub_event_type == "Armed clash")
        assert (clash.actor1, clash.actor2) == ("Military Forces of Eritrea", "Military Forces of Ethiopia"), text


def test_the_group_an_account_blames_is_actor1_unless_it_denies(read):
    blamed = read("date 2024-02-11 NIAMEY, NIGER – Gunmen on motorbikes killed nine villagers near Tera on Saturday, "
                  "the army said, blaming the Islamic State Sahel Province.")
    assert any(e.actor1 == "Islamic State (Sahel)" for e in blamed.events)
    denied = read("date 2024-02-11 NIAMEY, NIGER – Gunmen on motorbikes killed nine villagers near Tera on Saturday; "
                  "officials blamed the Islamic State Sahel Province, which denied it.")
    assert not any(e.actor1 == "Islamic State (Sahel)" for e in denied.events)


def test_gunmen_in_a_when_clause_after_the_toll_are_the_attackers(read):
    reading = read("date 2022-06-26 TEGUCIGALPA, HONDURAS – Four people were killed when gunmen opened fire at a bar "
                   "in Choloma on Saturday.")
    attack = next(e for e in reading.events if e.event_type == "Violence against civilians")
    assert attack.actor1 == "Unidentified Armed Group (Honduras)"
    assert attack.actor2 == "Civilians (Honduras)"


def test_a_name_before_a_gang_word_is_no_place(read):
    reading = read("date 2024-10-10 – Police fought members of the Gran Grif gang for hours on Thursday, the police "
                   "union said.")
    assert all(e.place is None or e.place.country_code == "HT" for e in reading.events)


def test_a_mayor_detained_is_a_political_arrest(read):
    reading = read("date 2025-03-19 ANKARA, TURKEY – Police detained the mayor of Izmir at his home on Wednesday.")
    assert ("Strategic developments", "Arrests") in _types(reading)


def test_an_arrest_at_the_mayors_home_is_no_arrest_of_the_mayor(read):
    # Q16 (LGL tuning: a council member charged with menacing after an incident at the mayor's residence): a
    # political word in the possessive owns a place; it does not make the arrest political
    reading = read("date 2009-06-11 DAYTON, UNITED STATES – A former village council member was arrested on "
                   "Tuesday after a quarrel at the mayor's house, the sheriff's office said. She was charged with "
                   "trespass and released on bail.")
    assert ("Strategic developments", "Arrests") not in _types(reading)
