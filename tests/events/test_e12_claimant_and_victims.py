"""Brief E12, leftovers of issue 11: a speaker named with title and organisation is one claimant, never a side;
a civilian attacked in the passive is violence against civilians, not a battle. Short texts the project wrote,
read through the real pipeline."""

from __future__ import annotations

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)

from events.claims import find_claim


@pytest.mark.parametrize("body, span", [
    ("Gunmen shot dead two farmers near Kano on Monday, police spokesman Mark Dunn said.", "police spokesman Mark Dunn"),
    ("Army spokeswoman Ana Reyes said a roadside bomb hit a bus near Kano on Monday.", "Army spokeswoman Ana Reyes"),
])
def test_the_claim_takes_in_the_title_and_organisation_before_the_name(body, span):
    claim = find_claim(body)
    assert claim is not None and body[claim.start:claim.end] == span


@pytest.mark.parametrize("body", [
    "A bomb exploded at a market in Kano on Monday, killing two traders, police spokesman Mark Dunn said.",
    "Two villagers were shot dead in Kano on Monday, police spokesman Mark Dunn said.",
    "Police spokesman Mark Dunn said a bomb exploded at a market in Kano on Monday, killing two traders.",
])
def test_the_police_who_speak_are_no_side_of_the_event(read, body):
    events = read(f"date 2024-03-05 KANO, NIGERIA – {body}").events
    assert events, body
    for event in events:
        assert "Police" not in (event.actor1 or "") and "Police" not in (event.actor2 or ""), (event.actor1, event.actor2)
        assert event.claimed_by == "Mark Dunn"


@pytest.mark.parametrize("body", [
    "A shopkeeper was attacked by gunmen in Gao on Sunday.",
    "A teacher was attacked and wounded by armed men in Gao on Sunday.",
    "Villagers were attacked by militiamen in Gao on Sunday.",
])
def test_a_civilian_attacked_in_the_passive_is_violence_against_civilians(read, body):
    events = read(f"date 2024-03-05 GAO, MALI – {body}").events
    assert [(e.event_type, e.sub_event_type) for e in events] == [("Violence against civilians", "Attack")]
    assert events[0].actor1 == "Unidentified Armed Group (Mali)"
    assert events[0].actor2 == "Civilians (Mali)"


def test_an_armed_patrol_attacked_stays_a_battle(read):
    events = read("date 2024-03-05 GAO, MALI – An army patrol was attacked by militants near Gao on Sunday.").events
    assert [(e.event_type, e.sub_event_type) for e in events] == [("Battles", "Armed clash")]
