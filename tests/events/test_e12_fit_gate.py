"""bench.fit_event_gate: the fit on rows the test writes keeps every training positive, gives each corpus the
same weight, and without scikit-learn (the bench extra) the script says so in one line."""

from __future__ import annotations

import sys

import pytest


def _rows():
    rows = []
    for i in range(6):  # positives: war stories with a side and a toll
        rows.append({"kind": "event", "corpus": "own", "half": "tuning", "article": f"o{i}", "label": 1, "type": "Battles",
                     "x": {"toll": 1.0, "war_words_per_sentence": 0.8}})
    for i in range(40):  # many headlines, all positives: they must not outweigh the other corpus
        rows.append({"kind": "event", "corpus": "ucdp", "half": "tuning", "article": f"u{i}", "label": 1,
                     "type": "Battles", "x": {"toll": 1.0, "actor1_none": 1.0, "war_words_per_sentence": 1.0}})
    for i in range(6):  # negatives: local news, no side, no toll
        rows.append({"kind": "event", "corpus": "lgl", "half": "tuning", "article": f"l{i}", "label": 0, "type": "Battles",
                     "x": {"actor1_none": 1.0, "story_judicial": 0.2 * (i % 3)}})
    return rows


def test_the_fit_keeps_every_training_positive_and_drops_what_scores_below():
    pytest.importorskip("sklearn")
    from bench import fit_event_gate
    from events.gate import Gate

    model = fit_event_gate.fit(_rows())
    gate = Gate(model["weights"], model["bias"], model["threshold"])
    positives = [r for r in _rows() if r["label"] == 1]
    negatives = [r for r in _rows() if r["label"] == 0]
    assert all(gate.score(r["x"]) >= gate.threshold for r in positives)
    assert all(gate.score(r["x"]) < gate.threshold for r in negatives)
    assert model["weights"]["toll"] > 0 > model["weights"]["actor1_none"]
    assert model["trained_on"]["by_corpus"] == {"lgl negatives": 6, "own positives": 6, "ucdp positives": 40}


def test_fit_event_gate_without_scikit_learn_is_one_line(monkeypatch, capsys):
    from bench import fit_event_gate

    monkeypatch.setitem(sys.modules, "sklearn", None)  # import sklearn now raises ImportError
    monkeypatch.setitem(sys.modules, "sklearn.linear_model", None)
    assert fit_event_gate.main(["--dry-run"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "scikit-learn" in err and "pip install -e '.[bench]'" in err
