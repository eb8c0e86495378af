"""Protests and riots from any country (brief P17, issue 11): who intervened and with what force, a crowd that
riots at a commemoration, groups fighting each other, people blocking a road, a march that is only planned or
banned. Short texts the project wrote, read through the real pipeline."""

from __future__ import annotations

from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)
from pipeline_fixtures import event_types as _types


def test_pepper_balls_fired_at_a_crowd_are_an_intervention_not_excessive_force(read):
    reading = read("date 2024-03-05 NAIROBI, KENYA – Riot police fired pepper balls and rubber pellets at "
                   "demonstrators outside the health ministry in Nairobi on Monday.")
    assert _types(reading) == [("Protests", "Protest with intervention")]
    assert (reading.events[0].actor1, reading.events[0].actor2) == ("Protesters (Kenya)", "Police Forces of Kenya")


def test_a_march_planned_or_banned_is_no_event(read):
    assert _types(read("date 2024-03-05 ANKARA, TURKEY – An appeals court in Ankara upheld a ban on a march "
                       "planned for Saturday.")) == []


def test_a_riot_at_an_anniversary_march_is_todays_riot(read):
    reading = read("date 2024-10-21 LAGOS, NIGERIA – Youths threw stones at riot police in Lagos on Sunday during "
                   "a march marking the fourth anniversary of the toll gate shootings.")
    assert ("Riots", "Violent demonstration") in _types(reading)


def test_groups_pelting_each_other_are_rioters_on_both_sides(read):
    reading = read("date 2024-05-13 ACCRA, GHANA – Rival party supporters pelted each other with stones in Kumasi "
                   "on Sunday.")
    riots = [e for e in reading.events if e.sub_event_type == "Mob violence"]
    assert [(e.actor1, e.actor2) for e in riots] == [("Rioters (Ghana)", "Rioters (Ghana)")]


def test_farmers_blocking_a_highway_protest(read):
    reading = read("date 2024-02-20 LAHORE, PAKISTAN – Farmers blocked the main highway into Lahore with "
                   "tractors on Monday to demand higher wheat prices.")
    assert _types(reading) == [("Protests", "Peaceful protest")]
    assert reading.events[0].actor1 == "Protesters (Pakistan)"


def test_a_crowd_storming_a_post_riots_and_the_force_is_the_other_side(read):
    reading = read("date 2025-10-02 RABAT, MOROCCO – Two men were shot dead by gendarmes in Khouribga on Wednesday "
                   "when a crowd tried to storm a gendarmerie post.")
    riots = [e for e in reading.events if e.event_type == "Riots"]
    assert [(e.actor1, e.actor2) for e in riots] == [("Rioters (Morocco)", "Police Forces of Morocco")]
