"""A capture "after two days of fighting" is news, not a habitual statement; and a trigger the context vetoes says
why in the trace (`clashmap extract --explain`). Short texts the project wrote, read through the real pipeline."""

from __future__ import annotations

from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)
from pipeline_fixtures import event_types as _types

from clashmap.trace import tracing


def test_a_capture_after_days_of_fighting_is_an_event(read):
    reading = read("date 2024-02-09 BAMAKO, MALI – Rebels seized the town of Kidal after three days of fighting, "
                   "the group said on Friday.")
    assert _types(reading) == [("Battles", "Non-state actor overtakes territory")]


def test_days_of_fighting_alone_stay_no_single_event(read):
    assert _types(read("date 2024-02-09 BAMAKO, MALI – Weeks of fighting have emptied Kidal.")) == []


def test_a_vetoed_trigger_says_why(read):
    with tracing() as trace:
        reading = read("date 2024-02-09 BAMAKO, MALI – The market in Kidal has been shelled repeatedly.")
    assert _types(reading) == []
    drops = [d for d in trace.decisions if d.stage == "events.drop"]
    assert any(d.subject == "shelled" and "habitual" in d.reason for d in drops), drops
