"""Misreads of real reporting (issue 11, brief E9), each on a short text the project wrote, read through the real
pipeline: a crowd that clashes riots (no battle), numbers of people counted from a coordinated pair, a killing
in a story naming no armed side, a title-cased headline's verb, the report's source, the modality of a clause."""

from __future__ import annotations

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)


def _only(reading):
    assert len(reading.events) == 1, [(e.event_type, e.sub_event_type) for e in reading.events]
    return reading.events[0]


@pytest.mark.parametrize("text", [
    "date 2024-03-05 Protesters Clash With Police In Kisumu Over Fuel Prices",
    "date 2024-03-05 NAIROBI, KENYA – Protesters clashed with police in Kisumu on Monday.",
    "date 2024-03-05 NAIROBI, KENYA – Police clashed with demonstrators in Kisumu on Monday.",
])
def test_a_crowd_clashing_with_police_is_a_riot_not_a_battle_nor_a_peaceful_protest(read, text):
    event = _only(read(text))
    assert (event.event_type, event.sub_event_type) == ("Riots", "Violent demonstration")
    assert event.actor1 == "Rioters (Kenya)"
    assert event.actor2 == "Police Forces of Kenya"
    assert event.place is not None and event.place.name == "Kisumu"


@pytest.mark.parametrize("body, toll", [
    ("Gunmen killed a farmer and his wife in a village near Jos on Sunday.", 2),
    ("Gunmen stormed a village near Jos on Sunday and killed a man and his two sons.", 3),
])
def test_every_person_of_a_coordinated_list_of_victims_is_counted(read, body, toll):
    event = _only(read(f"date 2024-03-05 LAGOS, NIGERIA – {body}"))
    assert event.fatalities is not None and event.fatalities["best"] == toll


@pytest.mark.parametrize("sentence, toll", [
    ("The attack killed two soldiers and three civilians were wounded.", 2),  # the wounded are no toll
    ("Gunmen killed a teacher's son and his wife.", 2),
])
def test_a_list_after_the_verb_counts_its_dead_only(sentence, toll):
    from events.numbers import find_fatalities

    assert find_fatalities(sentence).best == toll


def test_a_killing_in_a_story_naming_no_armed_side_is_a_crime_not_a_battle(read):
    reading = read("date 2024-03-05 LEEDS, UNITED KINGDOM – Detectives reopened the case of a woman who vanished "
                   "from Leeds in 1990. Her remains were found in a garden last week. \"I think he killed her the day she "
                   "left,\" her sister told reporters on Monday.")
    assert [(e.event_type, e.sub_event_type) for e in reading.events] == []


def test_a_killing_in_a_story_of_fighting_stays_a_battle(read):
    event = _only(read("date 2024-03-05 BAMAKO, MALI – The army has fought militants around Gao since January. "
                       "Two were killed near Gao on Monday."))
    assert (event.event_type, event.fatalities["best"]) == ("Battles", 2)


def _headline(pipeline, title: str):
    """A headline read as a feed gives it: the title alone, dated by the feed."""
    from datetime import date

    from articles.reader import read_text

    return pipeline.read(read_text(title, source="test", published=date(2024, 3, 5)))


def test_a_headline_killing_with_no_armed_side_named_stays_an_event(pipeline):
    # a one-line report is too short for the absence of an armed side to say it is a crime
    event = _only(_headline(pipeline, "Six killed in northern Mali as tensions rise"))
    assert (event.event_type, event.fatalities["best"]) == ("Battles", 6)


def test_one_killing_told_undated_in_the_lede_and_dated_in_the_body_is_one_event(read):
    # Ikeja is a part of Lagos: the lede's undated mention and the body's dated one are the same event
    event = _only(read("date 2024-03-07 ABUJA, NIGERIA – Soldiers shot dead a trader at a market in Ikeja, his "
                       "family said.\n\nThe family said soldiers shot the trader in Lagos on Wednesday after he "
                       "refused to pay a bribe."))
    assert (event.event_type, event.sub_event_type) == ("Violence against civilians", "Attack")
    assert str(event.event_date) == "2024-03-06"


def test_two_undated_killings_far_apart_stay_two_events(read):
    reading = read("date 2024-03-07 ABUJA, NIGERIA – Soldiers shot dead a trader at a market in Kano, his family "
                   "said.\n\nThe family said soldiers shot another trader in Lagos on Wednesday after he refused to "
                   "pay a bribe.")
    assert sorted(e.place.name for e in reading.events) == ["Kano", "Lagos"]


def test_a_denial_far_before_the_trigger_still_governs_its_clause(read):
    # 'denied' is ninety characters before 'shelled', beyond any fixed window: the parse links them
    assert read("date 2024-03-05 BAMAKO, MALI – The army denied on Tuesday, in a long statement read out on state "
                "television by its spokesman, that its troops shelled Gao.").events == []


