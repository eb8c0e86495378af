"""Events from the sentence's structure and the trigger lexicon (issue 11, items 2, 5 and 7): one short text
the project wrote per failure the issue lists and per new trigger family, read through the real pipeline."""

from __future__ import annotations

from datetime import date

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)

from clashmap.trace import tracing


def _only(reading):
    assert len(reading.events) == 1, [(e.event_type, e.sub_event_type) for e in reading.events]
    return reading.events[0]


@pytest.mark.parametrize("body, sub_type, place", [
    ("Security forces shot and killed a young man in Kano on Saturday, residents said.", "Attack", "Kano"),
    ("Unknown attackers threw a grenade into a shop in Gao on Saturday, wounding two people.", "Grenade", "Gao"),
    ("Militants fired a mortar at Gao on Saturday.", "Shelling/artillery/missile attack", "Gao"),
    ("An IED exploded near Gao on Saturday, killing three soldiers.", "Remote explosive/landmine/IED", "Gao"),
    ("Gunmen seized a vehicle belonging to an aid group near Gao on Saturday.", "Looting/property destruction", "Gao"),
    ("Militias attacked the village of Gao on Saturday and killed 6 residents.", "Attack", "Gao"),
])
def test_each_kind_of_report_gives_its_event(read, body, sub_type, place):
    event = _only(read(f"date 2021-03-14 BAMAKO, MALI – {body}"))
    assert event.sub_event_type == sub_type
    assert event.place.name == place
    assert event.event_date == date(2021, 3, 13)


def test_an_attack_on_a_village_that_kills_residents_is_one_attack_on_civilians(read):
    event = _only(read("date 2021-03-14 BAMAKO, MALI – Militias attacked the village of Gao on Saturday and "
                       "killed 6 residents."))
    assert (event.event_type, event.fatalities["best"]) == ("Violence against civilians", 6)


def test_rioters_looting_shops_is_a_riot(read):
    event = _only(read("date 2021-03-14 NAIROBI, KENYA – Rioters burned tyres and looted shops in Kisumu on "
                       "Saturday after the election results."))
    assert (event.event_type, event.sub_event_type) == ("Riots", "Violent demonstration")


def test_police_beating_protesters_is_excessive_force(read):
    event = _only(read("date 2021-03-14 NAIROBI, KENYA – Police beat protesters in Kisumu on Saturday."))
    assert (event.event_type, event.sub_event_type) == ("Protests", "Excessive force against protesters")


def test_a_claimed_toll_does_not_replace_the_confirmed_count(read):
    event = _only(read("date 2021-03-14 SANAA, YEMEN – Three soldiers were killed in clashes in Marib on Saturday, "
                       "the army said. The rebels claimed they had killed 15 soldiers."))
    assert event.fatalities["best"] == 3  # ACLED's lowest credible count
    assert event.fatalities["high"] == 15


def test_a_year_is_not_a_death_toll(read):
    event = _only(read("date 2021-03-14 KABUL, AFGHANISTAN – In Kandahar on Saturday, as in May 2020, two soldiers "
                       "were killed in clashes."))
    assert event.fatalities["best"] == 2


def test_an_anniversary_is_not_the_event_date(read):
    event = _only(read("date 2021-03-14 KABUL, AFGHANISTAN – On the anniversary of the bombing of March 3, 2020, "
                       "gunmen attacked a police post in Kandahar, killing two officers."))
    assert event.event_date == date(2021, 3, 14)  # the story's own day, not the recalled one
    assert event.fatalities["best"] == 2


@pytest.mark.parametrize("body", [
    "Gunmen did not attack the police post in Kandahar on Saturday, officials said.",
    "Rebels did not shell Kandahar on Saturday.",
    "The rebels have never fired mortars at Kandahar.",
    "The Taliban vowed to attack Kandahar.",
    "The army denied firing mortars at Kandahar on Saturday.",
    "If the talks fail, the rebels will attack Kandahar.",
])
def test_negated_threatened_denied_and_conditional_attacks_are_no_events(read, body):
    assert read(f"date 2021-03-14 KABUL, AFGHANISTAN – {body}").events == []


def test_the_trace_says_which_lexicon_line_typed_the_event_and_why_a_trigger_was_dropped(read):
    with tracing() as trace:
        read("date 2021-03-14 BAMAKO, MALI – Militants fired a mortar at Gao on Saturday. "
             "They vowed to attack Timbuktu.")
    typed = [d for d in trace.of("events.trigger") if d.subject == "fired"]
    assert typed and "event_triggers.csv line" in typed[0].reason
    dropped = [d for d in trace.of("events.drop") if d.subject == "attack"]
    assert dropped and "vow" in dropped[0].reason


def test_a_bad_lexicon_row_is_one_line_naming_the_file_and_line(tmp_path):
    from clashmap.errors import ConfigError
    from events.triggers import trigger_rows

    bad = tmp_path / "event_triggers.csv"
    bad.write_text("lemma,pos,role,words,event_type,sub_event_type,replaces,reason,weak,unless\n"
                   "throw,VERB,object,grenade,Explosions/Remote violence,Grenade,,thrown,,\n"
                   "hurl,VERB,object,grenade,Explosions,Hand grenade,,misspelt type,,\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        trigger_rows(bad)
    message = str(err.value)
    assert "event_triggers.csv: line 3" in message and "Hand grenade" in message and "\n" not in message
