"""Through the real pipeline: an actor's name is never a place, and the trace says why."""

from __future__ import annotations

from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)

from clashmap.trace import tracing


def test_taliban_is_no_town(read):
    text = ("date 2021-06-02\nTaliban fighters attacked a checkpoint in Kandahar province on Tuesday, killing four "
            "policemen. Clashes between Taliban and Afghan forces went on through the night.")
    with tracing() as trace:
        reading = read(text)
    places = {r.toponym.text: r.place.country_code for r in reading.mentions if r.place is not None}
    assert "Taliban" not in places
    assert "TR" not in places.values()
    assert all(e.place is None or e.place.country_code == "AF" for e in reading.events)
    dropped = [d for d in trace.of("toponyms.actor") if d.subject == "Taliban"]
    assert dropped and dropped[0].outcome == "dropped" and "Taliban" in dropped[0].reason


def test_a_cartel_named_after_a_state_is_not_the_state(read):
    reading = read("date 2023-03-10\nGunmen of the Sinaloa Cartel ambushed soldiers near Culiacan on Friday.")
    assert "Sinaloa" not in [r.toponym.text for r in reading.mentions]


def test_gunmen_and_villagers_take_the_country_of_the_event(read):
    reading = read("date 2023-05-14\nGunmen attacked the village of Kasuwan Daji in Zamfara State, Nigeria on Sunday "
                   "and killed six villagers.")
    assert reading.events
    event = reading.events[0]
    assert event.actor1 == "Unidentified Armed Group (Nigeria)"
    assert event.actor2 == "Civilians (Nigeria)"


def test_police_named_without_a_country_are_the_police_of_the_event_country(read):
    reading = read("date 2024-06-25\nPolice fired tear gas at protesters in Nairobi on Tuesday.")
    actors = {a for e in reading.events for a in (e.actor1, e.actor2)}
    assert "Police Forces of Kenya" in actors and "Protesters (Kenya)" in actors


def test_an_event_without_a_place_names_its_actors_by_the_story_country(read):
    reading = read("date 2023-05-14\nChadian officials said gunmen killed four traders on a road on Monday.")
    actors = [e.actor1 for e in reading.events]
    assert actors and all(a == "Unidentified Armed Group (Chad)" for a in actors), actors
