"""False events on real reporting (issue 11, brief E5): trials, criminal arrests and figurative battles are no
ACLED events; the real events beside them stay. Short texts the project wrote, read through the real pipeline."""

from __future__ import annotations

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)
from pipeline_fixtures import event_types as _types

from clashmap.errors import ConfigError
from clashmap.trace import tracing
from events import taxonomy


@pytest.mark.parametrize("body", [
    # a trial retells an old killing: the prosecution's account is no event of the day
    "Prosecutors told the court that the victim was killed by the three defendants in a street in Leeds.",
    "The men were charged with killing a shopkeeper in Leeds and will appear before a magistrate.",
])
def test_a_trial_or_a_charge_is_no_event(read, body):
    assert _types(read(f"date 2021-03-14 LONDON, UNITED KINGDOM – {body}")) == []


@pytest.mark.parametrize("body", [
    "Police arrested a man in Leeds on Thursday on suspicion of stealing cars.",
    "A restaurant owner was arrested in Leeds on Thursday on fraud charges.",
])
def test_the_arrest_of_a_crime_suspect_is_no_event(read, body):
    assert _types(read(f"date 2021-03-14 LONDON, UNITED KINGDOM – {body}")) == []


def test_the_arrest_of_an_opposition_leader_stays_an_event(read):
    reading = read("date 2021-03-14 NAIROBI, KENYA – Police arrested an opposition leader in Kisumu on Saturday.")
    assert _types(reading) == [("Strategic developments", "Arrests")]


@pytest.mark.parametrize("body", [
    "Firefighters were busy fighting two apartment fires in Leeds overnight.",
    "The two clubs fought hard battles in Leeds on Saturday before a full stadium.",
    "The new rule obliges the plant in Leeds to capture methane gas from its chimneys.",
    "The tariffs started what may be the biggest trade battle between the two countries in Leeds talks.",
])
def test_a_figurative_battle_or_capture_is_no_event(read, body):
    assert _types(read(f"date 2021-03-14 LONDON, UNITED KINGDOM – {body}")) == []


def test_a_battle_with_armed_parties_stays(read):
    reading = read("date 2021-03-14 BAMAKO, MALI – Soldiers clashed with militants near Gao on Saturday.")
    assert _types(reading) == [("Battles", "Armed clash")]


@pytest.mark.parametrize("headline", [
    # headlines that name no armed side still tell of fighting: growing fighting, blasts, clashes that kill
    "Explosions shake Gao airport as the battle grows",
    "Clashes claim more lives near Gao as talks stall",
    "Renewed fighting near Gao as both sides trade accusations",
])
def test_a_war_headline_without_an_armed_word_keeps_its_battle(read, headline):
    reading = read(f"date 2021-03-14 BAMAKO, MALI – {headline}.")
    assert [t for t in _types(reading) if t[0] in ("Battles", "Explosions/Remote violence")], _types(reading)


def test_fighting_in_a_story_of_the_war_needs_no_armed_word_in_its_sentence(read):
    reading = read("date 2021-03-14 BAMAKO, MALI – Heavy fighting raged near Gao on Saturday. Militants had "
                   "entered the region a week before.")
    assert ("Battles", "Armed clash") in _types(reading)


def test_the_explain_trace_names_the_rule_that_dropped_a_figurative_battle(read):
    with tracing() as notes:
        reading = read("date 2021-03-14 LONDON, UNITED KINGDOM – Firefighters were fighting a blaze in Leeds "
                       "on Saturday.")
    assert _types(reading) == []
    drops = [d for d in notes.of("events.drop") if "belligerent" in d.outcome]
    assert drops and "figurative" in drops[0].reason


def test_a_bad_context_file_is_one_line_naming_it(tmp_path):
    rules = tmp_path / "rules.csv"
    rules.write_text("rule,mode,scope,applies_to,reason\njudicial,drop_if,sentence,Battels,typo\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rules\.csv: line 2: Battels is no ACLED"):
        taxonomy.context_rules(rules, tmp_path / "words.csv")


def test_a_soldier_killed_by_a_bomb_is_an_explosion_not_a_clash(read):
    reading = read("date 2021-03-14 BAMAKO, MALI – A soldier was killed by a buried bomb near Gao on Saturday.")
    assert _types(reading) == [("Explosions/Remote violence", "Remote explosive/landmine/IED")]


def test_rounds_fired_by_police_are_no_shelling(read):
    reading = read("date 2021-03-14 NAIROBI, KENYA – Police officers fired ten rounds at a man in Kisumu on "
                   "Saturday, killing him.")
    assert ("Explosions/Remote violence", "Shelling/artillery/missile attack") not in _types(reading)


def test_combat_experience_in_a_biography_is_no_battle(read):
    reading = read("date 2021-03-14 BAMAKO, MALI – The sergeant joined the army in Gao in 2004 and gained "
                   "combat experience there.")
    assert _types(reading) == []


def test_a_man_shot_by_officers_is_an_attack_not_a_clash(read):
    # the reduced relative's head ("a man") is the target; the officers inside its clause are the shooters
    reading = read("date 2021-03-14 NAIROBI, KENYA – Officials mourned the death of a man shot by officers in "
                   "Kisumu on Saturday.")
    assert _types(reading) == [("Violence against civilians", "Attack")]


def test_a_prosecutor_general_as_the_source_of_a_strike_keeps_the_strike(read):
    reading = read("date 2021-03-14 BAMAKO, MALI – The Prosecutor-General's Office said a missile slammed into a "
                   "block of flats in Gao on Saturday, killing four people.")
    assert _types(reading) == [("Explosions/Remote violence", "Shelling/artillery/missile attack")]


def test_a_protest_under_way_while_lawmakers_will_meet_is_a_protest(read):
    # "will" is the lawmakers' (main clause); the "as" clause tells what is happening now
    reading = read("date 2021-03-14 NAIROBI, KENYA – Lawmakers will meet on Monday as protesting nurses "
                   "continue to fill the parliament grounds in Kisumu.")
    assert _types(reading) == [("Protests", "Peaceful protest")]


def test_a_march_set_off_is_a_protest(read):
    reading = read("date 2021-03-14 NAIROBI, KENYA – Relatives of the detained lawyer set off on Saturday on a "
                   "march from Kisumu to the capital.")
    assert _types(reading) == [("Protests", "Peaceful protest")]


def test_a_soldier_who_was_killed_by_a_bomb_is_an_explosion(read):
    reading = read("date 2021-03-14 BAMAKO, MALI – This is the soldier who was killed by a buried bomb near Gao "
                   "on Saturday.")
    assert _types(reading) == [("Explosions/Remote violence", "Remote explosive/landmine/IED")]


def test_a_home_run_blast_is_no_explosion(read):
    reading = read("date 2021-03-14 LONDON, UNITED KINGDOM – It was a three-run blast in Leeds on Saturday that "
                   "won the series for the home side.")
    assert _types(reading) == []


def test_a_blast_in_a_story_of_casualties_stays_an_explosion(read):
    reading = read("date 2021-03-14 BAMAKO, MALI – A blast tore through a market in Gao on Saturday, and two "
                   "people were wounded.")
    assert _types(reading) == [("Explosions/Remote violence", "Remote explosive/landmine/IED")]


def test_an_offensive_weapon_among_charged_offences_is_no_offensive(read):
    reading = read("date 2021-03-14 LONDON, UNITED KINGDOM – He also faces several offences in Leeds, including "
                   "possession of an offensive weapon.")
    assert _types(reading) == []
