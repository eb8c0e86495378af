"""Brief T18 (issue 11): general causes of the world reports' failures (batches 1-5, tests/events/world_reports*.csv),
each on a short text the project wrote, read through the real pipeline."""

from __future__ import annotations


from pipeline_fixtures import pipeline  # noqa: F401 (pytest fixture)
from pipeline_fixtures import event_types as _kinds
from pipeline_fixtures import read_published
from pipeline_fixtures import toll_best as _best



def _read(pipeline, text: str, published: str = "2024-05-06"):  # noqa: F811 (fixture)
    return read_published(pipeline, text, published, source="t18-test")




ATTACK = ("Violence against civilians", "Attack")


def test_a_town_stormed_to_kill_civilians_is_an_attack_on_civilians(pipeline):  # noqa: F811
    """'stormed' alone is an assault by one side: the civilians it killed make it an attack, not a clash."""
    reading = _read(pipeline, "Militiamen of the Rapid Support Forces stormed the town of Nyala in Sudan on Sunday "
                              "and killed 14 civilians, a rights group said.")
    assert _kinds(reading)[:1] == [ATTACK], _kinds(reading)
    assert reading.events[0].actor2 == "Civilians (Sudan)"


def test_a_village_attacked_is_an_attack_on_civilians(pipeline):  # noqa: F811
    reading = _read(pipeline, "Rebels attacked a village near Beni, in the Democratic Republic of Congo, on Monday "
                              "night, local officials said.")
    assert _kinds(reading)[:1] == [ATTACK], _kinds(reading)


def test_a_fight_between_two_armed_sides_stays_a_clash(pipeline):  # noqa: F811
    reading = _read(pipeline, "Rebels stormed an army base near Beni, in the Democratic Republic of Congo, on Monday "
                              "and killed four soldiers, the army said.")
    assert _kinds(reading)[:1] == [("Battles", "Armed clash")], _kinds(reading)


def test_soldiers_beating_a_civilian_to_death_attack_civilians(pipeline):  # noqa: F811
    reading = _read(pipeline, "Soldiers beat a shopkeeper to death in a village near Mandalay, Myanmar, on Friday, "
                              "his family said.")
    assert _kinds(reading)[:1] == [ATTACK], _kinds(reading)
    assert (reading.events[0].fatalities or {}).get("best") == 1


def test_civilians_executed_are_counted():
    assert _best("Troops executed at least twelve villagers near the river on Sunday.") == 12
    assert _best("The militants publicly executed three men in the market.") == 3


def test_a_single_victim_beaten_or_burned_to_death_is_one():
    assert _best("Villagers beat a tailor to death on Friday.") == 1
    assert _best("A crowd stoned and burned to death a woman accused of witchcraft.") == 1


def test_bodies_found_are_the_dead():
    assert _best("The bodies of nine farmers were found near the road after the raid.") == 9
    assert _best("Five bodies were later recovered from the river.") == 5


def test_one_of_the_wounded_who_later_died_is_one():
    assert _best("Gunmen shot three traders on Monday, one of whom later died in hospital.") == 1
    assert _best("Three traders were wounded, one of them seriously.") is None


def test_attackers_believed_to_belong_to_a_group_still_attacked(pipeline):  # noqa: F811
    """'believed to belong to' tells who the gunmen are, not that the killing is only believed."""
    reading = _read(pipeline, "Gunmen believed to belong to the Islamic State killed nine villagers near Menaka, "
                              "in Mali, on Saturday, officials said.")
    assert _kinds(reading)[:1] == [ATTACK], _kinds(reading)
    assert (reading.events[0].fatalities or {}).get("best") == 9


def test_a_belief_about_the_act_is_still_no_event(pipeline):  # noqa: F811
    reading = _read(pipeline, "Her family believes soldiers killed the farmer near Menaka, in Mali.")
    assert reading.events == [], _kinds(reading)


def test_arrests_of_suspected_jihadists_or_bomb_plotters_are_events(pipeline):  # noqa: F811
    reading = _read(pipeline, "Police in Ankara, Turkey, detained 14 people suspected of links to Islamic State "
                              "on Tuesday, state media said.")
    assert ("Strategic developments", "Arrests") in _kinds(reading), _kinds(reading)
    reading = _read(pipeline, "Police in Nairobi, Kenya, arrested two men suspected of planning bomb attacks on "
                              "Tuesday, a spokesman said.")
    assert ("Strategic developments", "Arrests") in _kinds(reading), _kinds(reading)


def test_the_arrest_of_a_common_suspect_is_still_no_event(pipeline):  # noqa: F811
    reading = _read(pipeline, "Police in Nairobi, Kenya, arrested two men suspected of stealing cars on Tuesday.")
    assert reading.events == [], _kinds(reading)
