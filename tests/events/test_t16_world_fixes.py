"""Brief T16 (issue 11): the general causes fixed for the third blind batch of world reports
(tests/events/world_reports_3.csv). Short texts the project wrote, read through the real pipeline, most with no
dateline (the story's country must come from the text)."""

from __future__ import annotations

from datetime import date

from pipeline_fixtures import pipeline  # noqa: F401 (pytest fixture)
from pipeline_fixtures import read_published

from events.numbers import find_fatalities
from geo.gazetteer import Gazetteer


def _read(pipeline, text: str, published: str = "2024-05-06"):  # noqa: F811 (fixture)
    return read_published(pipeline, text, published, source="t16-test")


def _types(reading) -> list[tuple[str, str]]:
    return [(e.event_type, e.sub_event_type) for e in reading.events]


def test_the_demonym_capital_is_the_countrys_capital(pipeline):  # noqa: F811
    reading = _read(pipeline, "Rival militias traded heavy gunfire in the Libyan capital on Sunday night, and "
                              "three fighters were killed, a hospital said.")
    assert reading.events and all(e.place is not None for e in reading.events)
    assert {(e.place.name, e.place.country_code) for e in reading.events} == {("Tripoli", "LY")}
    rally = _read(pipeline, "About two thousand pensioners rallied in the Moldovan capital on Sunday over "
                            "heating bills.")
    assert [(e.place.name, e.place.country_code) for e in rally.events if e.place] == [("Chisinau", "MD")]


def test_news_adjectives_missing_from_countryinfo_name_their_countries():
    demonyms = Gazetteer().demonyms()
    assert {w: demonyms.get(w) for w in ("philippine", "kyrgyz", "tajik", "ecuadorian", "bosnian")} == \
        {"philippine": "PH", "kyrgyz": "KG", "tajik": "TJ", "ecuadorian": "EC", "bosnian": "BA"}


def test_a_protest_that_police_fired_on_is_excessive_force(pipeline):  # noqa: F811
    reading = _read(pipeline, "A march by nurses against unpaid wages turned deadly in Lubumbashi on Sunday. "
                              "Police opened fire on the crowd near the governor's office and three people were "
                              "killed, a rights group said.")
    force = [e for e in reading.events if e.event_type == "Protests"]
    assert [e.sub_event_type for e in force] == ["Excessive force against protesters"]
    assert force[0].fatalities["best"] == 3


def test_the_state_side_killing_at_a_protest_is_excessive_force(pipeline):  # noqa: F811
    reading = _read(pipeline, "Soldiers shot dead eleven people in Conakry and two other Guinean towns on "
                              "Thursday as demonstrators demanded elections, a rights group said.")
    assert ("Protests", "Excessive force against protesters") in _types(reading)
    # the dead the crowd marches over are still not its toll
    mourning = _read(pipeline, "Thousands of students marched in Lome on Monday against the killing of four "
                               "classmates by soldiers last month.")
    assert _types(mourning) == [("Protests", "Peaceful protest")]


def test_an_intervention_with_dead_is_excessive_force(pipeline):  # noqa: F811
    reading = _read(pipeline, "Riot police fired tear gas and rubber bullets at farmers protesting in Santa Cruz "
                              "on Friday. One farmer died of his wounds, Bolivian officials said.")
    assert ("Protests", "Excessive force against protesters") in _types(reading)


def test_a_past_perfect_reported_with_its_day_is_the_news(pipeline):  # noqa: F811
    reading = _read(pipeline, "Ugandan police said on Tuesday that villagers had beaten a suspected thief to "
                              "death in Gulu on Sunday.", published="2024-05-07")
    assert ("Riots", "Mob violence") in _types(reading)
    mob = next(e for e in reading.events if e.sub_event_type == "Mob violence")
    assert mob.event_date == date(2024, 5, 5)


def test_villagers_torching_homes_is_mob_violence(pipeline):  # noqa: F811
    reading = _read(pipeline, "Villagers torched four houses of a minority family in a village near Sohag on "
                              "Friday after a dispute over land, Egyptian officials said.")
    assert ("Riots", "Mob violence") in _types(reading)


def test_no_one_and_an_unknown_number_are_no_counts():
    assert find_fatalities("Shops were burned but no one was killed, police said.") is None
    found = find_fatalities("Two soldiers and an unknown number of rebels were killed in the fighting.")
    assert found is not None and found.best == 2


def test_protests_that_turned_violent_and_a_storming_of_parliament_are_riots(pipeline):  # noqa: F811
    turned = _read(pipeline, "Protests over fuel prices in Blantyre turned violent on Monday, with young men "
                             "fighting running battles with police, Malawian officials said.")
    assert ("Riots", "Violent demonstration") in _types(turned)
    stormed = _read(pipeline, "Opposition supporters tried to storm the parliament in Kinshasa on Tuesday and "
                              "set cars on fire, Congolese police said.")
    assert ("Riots", "Violent demonstration") in _types(stormed)


def test_a_generic_armed_group_takes_the_name_acled_gives_it_there(pipeline):  # noqa: F811
    anglophone = _read(pipeline, "Separatist fighters ambushed an army patrol near Buea on Monday, killing two "
                                 "soldiers, Cameroonian officials said.")
    assert any("Ambazonian Separatists" in (e.actor1, e.actor2) for e in anglophone.events)
    sahel = _read(pipeline, "Islamic State fighters clashed with Malian soldiers near Gao on Sunday, the army "
                            "said.")
    assert any("Islamic State (Sahel)" in (e.actor1, e.actor2) for e in sahel.events)
    # the same generic word elsewhere keeps its generic name
    elsewhere = _read(pipeline, "Separatist fighters ambushed an army patrol near Maroua on Monday, killing two "
                                "soldiers, Cameroonian officials said.")
    assert not any("Ambazonian Separatists" in (e.actor1, e.actor2) for e in elsewhere.events)


def test_marines_and_guerrillas_are_counted_with_the_others():
    assert find_fatalities("Two marines and three guerrillas were killed in the clash.").best == 5
    # a source after the toll is no victim of it
    assert find_fatalities("Gunmen killed six residents, a community leader said.").best == 6
