"""Events on news that is not about war, and known misreads (issue 11, brief E10), each on a short text the project
wrote, read through the real pipeline: accidents, sport, illness and history give no event; territory taken must
be a place; a crime story naming no armed side gives no attack on civilians; "demonstrated" with an object is to
show; a killing with abductions is the attack; soldiers attacked are actor2; a habit is no event; strikes and
sit-ins are protests."""

from __future__ import annotations

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)
from pipeline_fixtures import event_types as _types


def _only(reading):
    assert len(reading.events) == 1, _types(reading)
    return reading.events[0]


@pytest.mark.parametrize("text", [
    # accident: a road death, a fire
    "date 2024-03-05 A retired teacher, 81, was killed on Monday in Millbrook when a delivery van accidentally "
    "reversed into her on a driveway.",
    "date 2024-03-05 Two children were killed in a house fire in Millbrook on Monday night, officials said.",
    # sport: a title captured, a player brought down
    # (police on duty at the ground: a story naming the police is no figurative-battle story by that alone)
    "date 2024-03-05 Harbour City beat Millbrook 2-0, capturing their third straight league title on Sunday as "
    "police held back fans.",
    "date 2024-03-05 The home side opened the scoreline when their captain was brought down in the box.",
    # illness
    "date 2024-03-05 The former mayor of Millbrook died on Monday after a long battle with cancer.",
    # history
    "date 2024-03-05 Twenty years ago, a gunman killed six people in a bank in Millbrook.",
    # a charge brought by prosecutors is court news
    "date 2024-03-05 ATLANTA, GEORGIA – Prosecutors charged a teenager on Monday with killing two soldiers outside a "
    "bar in Macon.",
    # a past year naming the act itself
    "date 2024-03-05 ATLANTA, GEORGIA – Officials hope to solve the 1946 lynching of four people near Monroe.",
    # a rally of bikers is no protest
    "date 2024-03-05 ATLANTA, GEORGIA – Thousands of bikers gathered in Orlando on Monday for the annual biker rally.",
    # seized papers are no territory
    "date 2024-03-05 Police said investigators seized bank records from the accountant's office on Monday.",
    # "demonstrated" with an object is to show
    "date 2024-03-05 At the fair in Millbrook, chefs demonstrated spring recipes for hundreds of visitors.",
])
def test_news_that_is_not_political_violence_gives_no_event(read, text):
    assert _types(read(text)) == []


def test_a_stabbing_in_a_crime_story_naming_no_armed_side_is_no_attack_on_civilians(read):
    reading = read("date 2024-03-05 A man was stabbed to death outside a bar in Millbrook late on Saturday. "
                   "Detectives said the victim had argued with another customer earlier in the evening. "
                   "A 24-year-old man was arrested on Sunday and will appear in court on Tuesday.")
    assert _types(reading) == []


def test_a_police_shooting_stays_an_attack_on_civilians(read):
    reading = read("date 2024-03-05 A man carrying a walking stick was killed on Monday in Millbrook. "
                   "Witnesses said he was shot by police who mistook the stick for a rifle. "
                   "The city has promised an inquiry into the police shooting.")
    assert ("Violence against civilians", "Attack") in _types(reading)


def test_a_headline_with_an_initial_is_not_a_story_told_at_length(read):
    # "E. Ukraine" and "Last word!" do not make three sentences: a headline's killing stays an event
    reading = read("date 2014-06-30 Last word 'camera'! Reporter killed in E. Ukraine while filming")
    assert reading.events


def test_a_killing_with_abductions_is_the_attack_not_the_abduction(read):
    event = _only(read("date 2024-03-05 NAIROBI, KENYA – Militants raided a village near Garissa on Monday, "
                       "killing and abducting several residents."))
    assert (event.event_type, event.sub_event_type) == ("Violence against civilians", "Attack")


@pytest.mark.parametrize("body", [
    "Militants ambushed an army patrol near Gao on Monday, killing four soldiers.",
    "A drone strike hit a convoy near Gao on Monday, killing four soldiers.",
])
def test_soldiers_attacked_are_actor2(read, body):
    event = _only(read(f"date 2024-03-05 BAMAKO, MALI – {body}"))
    assert event.actor2 == "Military Forces of Mali" or event.actor2.startswith("Military Forces of Mali (")


def test_a_habit_told_in_the_present_is_no_event(read):
    assert _types(read("date 2024-03-05 BAMAKO, MALI – In the region, rebels often attack convoys on the main "
                       "road near Gao.")) == []


def test_a_headline_in_the_present_stays_an_event(read):
    assert _types(read("date 2024-03-05 BAMAKO, MALI – Rebels attack convoy near Gao, killing three soldiers")) \
        == [("Battles", "Armed clash")]


@pytest.mark.parametrize("body", [
    "Hundreds of nurses went on strike in Nakuru on Monday, demanding unpaid wages.",
    "Teachers staged a sit-in outside the education office in Nakuru on Monday over unpaid wages.",
    "A doctors' strike closed clinics in Nakuru on Monday.",
])
def test_workers_striking_or_sitting_in_are_a_protest(read, body):
    event = _only(read(f"date 2024-03-05 NAIROBI, KENYA – {body}"))
    assert (event.event_type, event.sub_event_type) == ("Protests", "Peaceful protest")
    assert event.actor1 == "Protesters (Kenya)"
    assert event.place is not None and event.place.name == "Nakuru"


def test_protests_in_two_towns_give_both(read):
    reading = read("date 2024-03-05 NAIROBI, KENYA – Hundreds of tea farmers protested in Kericho and Bomet on "
                   "Monday over low prices.")
    assert sorted(e.place.name for e in reading.events if e.place) == ["Bomet", "Kericho"]
