"""The GeoWebNews gold events (bench/gwn_events.csv) are well-formed, and the bench's scorer counts right."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date

import pytest

from bench import events_real_gwn as gwn
from clashmap.errors import ClashmapError

needs_corpus = pytest.mark.skipif(not gwn.CORPUS.exists(),
                                  reason=f"GeoWebNews corpus not found at {gwn.CORPUS} (../shared/corpora is absent)")


def _gold(**changes) -> gwn.GoldEvent:
    base = gwn.GoldEvent(line=2, article="x", start=0, end=10, event_type="Explosions/Remote violence",
                         sub_event_type="Shelling/artillery/missile attack", date=date(2018, 1, 23), date_end=None,
                         time_precision=1, place="a town", geonames_id="", lat=36.85, lon=41.17, geo_precision=1,
                         actor1="Military Forces of X", actor2="", fatalities=0, optional=False, note="")
    return replace(base, **changes)


def _got(**changes) -> gwn.Got:
    return replace(gwn.Got("Explosions/Remote violence", "Shelling/artillery/missile attack", date(2018, 1, 23),
                           36.85, 41.17, None), **changes)


def test_a_right_prediction_is_a_true_event_and_wrong_ones_are_a_miss_and_a_false_event():
    gold = _gold()
    right = _got(lat=36.85 + 0.2, event_date=date(2018, 1, 24))  # 22 km north, a day later: still the event
    scored = gwn.score_article("x", [gold], [right])
    assert (len(scored.tp), len(scored.fp), len(scored.fn)) == (1, 0, 0)

    for wrong in (_got(event_type="Battles"),                     # another type
                  _got(lat=36.85 + 0.6),                          # 67 km away
                  _got(event_date=date(2018, 1, 25)),             # two days later
                  _got(lat=None, lon=None)):                      # no place
        scored = gwn.score_article("x", [gold], [wrong])
        assert (len(scored.tp), len(scored.fp), len(scored.fn)) == (0, 1, 1), wrong
    assert gwn.prf(1, 1, 1) == (0.5, 0.5, 0.5)


def test_a_span_of_days_and_optional_gold_events():
    span = _gold(event_type="Battles", sub_event_type="Armed clash", date=date(2018, 1, 20),
                 date_end=date(2018, 1, 23))
    inside = _got(event_type="Battles", sub_event_type="Armed clash", event_date=date(2018, 1, 22))
    after = _got(event_type="Battles", sub_event_type="Armed clash", event_date=date(2018, 1, 25))
    assert len(gwn.score_article("x", [span], [inside]).tp) == 1
    assert len(gwn.score_article("x", [span], [after]).tp) == 0

    optional = _gold(optional=True)
    found = gwn.score_article("x", [optional], [_got()])
    assert (len(found.tp), len(found.fp), len(found.fn)) == (0, 0, 0)  # matched: not a false event, no credit
    missed = gwn.score_article("x", [optional], [])
    assert (len(missed.tp), len(missed.fp), len(missed.fn)) == (0, 0, 0)  # not matched: no miss


def test_a_malformed_gold_row_is_one_line_naming_the_file_and_line(tmp_path):
    path = tmp_path / "gold.csv"
    with open(gwn.GOLD_FILE, encoding="utf-8", newline="") as src:
        rows = list(csv.DictReader(src))
    rows[1]["date"] = "23 January 2018"
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, gwn.GOLD_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ClashmapError) as err:
        gwn.load_gold(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and "line 3" in message


@needs_corpus
def test_the_gold_file_is_well_formed_against_the_corpus():
    gold, articles = gwn.load_gold(), gwn.load_articles()
    assert gwn.problems(gold, articles) == []
    assert len(articles) == 200
    assert sum(not g.optional for g in gold) >= 10
    # the split rule of the module docstring, as the counts of the two halves show it
    halves = [gwn.half_of(a) for a in articles]
    assert (halves.count("tuning"), halves.count("held-out")) == (97, 103)


@needs_corpus
def test_the_checker_reports_each_kind_of_fault():
    gold, articles = gwn.load_gold(), gwn.load_articles()
    first = gold[0]
    broken = [replace(first, article="no-such-article"),
              replace(first, end=10**7),
              replace(first, sub_event_type="Armed clash"),  # a Battles sub-type under another type
              replace(first, geonames_id="1"),
              replace(first, date_end=date(2000, 1, 1))]
    found = gwn.problems(broken + gold[1:], articles)
    for needle in ("no-such-article", "outside article", "not an ACLED type", "not among article", "before date"):
        assert any(needle in p for p in found), (needle, found)


@needs_corpus
def test_the_gold_file_points_into_the_corpus_and_copies_none_of_its_text():
    texts = {d.id: d.text for d in gwn.read_geowebnews()}
    for g in gwn.load_gold():
        evidence = texts[g.article][g.start:g.end]
        assert evidence.strip() and len(evidence.split()) >= 3, g
        for cell in (g.note, g.place, g.actor1, g.actor2):
            # no run of six words of the article appears in a cell we wrote
            words = texts[g.article].split()
            runs = {" ".join(words[i:i + 6]) for i in range(len(words) - 5)}
            assert not any(run in cell for run in runs), (g.line, cell)
