"""Brief Q16: the article's scope (events/scope.py). One judgement per article, from a few general signals; an
article judged out of ACLED's scope loses all its events and the trace says why, with its score and the
features that weighed most. The committed file (data/article_scope.json) is enforced."""

from __future__ import annotations

import csv
import json

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)

from clashmap import trace
from clashmap.errors import ConfigError
from events import scope

# a business story with one sentence the rules read as a clash, and a report of fighting
MARKET = ("date 2011-09-14 DAYTON, UNITED STATES – Shares of the carmaker fell 4 percent on Tuesday after a weak "
          "quarter. Investors sold the stock across the market. Clashes broke out in Dayton on Tuesday after the "
          "results were announced. The company will report again in October.")
FIGHT = ("date 2024-03-05 KIDAL, MALI – Soldiers clashed with rebels near Kidal on Monday, killing six fighters, the "
         "army said. The fighting lasted three hours. Residents fled the town.")


def _write(tmp_path, **fields):
    path = tmp_path / "scope.json"
    path.write_text(json.dumps(fields), encoding="utf-8")
    scope.load_scope.cache_clear()
    return path


def _unjudged(read, text):
    with scope.unscoped():
        return read(text).events


def test_the_signals_tell_a_business_lead_from_a_report_of_fighting(read):
    market, fight = _unjudged(read, MARKET), _unjudged(read, FIGHT)
    assert market and fight
    x_market, x_fight = scope.features(market, MARKET), scope.features(fight, FIGHT)
    assert x_market.get("offtopic_lead") == 1.0 and "armed_agent" not in x_market and "toll" not in x_market
    assert "offtopic_lead" not in x_fight and x_fight.get("armed_agent") == 1.0 and x_fight.get("toll") == 1.0


def test_an_article_out_of_scope_loses_all_its_events_and_the_trace_says_why(read, tmp_path):
    market, fight = _unjudged(read, MARKET), _unjudged(read, FIGHT)
    path = _write(tmp_path, weights={"offtopic_lead": -4.0, "toll": 3.0}, bias=0.0, threshold=0.5, enforce=True)
    with trace.tracing() as t:
        kept_market = scope.apply(market, MARKET, path)
        kept_fight = scope.apply(fight, FIGHT, path)
    assert kept_market == [] and kept_fight == fight
    dropped = [d for d in t.of("events.scope") if "out of scope" in d.outcome]
    assert len(dropped) == 1 and "all its events dropped" in dropped[0].outcome
    assert "scope score 0.02 < 0.50" in dropped[0].reason and "offtopic_lead -4.00" in dropped[0].reason


def test_the_committed_scope_drops_the_business_story_and_keeps_the_fighting(read):
    scope.load_scope.cache_clear()
    committed = scope.load_scope()
    assert committed is not None and committed.enforce is True
    assert set(committed.weights) <= set(scope.FEATURES)
    with trace.tracing() as t:
        market, fight = read(MARKET).events, read(FIGHT).events
    assert market == [] and [e.event_type for e in fight] == ["Battles"]
    assert 0.0 < fight[0].scope_score < 1.0
    assert [d.outcome for d in t.of("events.scope")] == ["out of scope: all its events dropped", "in scope"]


def test_no_scope_file_drops_nothing(read, tmp_path):
    events = _unjudged(read, MARKET)
    assert scope.apply(events, MARKET, tmp_path / "absent.json") == events


@pytest.mark.parametrize("fields, problem", [
    ({"weights": {"event_sentences": 1.0}, "bias": 0.0}, "not an article scope file"),
    ({"weights": {"moon_phase": 1.0}, "bias": 0.0, "threshold": 0.5}, "unknown feature(s) moon_phase"),
])
def test_a_bad_scope_file_is_one_clear_line(tmp_path, fields, problem):
    path = _write(tmp_path, **fields)
    with pytest.raises(ConfigError) as err:
        scope.load_scope(path)
    assert problem in str(err.value) and "\n" not in str(err.value)


def test_a_word_without_its_reason_is_one_clear_line(tmp_path):
    path = tmp_path / "words.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["class", "form", "reason"], ["business", "shares", ""]])
    scope.scope_words.cache_clear()
    with pytest.raises(ConfigError) as err:
        scope.scope_words(path)
    assert "line 2: needs a class, a form and a reason" in str(err.value) and "\n" not in str(err.value)


def test_general_news_fourth_batch_is_never_fitted_on(pipeline, tmp_path):  # noqa: F811 (fixture)
    from bench.fit_event_gate import _collect_written

    path = tmp_path / "general.csv"
    fields = ["id", "country", "published", "text", "event_type", "sub_event_type", "date", "place",
              "place_country", "lat", "lon", "actor1", "actor2", "fatalities", "note"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.DictWriter(handle, fieldnames=fields)
        out.writeheader()
        for row_id in ("b3-market", "b4-market"):
            out.writerow({"id": row_id, "country": "US", "published": "2011-09-14", "text": MARKET.split(" – ", 1)[1]})
    rows: list[dict] = []
    _collect_written(pipeline, rows, lambda *a, **k: None, (("general", path),))
    assert [r["article"] for r in rows if r["kind"] == "article"] == ["b3-market"]
