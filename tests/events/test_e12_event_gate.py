"""Brief E12: the event gate (events/gate.py). Its features are explicit, a weights file decides, and every
event it drops says so in the trace with its score and the features that weighed most; the committed file
(data/event_gate.json, enforce: false) scores and explains every event and drops none."""

from __future__ import annotations

import json

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)

from clashmap import trace
from clashmap.errors import ConfigError
from events import gate, scope

LOCAL = ("date 2009-05-12 SPRINGFIELD, UNITED STATES – The school board met on Monday to discuss the new budget. "
         "Parents asked about bus routes and class sizes. Clashes broke out in Springfield on Monday after the game. "
         "The board will meet again in June.")
WAR = ("date 2024-03-05 GAO, MALI – Soldiers clashed with militants near Gao on Sunday, killing four fighters, "
       "the army said.")


def _write(tmp_path, **fields):
    path = tmp_path / "gate.json"
    path.write_text(json.dumps(fields), encoding="utf-8")
    gate.load_gate.cache_clear()
    return path


def test_an_event_the_gate_drops_says_so_with_its_score_and_top_features(read, tmp_path):
    with scope.unscoped():  # the gate alone (Q16's article scope judges LOCAL's whole story out of scope)
        local, war = read(LOCAL).events, read(WAR).events
    assert [e.event_type for e in local] == ["Battles"] and [e.event_type for e in war] == ["Battles"]
    path = _write(tmp_path, weights={"actor1_none": -4.0, "toll": 3.0}, bias=0.0, threshold=0.5, enforce=True)
    with trace.tracing() as t:
        kept_local = gate.apply(local, LOCAL, path)
        kept_war = gate.apply(war, WAR, path)
    assert kept_local == [] and kept_war == war  # no side and no toll: dropped; soldiers and four dead: kept
    dropped = [d for d in t.of("events.gate") if "dropped" in d.outcome]
    assert len(dropped) == 1 and "Clashes broke out" in dropped[0].subject
    assert "gate score 0.02 < 0.50" in dropped[0].reason and "actor1_none -4.00" in dropped[0].reason


def test_the_committed_gate_scores_and_explains_every_event_and_drops_none(read):
    gate.load_gate.cache_clear()
    committed = gate.load_gate()
    assert committed is not None and committed.enforce is False
    assert set(committed.weights) <= set(gate.FEATURES)
    with trace.tracing() as t, scope.unscoped():
        events = read(LOCAL).events + read(WAR).events
    assert len(events) == 2
    assert all(0.0 < e.gate_score < 1.0 for e in events)
    assert len(t.of("events.gate")) == 2


def test_no_gate_file_drops_nothing(read, tmp_path):
    events = read(LOCAL).events
    assert gate.apply(events, LOCAL, tmp_path / "absent.json") == events


@pytest.mark.parametrize("fields, problem", [
    ({"weights": {"no_such_signal": 1.0}, "bias": 0, "threshold": 0.5}, "unknown feature(s) no_such_signal"),
    ({"weights": {"toll": 1.0}, "bias": 0}, "not an event gate file"),
])
def test_a_bad_gate_file_is_one_line_naming_it(tmp_path, fields, problem):
    path = _write(tmp_path, **fields)
    with pytest.raises(ConfigError) as err:
        gate.load_gate(path)
    assert str(path) in str(err.value) and problem in str(err.value) and "\n" not in str(err.value)
