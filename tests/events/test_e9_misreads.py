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