def test_a_modal_of_another_clause_does_not_reach_a_verb_in_the_past(read):
    event = _only(read("date 2024-03-05 NAIROBI, KENYA – Teachers who will sit exams next month protested in Nakuru "
                       "on Monday."))
    assert (event.event_type, event.place.name) == ("Protests", "Nakuru")


@pytest.mark.parametrize("body", [
    "The army said militants attacked a base near Gao on Sunday.",
    "Militants attacked a base near Gao on Sunday, said the army.",
    "According to the army, militants attacked a base near Gao on Sunday.",
])
def test_the_source_of_the_report_is_claimed_by_not_a_side(read, body):
    event = _only(read(f"date 2024-03-05 BAMAKO, MALI – {body}"))
    assert event.actor1 == "Unidentified Armed Group (Mali)"
    assert event.actor2 is None
    assert event.claimed_by == "Army"


@pytest.mark.parametrize("title", [
    "Malian Serviceman Dies Near Gao",
    "Reporter Dies Of Wounds In Gao",
])
def test_a_title_case_headline_telling_a_death_with_dies_is_an_event(pipeline, title):
    event = _only(_headline(pipeline, title))
    assert (event.event_type, event.fatalities["best"], event.place.name) == ("Battles", 1, "Gao")


def test_a_death_of_old_age_told_with_dies_is_no_event(pipeline):
    assert _headline(pipeline, "Former Minister Dies In Gao Aged 84").events == []


@pytest.mark.parametrize("body", [
    "The foreign ministry lodged a formal protest with the Ugandan ambassador in Nairobi on Monday.",
    "The senator protested the ruling in a letter sent to the court in Nairobi on Monday.",
    "The protests, which began in Kisumu in 2019, forced the minister to resign.",
])
def test_a_verbal_or_recalled_protest_is_no_event(read, body):
    assert read(f"date 2024-03-05 NAIROBI, KENYA – {body}").events == []


def test_nurses_rallying_is_still_a_protest(read):
    event = _only(read("date 2024-03-05 NAIROBI, KENYA – Hundreds of nurses rallied outside parliament in Nairobi on "
                       "Monday, in a protest over unpaid wages."))
    assert (event.event_type, event.sub_event_type) == ("Protests", "Peaceful protest")


def test_a_riot_told_in_a_region_then_at_a_town_of_it_is_one_event_at_the_town(read):
    reading = read("date 2024-03-06 BAMAKO, MALI – Young men burned tyres and attacked police posts in the Gao region "
                   "on Monday, a day after gunmen shot dead a local chief, residents said.\n\nThe chief was killed when "
                   "gunmen opened fire on his car on Sunday near the village of Bara, residents said.\n\nIn the town of "
                   "Ansongo, rioters drove police out of two checkpoints, residents said.")
    riots = [e for e in reading.events if e.event_type == "Riots"]
    assert [(e.place.name, str(e.event_date)) for e in riots] == [("Ansongo", "2024-03-04")]


@pytest.mark.parametrize("body, sides", [
    ("Police fired tear gas to disperse students protesting in Nairobi on Monday.",
     ("Protesters (Kenya)", "Police Forces of Kenya")),
    ("Hundreds of nurses rallied outside parliament in Nairobi on Monday.", ("Protesters (Kenya)", None)),
    ("Residents blocked the main road in Nairobi on Monday to protest against power cuts.", ("Protesters (Kenya)", None)),
])
def test_a_protest_is_its_protesters_event_the_police_acted_upon_it(read, body, sides):
    event = _only(read(f"date 2024-03-05 NAIROBI, KENYA – {body}"))
    assert event.event_type == "Protests"
    assert (event.actor1, event.actor2) == sides


def test_soldiers_named_without_a_country_are_the_state_forces_of_the_event_place(read):
    event = _only(read("date 2024-03-07 ABUJA, NIGERIA – Soldiers shot dead a trader at a market in Ikeja on Wednesday, "
                       "his family said."))
    assert (event.event_type, event.sub_event_type) == ("Violence against civilians", "Attack")
    assert (event.actor1, event.actor2) == ("Military Forces of Nigeria", "Civilians (Nigeria)")
    assert event.fatalities["best"] == 1


def test_a_year_compared_with_does_not_make_the_event_background(read):
    event = _only(read("date 2024-03-05 BAMAKO, MALI – Militants killed nine soldiers near Gao, the deadliest attack "
                       "on the army since 2019."))
    assert event.fatalities["best"] == 9


def test_a_weapon_as_subject_names_no_state_force(read):
    event = _only(read("date 2024-03-07 ABUJA, NIGERIA – Artillery shelled Ikeja on Wednesday, killing two civilians."))
    assert event.actor1 is None
