"""'Separatist forces' in a story from any war are an unnamed rebel side, not the named forces of one conflict."""

from __future__ import annotations

import pytest

from tests.events.pipeline_fixtures import pipeline, read  # noqa: F401  (fixtures)


@pytest.mark.parametrize("text", [
    "date 2015-02-03 DONETSK, Ukraine — Separatist forces shelled the town of Avdiivka on Monday, killing two "
    "civilians, officials said.",
    "date 2012-05-03 BAMAKO, Mali — Separatist fighters attacked an army post near Kidal on Monday, the army said.",
])
def test_unnamed_separatists_are_rebels_of_no_one_war(read, text):
    assert [e.actor1 for e in read(text).events] == ["Rebels"]
