"""Two sides joined by "and" before a clash: the one named first is actor1, as ACLED orders them. A short text the
project wrote, read through the real pipeline."""

from __future__ import annotations

from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)


def test_the_side_named_first_is_actor1(read):
    reading = read("date 2024-01-16 ADEN, YEMEN – In Taiz, government forces and Houthi fighters exchanged fire on "
                   "Sunday, leaving two soldiers dead.")
    assert [(e.event_type, e.actor1, e.actor2) for e in reading.events] == [
        ("Battles", "Military Forces of Yemen", "Houthis (Ansar Allah)")]
