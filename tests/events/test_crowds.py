"""People marching are a protest, and a protest's first actor is its crowd (ACLED's "Protesters (<country>)"),
whether the story calls them protesters or only "hundreds of people". Short texts the project wrote, read
through the real pipeline."""

from __future__ import annotations

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)
from pipeline_fixtures import event_types as _types


@pytest.mark.parametrize("body", [
    "Hundreds of people marched in Kassala on Sunday to demand the release of detained students.",
    "In Kassala, thousands of residents marched on Sunday against rising bread prices.",
])
def test_people_marching_are_a_protest_by_protesters_of_the_country(read, body):
    reading = read(f"date 2023-02-06 KHARTOUM, SUDAN – {body}")
    assert _types(reading) == [("Protests", "Peaceful protest")]
    event = reading.events[0]
    assert event.actor1 == "Protesters (Sudan)"
    assert event.place.name == "Kassala"


@pytest.mark.parametrize("body", [
    "Government troops marched into Kassala on Sunday.",
    "Students will march in Kassala next week.",
])
def test_soldiers_marching_or_a_march_to_come_is_no_protest(read, body):
    assert ("Protests", "Peaceful protest") not in _types(read(f"date 2023-02-06 KHARTOUM, SUDAN – {body}"))


def test_a_crowd_that_protested_without_a_name_is_still_the_protesters(read):
    reading = read("date 2023-02-06 KHARTOUM, SUDAN – Thousands protested in Kassala on Sunday against the war.")
    assert [(e.event_type, e.actor1) for e in reading.events] == [("Protests", "Protesters (Sudan)")]
