"""A common noun right after a named group ("Boko Haram insurgents", "Taliban rebels") is the kind of fighter of
that group, not a second, generic side. Short texts the project wrote, read through the real pipeline."""

from __future__ import annotations

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)


@pytest.mark.parametrize(("body", "group"), [
    ("Suspected Boko Haram insurgents stormed the village of Mafa overnight, killing 23 farmers.", "Boko Haram"),
    ("Al-Shabaab insurgents attacked a police post in Afgooye on Sunday, killing four officers.", "Al Shabaab"),
])
def test_a_group_named_before_its_fighters_is_actor1(read, body, group):
    reading = read(f"date 2024-08-19 NAIROBI, KENYA – {body}")
    assert len(reading.events) == 1
    event = reading.events[0]
    assert event.actor1 and event.actor1.startswith(group)
    assert event.actor2 != "Rebels" and not (event.actor2 or "").startswith(group)


def test_a_ruling_junta_is_the_military_of_the_story_country(read):
    reading = read("date 2023-05-04 YANGON, MYANMAR – Junta jets bombed a village near Monywa on Tuesday, "
                   "killing nine people, residents said.")
    assert [(e.event_type, e.actor1) for e in reading.events] == [
        ("Explosions/Remote violence", "Military Forces of Myanmar")]
