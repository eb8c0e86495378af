"""The reading's speed paths give what the slow paths give: clauses parsed in batches on a long article
(events.triggers.parse_ahead), and plain written dates read without dateparser (events.dates)."""

from __future__ import annotations

from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

import events.extract as extract
import events.triggers as triggers
from events.dates import parse_explicit

ROOT = Path(__file__).resolve().parents[2]

CLAUSES = ["Rebels attacked the village of Tamba on Monday.",
           "Police fired tear gas at protesters in the capital.",
           "Two soldiers were killed when a roadside bomb exploded near the base."]


def _signature(doc):
    return [(t.text, t.dep_, t.head.i, t.pos_, t.lemma_) for t in doc]


def test_clauses_listed_ahead_are_parsed_in_one_batch_as_alone():
    with triggers.parse_ahead(CLAUSES):
        first = triggers._parse(CLAUSES[0])
        assert set(triggers._local.ahead.docs) == set(CLAUSES)  # the others came with the first, in one batch
        parsed = [first] + [triggers._parse(c) for c in CLAUSES[1:]]
    assert triggers._local.ahead is None
    alone = [triggers.load_parser()(c) for c in CLAUSES]
    assert [_signature(d) for d in parsed] == [_signature(d) for d in alone]


def _run_on(seed: int) -> str:
    """About 1,000 characters of one run-on clause, no full stop anywhere (a scraped page that lost them)."""
    towns = ["Tamba", "Bama", "Gao", "Kidal", "Sirte", "Goma", "Bunia", "Marib"]
    parts, i = [], seed
    while sum(map(len, parts)) < 950:
        parts.append(f"residents of {towns[i % 8]} said the militia fired on the market on day {i} and left")
        i += 3
    return " and ".join(parts)


def test_clauses_seldom_asked_for_are_parsed_alone_not_in_batches():
    """Text with no sentence end is cut into 1,000-character clauses and the reading asks for about one in
    nine: parsing each batch of 64 made its cost grow faster than its length (bench sizes). A clause asked
    for after many that were not is parsed alone; the parse is the same."""
    clauses = [_run_on(seed) for seed in range(12)]
    with triggers.parse_ahead(clauses):
        ahead = triggers._local.ahead
        fifth, tenth = triggers._parse(clauses[4]), triggers._parse(clauses[9])
        assert ahead.docs == {} and ahead.done == 0  # no batch parsed: only the two clauses asked for
    alone = [triggers.load_parser()(c) for c in (clauses[4], clauses[9])]
    assert [_signature(fifth), _signature(tenth)] == [_signature(d) for d in alone]


ARTICLE = ("date 2024-03-04 KANO, Nigeria - Gunmen attacked the village of Tamba on Monday, killing five people, "
           "police said. Protesters gathered in Kano on Tuesday and police dispersed them with tear gas. "
           "An air strike hit a market in Maiduguri, wounding 12 people, officials said. "
           "Troops said they had recaptured Bama after heavy fighting with insurgents.")


def _events(read):
    return [(e.event_type, e.sub_event_type, e.event_date, e.place and e.place.name, e.actor1, e.actor2,
             e.fatalities, e.start, e.end)
            for e in read(ARTICLE).events]


def test_a_long_article_read_with_batched_parses_gives_the_same_events(read, monkeypatch):
    monkeypatch.setattr(extract, "PARSE_AHEAD_CLAUSES", 10**9)
    alone = _events(read)
    monkeypatch.setattr(extract, "PARSE_AHEAD_CLAUSES", 1)  # every article counts as long
    batched = _events(read)
    assert batched == alone and len(alone) >= 3


@pytest.mark.parametrize("expression, published, day", [
    ("March 5", date(2024, 3, 4), None),  # just ahead of publication: a date announced ahead
    ("December 5", date(2024, 3, 4), date(2023, 12, 5)),  # far ahead: last year's
    ("March 1", date(2024, 3, 4), date(2024, 3, 1)),
    ("5th of March", date(2024, 3, 9), date(2024, 3, 5)),
    ("Sept. 27, 2020", date(2024, 3, 4), date(2020, 9, 27)),
    ("12 Dec 2019", date(2024, 3, 4), date(2019, 12, 12)),
    ("April 31", date(2024, 6, 1), None),  # no such day: dateparser says so
    ("February 29", date(2024, 3, 4), date(2024, 2, 29)),
    ("November 10", None, date(1999, 11, 10)),  # no publication date: counted back from 2000-01-01
    ("January 1", None, date(2000, 1, 1)),
])
def test_written_dates(expression, published, day):
    assert parse_explicit(expression, published) == day


