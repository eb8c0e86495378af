"""Wire-headline failures found on the UCDP tuning half (issue 11, brief E6): each on a short text the project
wrote, read through the real pipeline. Deaths told with "die", "KIA" or "combat death"; a toll of troops and a
civilian; shellings in the plural; fighting told by its intensity with words in between."""

from __future__ import annotations

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)


def _only(reading):
    assert len(reading.events) == 1, [(e.event_type, e.sub_event_type) for e in reading.events]
    return reading.events[0]


@pytest.mark.parametrize("body, sub_type, toll", [
    ("A Malian soldier died near Gao on Saturday.", "Armed clash", 1),
    ("Two militiamen die, one wounded near Gao over the week.", "Armed clash", 2),
    ("Two villagers died in mortar fire near Gao on Saturday.", "Shelling/artillery/missile attack", 2),
    ("Three people die in night shellings of Gao by the army.", "Shelling/artillery/missile attack", 3),
    ("One KIA, two WIA amid nine enemy attacks near Gao over past day - army HQ", "Armed clash", 1),
])
def test_a_death_told_with_die_or_kia_is_an_event_with_its_toll(read, body, sub_type, toll):
    event = _only(read(f"date 2021-03-14 BAMAKO, MALI – {body}"))
    assert event.sub_event_type == sub_type
    assert event.fatalities["best"] == toll


def test_a_combat_death_is_an_armed_clash(read):
    event = _only(read("date 2021-03-14 BAMAKO, MALI – Mali reports first combat death near Gao since new truce"))
    assert (event.event_type, event.sub_event_type) == ("Battles", "Armed clash")


def test_a_death_of_illness_or_in_a_crash_is_no_event(read):
    assert read("date 2021-03-14 BAMAKO, MALI – The former minister died in Gao on Saturday after a long "
                "illness.").events == []


def test_people_killed_in_shellings_are_shelling_victims(read):
    event = _only(read("date 2021-03-14 BAMAKO, MALI – Three people killed in the army's shellings of Gao"))
    assert (event.event_type, event.sub_event_type) == ("Explosions/Remote violence",
                                                        "Shelling/artillery/missile attack")


def test_troops_and_a_civilian_killed_together_is_fighting_not_an_attack_on_civilians(read):
    event = _only(read("date 2021-03-14 BAMAKO, MALI – Two Malian troops, one civilian killed near Gao: military"))
    assert (event.event_type, event.sub_event_type) == ("Battles", "Armed clash")
    assert event.fatalities["best"] == 3


def test_fighting_told_as_heightened_with_words_between_is_fighting(read):
    event = _only(read("date 2021-03-14 BAMAKO, MALI – Conflicting accounts in heightened northern Mali fighting"))
    assert (event.event_type, event.sub_event_type) == ("Battles", "Armed clash")


def test_a_person_named_like_an_armed_group_is_no_armed_party(read):
    # "Wagner" is an alias of the Wagner Group; after a first name it is a person's surname, and a figurative
    # battle in a story with no armed party is no event
    assert read("date 2021-03-14 BAMAKO, MALI – Local singer Paul Wagner lost his long battle with cancer in Gao "
                "on Saturday.").events == []
    event = _only(read("date 2021-03-14 BAMAKO, MALI – Gunmen attacked a police post near Gao on Saturday, "
                       "police spokesman Amadou Wagner said."))
    assert "Wagner Group" not in (event.actor1, event.actor2)


def test_the_group_is_still_read_where_the_text_names_it(read):
    event = _only(read("date 2021-03-14 BAMAKO, MALI – Wagner fighters attacked an army post near Gao on Saturday."))
    assert event.actor1 == "Wagner Group"


def test_the_source_of_the_report_is_not_a_side_of_the_event(read):
    event = _only(read("date 2021-03-14 BAMAKO, MALI – Three civilians were killed in clashes near Gao on Saturday, "
                       "the police said."))
    assert event.actor1 != "Police Forces of Mali"
    assert event.claimed_by.lower() == "police"


