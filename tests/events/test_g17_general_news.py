"""Brief G17: deaths that are no political violence. A toll needs an agent (killed by someone: an armed side, the
police, a crowd), not only a cause (a flood, an epidemic, a crush): the context rule `cause`
(data/event_context_rules.csv, mode drop_if_unarmed) drops a killing whose sentence names a cause and no armed
side. The article's scope (events/scope.py) reads word classes of other beats with reasons
(data/article_scope_words.csv: disaster, disease, accident, court, commemoration, procurement).
The texts are written for these tests."""

from __future__ import annotations

import csv

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)

from clashmap import trace
from events import scope

D = "date 2025-03-12 "
FLOOD = ("Floods have killed at least 30 people in the Philippine province of Samar since Sunday, officials said on "
         "Tuesday. ")
# the flood's toll and a killing by gunmen in one story: only the killing is an event
RAID = D + FLOOD + ("Gunmen killed four farmers in a village near Catbalogan on Tuesday, police said. Aid arrived by "
                    "boat.")


def test_the_scope_words_name_the_classes_of_other_beats_each_with_its_reason():
    with scope.SCOPE_WORDS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    classes = {r["class"] for r in rows}
    assert {"disaster", "disease", "accident", "court", "commemoration", "procurement"} <= classes
    assert all(r["reason"].strip() for r in rows)


@pytest.mark.parametrize("text", [
    D + FLOOD + "Soldiers joined the rescue of families stranded on rooftops. Aid arrived by boat.",
    D + ("An outbreak of meningitis has killed 46 people in northern Niger since January, the health ministry said "
         "on Tuesday. Vaccination teams reached the worst-hit villages. Doctors said the country was at war with "
         "the disease."),
], ids=["flood-with-soldiers", "epidemic"])
def test_a_toll_with_a_cause_and_no_agent_gives_no_event(read, text):
    with trace.tracing() as t:
        assert read(text).events == []
    assert any(d.outcome.startswith("context rule 'cause'") for d in t.of("events.drop"))


def test_a_killing_told_among_such_noise_stays_and_the_floods_toll_goes(read):
    events = read(RAID).events
    assert [(e.event_type, (e.fatalities or {}).get("best")) for e in events] == [("Violence against civilians", 4)]


def test_an_armed_side_in_the_sentence_keeps_the_killing_whatever_the_cause_word(read):
    text = D + ("Gunmen killed five health workers carrying cholera vaccines near Kalemie on Tuesday, officials said. "
                "The vaccination campaign was suspended.")
    events = read(text).events
    assert [e.event_type for e in events] == ["Violence against civilians"]
