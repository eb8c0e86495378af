"""actor1 from the parse's subject of the event's verb when the actors table names no side (issue 11): a
named armed group as the report names it, an unnamed one as 'Unidentified Armed Group (<country>)' with the
story's country; a thing as subject names no actor."""

from __future__ import annotations

import pytest

from clashmap.errors import ConfigError
from events.actors import subject_words
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)


@pytest.mark.parametrize("text, actor1", [
    ("Fighters of the Lions of the Valley militia attacked the village of Gao in Mali on Monday, killing six "
     "residents.", "Lions of the Valley Militia"),
    ("The Blue Crescent Brigade attacked an army post near Gao, Mali, on Monday.", "Blue Crescent Brigade"),
    ("A local militia attacked the village of Mopti in Mali on Monday, killing two farmers.",
     "Unidentified Armed Group (Mali)"),
])
def test_actor1_from_the_subject_of_the_verb(read, text, actor1):
    events = read(text).events
    assert events and events[0].actor1 == actor1


def test_a_thing_as_subject_names_no_actor(read):
    events = read("A car bomb exploded near a market in Gao, Mali, on Monday.").events
    assert events and events[0].actor1 in (None, "")


def test_a_bad_subject_words_row_names_file_and_line(tmp_path):
    bad = tmp_path / "actor_subject_words.csv"
    bad.write_text("word,inter,reason\nmilitia,9,out of range\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"actor_subject_words\.csv: line 2"):
        subject_words(bad)