def test_a_plain_written_date_does_not_load_dateparser():
    """dateparser's first call costs about a second and a half of CPU: plain dates do not need it."""
    code = ("import sys; from datetime import date; from events.dates import find_dates; "
            "found = find_dates('Shelling hit the town on March 2 and on 3 March 2024.', date(2024, 3, 4)); "
            "undated = find_dates('Shelling hit the town on November 10.', None); "
            "print([str(d.date) for d in found + undated], 'dateparser' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["['2024-03-02',", "'2024-03-03',", "'1999-11-10']", "False"]


def test_clauses_parsed_ahead_in_worker_processes_are_the_parses_made_here(monkeypatch):
    """`clashmap extract` on a long article: its clauses are parsed in the workers of `spacy_workers` and
    shipped back; each parse is the one this process would make, whatever order the reading asks them in."""
    from geo.toponyms import spacy_workers

    clauses = CLAUSES + ["Fighting continued around Gao for a second day, witnesses said.",
                         "The army said it had shot down three drones over the region."]
    alone = [_signature(triggers.load_parser()(c)) for c in clauses]
    monkeypatch.setattr(triggers, "PARSE_BATCH", 2)  # several batches: the reading skips to the one it needs
    with spacy_workers(2) as pool:
        ahead = triggers.started_parse_ahead(clauses, pool)

        def no_parse_here(*_args, **_kwargs):
            raise AssertionError("parsed in this process, not in the workers")

        monkeypatch.setattr(triggers, "load_parser", no_parse_here)  # the workers were forked before: theirs works
        with triggers.parse_ahead(ahead):
            third = triggers._parse(clauses[2])  # the first two batches' first one is skipped
            fifth = triggers._parse(clauses[4])
            assert set(triggers._local.ahead.docs) == {clauses[4]}  # one batch of Docs held at a time
    assert [_signature(third), _signature(fifth)] == [alone[2], alone[4]]


ODD_FORMS = ["I ain't gonna say it, y'all.", "Let's go: there is a man who did it to me and gave it to you.",
             "Nothin' was got, it gets worse.", "Which one was that? That was it.", "He has done what they had.",
             "C'mon, we gotta  go.\n\nNow.", "Rebels attacked the village of Tamba on Monday, killing five people."]


def test_the_quick_attribute_matches_are_spacys():
    """The parse's attribute ruler (part of speech from tags, lemma and morphology exceptions) finds its matches
    by lookup (`geo.toponyms.QuickAttributeMatch`): the same matches as spaCy's Matcher, so the same tokens."""
    from spacy.pipeline import AttributeRuler

    from geo.toponyms import QuickAttributeMatch, load_english

    nlp = load_english()
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler.match, QuickAttributeMatch)
    docs = list(nlp.pipe(ODD_FORMS + CLAUSES, disable=["attribute_ruler", "lemmatizer", "ner"]))
    for doc in docs + docs:  # the second time each token's rules are the ones remembered for its tag, form, dependency
        assert ruler.match(doc) == sorted(set(AttributeRuler.match(ruler, doc))), doc.text
    parsed = triggers.load_parser()("I ain't gonna say it, y'all.")
    assert [t.lemma_ for t in parsed][1:4] == ["be", "not", "go"]


def test_the_remembered_lemmas_are_spacys():
    """The lemmatizer's answers are remembered per word, part of speech and morphology (`RememberedLemmas`):
    every lemma is the one spaCy's rule lemmatizer gives, the first time and when remembered."""
    from geo.toponyms import RememberedLemmas, load_english

    nlp = load_english()
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert isinstance(lemmatizer.lemmatize, RememberedLemmas)
    docs = list(nlp.pipe(ODD_FORMS + CLAUSES + [_run_on(1)], disable=["ner"]))
    for doc in docs:
        assert [lemmatizer.lemmatize.lemmatize(t)[0] for t in doc] == [lemmatizer.lemmatize(t)[0] for t in doc]
    parsed = [t.lemma_ for d in docs for t in d]
    assert [t.lemma_ for d in nlp.pipe(ODD_FORMS + CLAUSES + [_run_on(1)], disable=["ner"]) for t in d] == parsed
    assert {"attack", "kill", "fire", "be", "say"} <= set(parsed)


LEMMA_WORDS = ("The bodies of the wounded fighters were carried through the burning villages; gunmen had fled, "
               "shelling worse positions. Militias stopped, stopping, stopped; the flies, geese and oxen spied. "
               "Blorfs snarbled the quickest zindlings, dyed tying lying cities analyses criteria went better.")