@pytest.mark.parametrize("body", [
    "One Malian soldier wounded amid 14 enemy attacks near Gao in past 24 hours - army HQ",
    "One Malian soldier reported wounded near Gao on Saturday",
])
def test_soldiers_wounded_or_enemy_attacks_are_a_clash_with_no_toll(read, body):
    event = _only(read(f"date 2021-03-14 BAMAKO, MALI – {body}"))
    assert (event.event_type, event.sub_event_type) == ("Battles", "Armed clash")
    assert not (event.fatalities or {}).get("best")


def test_a_man_wounded_in_a_road_accident_is_no_event(read):
    assert read("date 2021-03-14 BAMAKO, MALI – A driver was wounded in a road accident near Gao on "
                "Saturday.").events == []


def test_a_police_raid_is_no_armed_clash(read):
    # a raid by police is a search or an arrest (ACLED: Arrests, only when politically significant), not a battle
    assert read("date 2021-03-14 BAMAKO, MALI – Two suspects were arrested in a police raid on a house in Gao on "
                "Saturday.").events == []
    event = _only(read("date 2021-03-14 BAMAKO, MALI – Two soldiers were killed in a militant raid on an army "
                       "post near Gao on Saturday."))
    assert (event.event_type, event.sub_event_type) == ("Battles", "Armed clash")


@pytest.mark.parametrize("body", [
    "Teachers will return to class on Monday after protesting in Gao on Saturday.",
    "The union will decide on Monday after teachers set off on a march from Gao to Kidal on Saturday.",
])
def test_a_future_main_clause_does_not_make_a_past_protest_future(read, body):
    event = _only(read(f"date 2021-03-14 BAMAKO, MALI – {body}"))
    assert event.event_type == "Protests"


def test_a_protest_under_will_is_still_no_event(read):
    assert read("date 2021-03-14 BAMAKO, MALI – Teachers will be protesting in Gao next week after talks on "
                "pay failed.").events == []


def test_a_wire_slug_before_the_headline_does_not_make_its_first_word_a_name(read):
    # "UPDATE 2-Fighting ...": the headline starts after the slug; "Fighting" is not part of a name
    event = _only(read("date 2021-03-14 BAMAKO, MALI – UPDATE 2-Fighting rages in northern Mali town of Gao, dozens "
                       "dead"))
    assert (event.event_type, event.sub_event_type) == ("Battles", "Armed clash")
    assert event.fatalities["best"] == 12


@pytest.mark.parametrize("body, toll", [
    ("Mali fighting kills 28 near Gao as clock ticks to ceasefire", 28),
    ("Clashes near Gao kill 8, hurting push for new truce", 8),
])
def test_a_toll_told_with_a_truce_is_the_fighting_not_an_agreement(read, body, toll):
    event = _only(read(f"date 2021-03-14 BAMAKO, MALI – {body}"))
    assert event.event_type == "Battles"
    assert event.fatalities["best"] == toll


def test_a_truce_signed_is_still_an_agreement(read):
    event = _only(read("date 2021-03-14 BAMAKO, MALI – The government and the rebels signed a ceasefire in Gao on "
                       "Saturday."))
    assert event.sub_event_type == "Agreement"


def test_a_capitalised_trigger_word_after_a_quoted_nickname_stays_a_name(read):
    assert read('date 2021-03-14 BAMAKO, MALI – Moussa "Big Mo" Shell, 38, was released from the prison in Gao '
                'on Saturday.').events == []


def test_the_trace_says_why_a_police_raid_gave_nothing(read):
    from clashmap.trace import tracing

    with tracing() as trace:
        read("date 2021-03-14 BAMAKO, MALI – A police raid on a house in Gao on Saturday found nothing.")
    dropped = [d for d in trace.of("events.drop") if d.subject == "raid"]
    assert dropped and "unless" in dropped[0].reason and "police raid" in dropped[0].reason
