"""Brief G15: the event gate also learns from the project's own written texts. A general-news text with no
ACLED event teaches that its events are false, a report whose event is read as coded teaches a true event, and
the fit's figures count the rows of both files (false events on no-event rows, coded events found)."""

from __future__ import annotations

import csv

import pytest
from pipeline_fixtures import pipeline  # noqa: F401 (pytest fixture)

FIELDS = ("id,country,published,text,event_type,sub_event_type,date,place,place_country,lat,lon,actor1,actor2,"
          "fatalities,note").split(",")
# own texts: a clash coded as such, and the same clash coded as a protest (its event is then no match)
CLASH = "Soldiers clashed with rebels near Gao on Sunday, killing four fighters, the army said."
ROWS = [
    {"id": "clash", "country": "ML", "published": "2024-03-05", "text": CLASH, "event_type": "Battles",
     "sub_event_type": "Armed clash", "date": "2024-03-03", "place": "Gao", "place_country": "ML",
     "lat": "16.272", "lon": "-0.044"},
    {"id": "miscoded", "country": "ML", "published": "2024-03-05", "text": CLASH, "event_type": "Protests",
     "sub_event_type": "Peaceful protest", "date": "2024-03-03", "place": "Gao", "place_country": "ML",
     "lat": "16.272", "lon": "-0.044"},
    {"id": "quiet", "country": "ML", "published": "2024-03-05", "text": CLASH, "event_type": ""},
]


def _csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in FIELDS})
    return path


def test_written_texts_are_labelled_by_their_coding(pipeline, tmp_path):
    from bench import fit_event_gate
    from events.gate import ungated

    rows: list[dict] = []

    def ev(corpus, half, article, e, label, **extra):
        rows.append({"kind": "event", "corpus": corpus, "half": half, "article": article, "label": label,
                     "x": getattr(e, "gate_features", {}), **extra})

    src = _csv(tmp_path / "written.csv", ROWS)
    with ungated():
        fit_event_gate._collect_written(pipeline, rows, ev, (("general", src),))
    labels = {r["article"]: r["label"] for r in rows if r["kind"] == "event"}
    assert labels == {"clash": 1, "miscoded": 0, "quiet": 0}
    assert all(r["half"] == "tuning" for r in rows)
    assert next(r for r in rows if r["article"] == "clash" and r["kind"] == "event")["x"].get("toll") == 1.0

    fig = fit_event_gate.measure(rows, None)["tuning"]
    assert fig["general_false_rows"] == (1, 1)  # the one no-event row gives an event
    assert fig["general_found"] == (1, 2)  # the clash is found as coded, the protest is not


def test_the_fit_is_trained_on_the_written_texts_by_default():
    pytest.importorskip("sklearn")
    from bench import fit_event_gate

    rows = []
    for corpus, label, x in (("own", 1, {"toll": 1.0}), ("general", 0, {"actor1_none": 1.0}),
                             ("world", 1, {"toll": 1.0, "war_words_per_sentence": 1.0})):
        rows += [{"kind": "event", "corpus": corpus, "half": "tuning", "article": f"{corpus}{i}", "label": label,
                  "x": x} for i in range(4)]
    model = fit_event_gate.fit(rows)
    assert model["trained_on"]["by_corpus"] == {"general negatives": 4, "own positives": 4, "world positives": 4}


def test_the_committed_gate_was_fitted_on_the_written_texts_and_says_why_it_is_not_enforced():
    import json

    from events.gate import GATE_JSON

    committed = json.loads(GATE_JSON.read_text(encoding="utf-8"))
    by_corpus = committed["trained_on"]["by_corpus"]
    assert by_corpus["general negatives"] > 0 and by_corpus["world positives"] > 0
    assert set(committed["weights"]) == {"actor1_none", "toll", "war_words_per_sentence", "no_place"}
    assert committed["weights"]["toll"] > 0 > committed["weights"]["actor1_none"]
    assert committed["enforce"] is False and "general news" in committed["why_not_enforced"]
    assert "without general news, measured on general news" in committed["checks"]