def test_the_known_forms_as_sets_give_spacys_lemmas():
    """The rule lemmatizer's known base forms are looked up in sets (`geo.toponyms.known_forms_as_sets`) instead
    of spaCy's lists: every word, known or made up, gets the lemmas it gets with the lists."""
    from geo.toponyms import load_english

    nlp = load_english()
    lemmatizer = nlp.get_pipe("lemmatizer")
    table = lemmatizer.lookups.get_table("lemma_index")
    assert table and all(isinstance(forms, frozenset) for forms in table.values())
    rule_lemmatize = lemmatizer.lemmatize.lemmatize  # spaCy's, not the remembered answers
    tokens = list(nlp(LEMMA_WORDS + " " + " ".join(ODD_FORMS + CLAUSES), disable=["ner"]))
    lemmatizer.cache.clear()
    with_sets = [rule_lemmatize(t) for t in tokens]
    as_sets = dict(table)
    try:
        for pos, forms in as_sets.items():
            table[pos] = sorted(forms)  # spaCy's lists
        lemmatizer.cache.clear()
        with_lists = [rule_lemmatize(t) for t in tokens]
    finally:
        for pos, forms in as_sets.items():
            table[pos] = forms
        lemmatizer.cache.clear()
    assert with_sets == with_lists
    assert {"body", "village", "city", "fly", "snarble"} <= {f for forms in with_sets for f in forms}


def test_the_article_is_read_for_actors_once():
    """The pipeline asks `article_actors(text)`, the event reading `article_actors(text, path)`: one reading of
    the article serves both (two cache keys read a 1 MB article twice)."""
    from events.actors import ACTORS_CSV, article_actors

    text = "Gunmen attacked the village of Tamba on Monday, police said. " * 3
    assert article_actors(text) is article_actors(text, ACTORS_CSV)
    assert any(m.actor for m in article_actors(text))


def test_extract_with_worker_processes_prints_what_one_process_prints(tmp_path, monkeypatch, capsys, sqlite_url):
    """`clashmap extract` on a long article hands its NER and clause parses to two worker processes: what it
    prints is what the one-process reading prints (here the article counts as long: both limits lowered)."""
    import clashmap.cli as cli
    import geo.toponyms as toponyms

    monkeypatch.setenv("CLASHMAP_DB", sqlite_url)
    path = tmp_path / "long.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setattr(extract, "PARSE_AHEAD_CLAUSES", 1)
    monkeypatch.setattr(cli, "_started_parse", lambda article, pool: None)  # one process: parsed as asked
    assert cli.main(["extract", str(path), "--format", "json"]) == 0
    alone = capsys.readouterr().out
    monkeypatch.undo()
    monkeypatch.setenv("CLASHMAP_DB", sqlite_url)
    monkeypatch.setattr(extract, "PARSE_AHEAD_CLAUSES", 1)
    monkeypatch.setattr(cli, "WORKERS_FROM_CHARS", 1)
    monkeypatch.setattr(cli, "_a_core_is_free", lambda: True)  # (on a busy machine one process reads it)
    monkeypatch.setattr(toponyms, "NER_PIECE", 1)  # each stretch its own piece
    monkeypatch.setattr(cli, "LONG_ARTICLE_CHARS", 1)
    monkeypatch.setattr(triggers, "PARSE_BATCH", 2)
    pools = []
    real_workers = toponyms.spacy_workers

    def counted(n):
        pools.append(n)
        return real_workers(n)

    monkeypatch.setattr(toponyms, "spacy_workers", counted)
    assert cli.main(["extract", str(path), "--format", "json"]) == 0
    assert capsys.readouterr().out == alone and pools == [2]
    assert len(json.loads(alone)["events"]) >= 3
    monkeypatch.setattr(cli, "_a_core_is_free", lambda: False)  # a busy machine: no workers, the same output
    assert cli.main(["extract", str(path), "--format", "json"]) == 0
    assert capsys.readouterr().out == alone and pools == [2]


