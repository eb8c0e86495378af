"""Brief T17 (issue 11): general causes of the third blind batch of world reports' failures
(tests/events/world_reports_3.csv), each on a short text the project wrote, read through the real pipeline."""

from __future__ import annotations


from pipeline_fixtures import pipeline  # noqa: F401 (pytest fixture)
from pipeline_fixtures import read_published
from pipeline_fixtures import toll_best as _best



def _read(pipeline, text: str, published: str = "2024-05-06"):  # noqa: F811 (fixture)
    return read_published(pipeline, text, published, source="t17-test")


def test_a_vague_count_reported_dead_is_counted():
    assert _best("Nearly a dozen rebels were reported dead after the raid.") == 12
    assert _best("Five guards were confirmed dead on Monday.") == 5


def test_enemies_neutralised_are_counted_as_killed():
    assert _best("The ministry said seven insurgents had been 'neutralised' in the operation.") == 7
    assert _best("Three gunmen were neutralized by the special forces.") == 3


def test_the_source_after_a_list_of_victims_is_no_victim():
    assert _best("Raiders stormed a hamlet and killed four farmers, a district chief said.") == 4
    # a real list still adds up
    assert _best("Raiders killed four farmers and a teacher on Monday.") == 5


def test_a_person_shot_dead_by_armed_men_is_an_attack_on_civilians(pipeline):  # noqa: F811
    reading = _read(pipeline, "A community leader was shot dead by armed men outside his house in Cucuta, "
                              "Colombia, on Sunday, local officials said.")
    attacks = [e for e in reading.events if (e.event_type, e.sub_event_type) == ("Violence against civilians", "Attack")]
    assert attacks, [(e.event_type, e.sub_event_type) for e in reading.events]
    assert attacks[0].actor1 == "Unidentified Armed Group (Colombia)"
    assert (attacks[0].fatalities or {}).get("best") == 1


def _places(reading) -> list[tuple[str, str]]:
    return [(e.place.name, e.place.country_code) for e in reading.events if e.place is not None]


def test_a_region_of_the_country_beats_the_country_named_nearer(pipeline):  # noqa: F811
    reading = _read(pipeline, "Government troops and rebels fought on Tuesday near an old fort in Nigeria's "
                              "Borno state, local media reported.")
    assert reading.events
    assert {code for _name, code in _places(reading)} == {"NG"}
    assert all(e.place.kind != "country" for e in reading.events), _places(reading)


def test_a_village_described_in_a_region_is_not_a_namesake_abroad(pipeline):  # noqa: F811
    # Masala is also read as Masally (Azerbaijan): the copy says the village lies in North Kivu
    reading = _read(pipeline, "Rebels killed nine farmers in Masala, a village in the Beni territory of North "
                              "Kivu, on Sunday, a local official said.")
    assert _places(reading) and all(code == "CD" for _name, code in _places(reading)), _places(reading)
