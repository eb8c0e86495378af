"""The parse asked only for the subject of an event's verb is spared when no word of the sentence could head an
actor (events.actors.subject_may_be_actor): the same events and actors, one spaCy call fewer (issue 11's speed)."""

from __future__ import annotations

import pytest

import events.triggers as triggers
from events.actors import load_table, subject_may_be_actor, subject_words
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)


def _parses(read, text: str):
    read("Rebels attacked the town of Gao in Mali on Monday.")  # tables and models loaded before counting
    triggers._parse_one.cache_clear()
    events = read(text).events
    return triggers._parse_one.cache_info().misses, [(e.sub_event_type, e.actor1, e.actor2) for e in events]


def test_a_sentence_naming_no_force_is_not_parsed_for_its_subject(read):
    parses, events = _parses(read, "Shells landed on the market of Gao in Mali on Tuesday, killing three people.")
    assert events and events[0][0] == "Shelling/artillery/missile attack"
    assert events[0][1] is None  # no one named who fired
    assert parses == 0


@pytest.mark.parametrize("text, actor1", [
    ("Soldiers shot dead a trader in Gao, Mali, on Tuesday.", "Military Forces of Mali"),
    ("A local militia attacked the village of Mopti in Mali on Tuesday, killing two farmers.",
     "Unidentified Armed Group (Mali)"),
])
def test_a_subject_that_names_a_force_is_still_parsed(read, text, actor1):
    parses, events = _parses(read, text)
    assert events and events[0][1] == actor1
    assert parses >= 1


def test_every_head_word_of_the_tables_keeps_the_parse():
    """Any one-word head the two subject readers accept, in any case or with punctuation, keeps the sentence's
    parse: the guard only spares sentences where they could find nothing."""
    table = load_table()
    words = set(subject_words()) | {w for w, form in table.noun_form.items() if form.inter == 1 and form.bare}
    for word in (w for w in words if " " not in w):
        for said in (word, word.upper(), word.capitalize() + ",", f"'{word}'"):
            assert subject_may_be_actor(f"On Tuesday {said} entered the town."), said
    assert not subject_may_be_actor("On Tuesday shells landed on the market.")