def test_extract_reads_the_stored_corrections_once_and_applies_them_to_every_article(tmp_path, monkeypatch, capsys,
                                                                                   sqlite_url):
    """`clashmap extract` reads the editors' corrections once for the run, not once per article: each of three
    articles naming a corrected place is read with the correction."""
    import store.corrections as corrections
    from clashmap.cli import main
    from geo.gazetteer import Gazetteer
    from store.db import open_store

    gazetteer = Gazetteer()
    elsewhere = next(p for p in gazetteer.lookup("Barda") if p.country_code == "RU")
    corrections.save_correction(open_store(sqlite_url), "Barda", elsewhere, "tester")
    paths = []
    for i, day in enumerate(["Monday", "Tuesday", "Wednesday"]):
        paths.append(tmp_path / f"{i}.txt")
        paths[-1].write_text(f"date 2024-05-0{i + 3}\\nGunmen attacked a police post in Barda on {day}, officials "
                             f"said.\\n", encoding="utf-8")
    calls = []
    real = corrections.load_corrections
    monkeypatch.setattr(corrections, "load_corrections", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setenv("CLASHMAP_DB", sqlite_url)
    assert main(["extract", "--format", "json", *map(str, paths)]) == 0
    readings = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    placed = [{(p["text"], p["place"]["geonameid"] if p["place"] else None) for p in r["places"]} for r in readings]
    assert placed == [{("Barda", elsewhere.id)}] * 3
    assert len(calls) == 1


TOWNS = ["Nairobi", "Lagos", "Lima", "Dhaka", "Quito", "Mombasa", "Kano", "Cusco", "Sylhet", "Guayaquil", "Kisumu"]


def test_a_large_batch_is_read_in_two_worker_processes_and_printed_as_one_process_prints_it(tmp_path, monkeypatch,
                                                                                           capsys, store_url):
    """`clashmap extract` on 64 articles or more: both cores read whole articles (two worker processes, not this
    one, each with its own connection to the store), and what it prints, a rejected record included, is what one
    process reading them in turn prints (both output forms on SQLite, JSON on PostgreSQL)."""
    import os

    import clashmap.cli as cli
    import clashmap.pipeline as pipeline_module
    from sqlalchemy import select
    from store.db import open_store
    from store.schema import GeocodeCache

    monkeypatch.setenv("CLASHMAP_DB", store_url)
    records = [json.dumps({"text": f"{TOWNS[i % len(TOWNS)].upper()} - Gunmen killed {i + 2} villagers near "
                                   f"{TOWNS[(i + 3) % len(TOWNS)]} on Monday, police said. Story {i}."})
               for i in range(70)]
    records[40] = "{oops"
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    readers = tmp_path / "readers.txt"
    real_read = pipeline_module.Pipeline.read

    def noted(self, article, ahead=None):
        if article.source != "warm-up":
            with open(readers, "a", encoding="utf-8") as out:
                out.write(f"{os.getpid()}\n")
        return real_read(self, article, ahead)

    monkeypatch.setattr(pipeline_module.Pipeline, "read", noted)
    for form in ("json", "text") if store_url.startswith("sqlite") else ("json",):
        readers.unlink(missing_ok=True)
        assert cli.main(["extract", str(path), "--format", form]) == 1
        in_workers = capsys.readouterr()
        pids = readers.read_text().split()
        assert len(pids) == 69 and str(os.getpid()) not in pids and len(set(pids)) == 2
        with open_store(store_url)() as session:  # the workers' geocoder answers reached the store's cache
            cached = set(session.scalars(select(GeocodeCache.query)))
        assert {town.lower() for town in TOWNS} <= cached
        monkeypatch.setattr(pipeline_module, "ARTICLE_WORKERS_FROM", 10_000)  # one process reads them all
        readers.unlink()
        assert cli.main(["extract", str(path), "--format", form]) == 1
        alone = capsys.readouterr()
        assert set(readers.read_text().split()) == {str(os.getpid())}
        assert in_workers.out == alone.out and in_workers.err == alone.err
        assert f"{path}:line 41: is not valid JSON" in alone.err
        monkeypatch.setattr(pipeline_module, "ARTICLE_WORKERS_FROM", 64)
    assert len(alone.out.splitlines() if form == "json" else
               [line for line in alone.out.splitlines() if line.startswith(str(path))]) == 69


HISTORY_DATES = ["March 17, 1884", "4 July 1776", "Sept 5 1066", "December 31, 2150"]


def test_a_written_date_of_any_century_is_dateparsers_answer_without_dateparser():
    """A date with its year written out ("March 17, 1884", in a local paper's history column) is read directly, as
    dateparser reads it, so it does not cost the process dateparser's import and first call (0.18 s of CPU
    measured alone: one of `clashmap extract`'s workers paid it over LGL for that one date)."""
    import dateparser

    code = ("import sys; from datetime import date; from events.dates import parse_explicit; "
            f"print([str(parse_explicit(x, date(2024, 3, 4))) for x in {HISTORY_DATES!r}], 'dateparser' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    base = datetime(2024, 3, 4)
    want = [str(dateparser.parse(x, languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past",
                                                                 "REQUIRE_PARTS": ["day", "month"]}).date())
            for x in HISTORY_DATES]
    assert out.split() == [f"[{want[0]!r},", f"{want[1]!r},", f"{want[2]!r},", f"{want[3]!r}]", "False"]
