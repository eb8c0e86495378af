"""One bad record is one rejection: named by file and record, the batch goes on, nothing stored before is lost.

Each trigger here stopped a whole batch with a traceback before (issue 10, finding 1); the store tests run
on SQLite and on PostgreSQL, where over-long values and NUL characters used to fail only there.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from core_samples import BARDA, GANJA, write_article
from clashmap.loading import ingest_paths
from store.schema import Article, Event

TARTAR = "date 2020-10-12 BAKU, AZERBAIJAN – Artillery shelled Tartar on Sunday, officials said.\n"


def _articles(sessions) -> dict[str, Article]:
    with sessions() as session:
        return {a.source_path: a for a in session.scalars(select(Article))}


def _count(sessions, table) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(table))


@pytest.fixture
def stored_before(tmp_path, sessions):
    """A store that already holds one article and its events, which no later rejection may touch."""
    first = tmp_path / "first"
    first.mkdir()
    write_article(first, "barda.txt", BARDA)
    report = ingest_paths([first], sessions)
    assert len(report.added) == 1
    with sessions() as session:
        return {"article": session.scalar(select(Article.id)), "events": _count(sessions, Event)}


def _still_stored(sessions, before) -> None:
    with sessions() as session:
        assert session.get(Article, before["article"]) is not None
    assert _count(sessions, Event) >= before["events"]


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


# (file name, content, record label suffix, words the reason must contain)
TRIGGERS = [
    pytest.param("year-one.txt", "date 0001-01-01 BAKU, AZERBAIJAN – Shells fell on Sunday and yesterday near Barda.",
                 "", ["publication date 0001-01-01 outside 1900-01-01"], id="date-0001-01-01"),
    pytest.param("far-future.txt", "date 9999-12-31 BAKU, AZERBAIJAN – Rockets hit Ganja, officials said.",
                 "", ["publication date 9999-12-31 outside"], id="date-9999-12-31"),
    pytest.param("deep.json", "[" + json.dumps({"text": TARTAR}) + ", {\"text\": \"x\", \"tags\": " + _deep(6000)
                 + "}]", ":record 2", ["nested too deeply"], id="json-nested-6000"),
    pytest.param("deep.jsonl", json.dumps({"text": TARTAR}) + "\n{\"text\": \"x\", \"tags\": " + _deep(6000) + "}\n",
                 ":line 2", ["nested too deeply"], id="jsonl-nested-6000"),
    pytest.param("title-list.json", json.dumps([{"text": TARTAR, "title": ["Shelling", "Tartar"]}]),
                 ":record 1", ["list in its 'title' field"], id="title-is-a-list"),
    pytest.param("title-object.jsonl", json.dumps({"text": TARTAR, "title": {"en": "Shelling"}}) + "\n",
                 ":line 1", ["object in its 'title' field"], id="title-is-an-object"),
    pytest.param("long-url.json", json.dumps([{"text": TARTAR, "url": "https://example.org/" + "a" * 1100}]),
                 ":record 1", ["url of 1,120 characters, over the 1000"], id="url-over-1000"),
    pytest.param("nul-text.json", json.dumps([{"text": "Shells hit Tartar.\u0000\u0000"}]),
                 ":record 1", ["NUL characters"], id="nul-in-text"),
    pytest.param("surrogate.json", '[{"text": "Shells hit Tartar \\ud800 on Monday."}]',
                 ":record 1", ["not valid Unicode"], id="lone-surrogate"),
]


@pytest.mark.parametrize(("name", "content", "record", "reason"), TRIGGERS)
def test_a_bad_record_is_rejected_by_name_and_the_batch_goes_on(tmp_path, sessions, stored_before, name, content,
                                                                record, reason):
    batch = tmp_path / "batch"
    batch.mkdir()
    write_article(batch, name, content)
    write_article(batch, "zz-ganja.txt", GANJA)  # sorted after the bad file: the batch must reach it
    report = ingest_paths([batch], sessions)
    rejected = dict(report.rejected)
    label = f"{batch / name}{record}"
    assert list(rejected) == [label], report.rejected
    assert rejected[label].startswith(f"{label}: ")
    for words in reason:
        assert words in rejected[label]
    assert "Traceback" not in rejected[label]
    assert str(batch / "zz-ganja.txt") in report.added
    _still_stored(sessions, stored_before)


def test_over_long_and_nul_values_are_stored_the_same_on_both_databases(tmp_path, sessions):
    records = [
        {"text": TARTAR, "title": "Heavy shelling " + "t" * 600, "source": "Wire\u0000 " + "o" * 300},
        {"text": "date 2020-10-13 " + "NORTH " * 45 + "– Shells hit Ganja overnight.", "title": "Long dateline"},
        {"text": GANJA, "title": "Ganja\u0000 hit", "url": "https://example.org/ganja\u0000"},
    ]
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    report = ingest_paths([path], sessions)
    assert not report.rejected and len(report.added) == 3
    stored = _articles(sessions)
    first, second, third = (stored[f"{path}:record {i}"] for i in (1, 2, 3))
    assert len(first.title) == 500 and first.title.endswith("…") and first.title.startswith("Heavy shelling ttt")
    assert len(first.outlet) == 200 and first.outlet.startswith("Wire ooo") and "\x00" not in first.outlet
    assert second.dateline is None and second.text.startswith("date 2020-10-13 NORTH")  # text kept whole
    assert second.published == date(2020, 10, 13)
    assert third.title == "Ganja hit" and third.url == "https://example.org/ganja"


def test_a_store_made_on_sqlite_with_odd_values_copies_to_postgresql(tmp_path, sqlite_sessions, sqlite_url,
                                                                    postgres_url):
    from store.copy import copy_store
    from store.db import open_store

    path = tmp_path / "odd.json"
    path.write_text(json.dumps([
        {"text": TARTAR, "title": "T" * 900, "source": "O" * 400 + "\u0000"},
        {"text": GANJA, "title": "Nul\u0000title", "source": "Wire\u0000"},
    ]), encoding="utf-8")
    write_article(tmp_path, "barda.txt", BARDA)
    report = ingest_paths([tmp_path], sqlite_sessions)
    assert not report.rejected and len(report.added) == 3
    from store.db import close_stores

    close_stores()
    with open_store(postgres_url)() as session:  # the destination exists and is migrated, but empty
        assert session.scalar(select(func.count()).select_from(Article)) == 0
    close_stores()
    counts = copy_store(sqlite_url, postgres_url)
    assert counts["articles"] == 3 and counts["events"] >= 2
    with open_store(postgres_url)() as session:
        titles = sorted(session.scalars(select(Article.title)), key=len)
    assert titles[:2] == ["Nultitle", "Shells hit Barda"] and len(titles[2]) == 500


def test_text_over_the_article_limit_is_rejected_with_its_size(tmp_path, sessions, stored_before):
    big = tmp_path / "big.txt"
    big.write_text("Shells fell " * 120_000, encoding="utf-8")  # 1.44 MB, one line, no sentence end
    lines = tmp_path / "wire.jsonl"
    lines.write_text(json.dumps({"text": TARTAR}) + "\n" + json.dumps({"text": "a " * 700_000}) + "\n",
                     encoding="utf-8")
    report = ingest_paths([big, lines], sessions)
    assert report.rejected == [
        (str(big), f"{big}: article is 1.4 MB, over the 1 MB limit (CLASHMAP_MAX_ARTICLE_BYTES)"),
        (f"{lines}:line 2", f"{lines}:line 2: article is 1.4 MB, over the 1 MB limit (CLASHMAP_MAX_ARTICLE_BYTES)"),
    ]
    assert report.added == [f"{lines}:line 1"]
    _still_stored(sessions, stored_before)


def test_the_article_limit_is_a_setting(tmp_path, monkeypatch, sqlite_sessions):
    monkeypatch.setenv("CLASHMAP_MAX_ARTICLE_BYTES", "2000")
    path = tmp_path / "wire.csv"
    path.write_text('text,title\n"' + TARTAR + '",ok\n"' + "Shells fell. " * 200 + '",too long\n', encoding="utf-8")
    report = ingest_paths([path], sqlite_sessions)
    assert report.added == [f"{path}:line 2"]
    assert report.rejected == [(f"{path}:line 4", f"{path}:line 4: article is 2.6 KB, over the 2 KB limit "
                                                  "(CLASHMAP_MAX_ARTICLE_BYTES)")]


def test_batch_file_over_its_cap_is_rejected_unread(tmp_path, monkeypatch, sqlite_sessions):
    monkeypatch.setenv("CLASHMAP_MAX_BATCH_BYTES", "10000")
    path = tmp_path / "wire.jsonl"
    path.write_text((json.dumps({"text": TARTAR}) + "\n") * 200, encoding="utf-8")
    report = ingest_paths([path], sqlite_sessions)
    assert report.rejected == [(str(path), f"{path}: batch file is 21.2 KB, over the 10 KB limit "
                                           "(CLASHMAP_MAX_BATCH_BYTES)")]


def test_csv_text_field_over_128_kb_is_read(tmp_path):
    from articles.reader import read_records

    path = tmp_path / "long.csv"
    body = "Shelling continued near Tartar through the night. " * 4000  # 204 KB, past csv's 128 KB default
    path.write_text(f'title,text\nLong,"{body}"\nShort,"{TARTAR}"\n', encoding="utf-8")
    outcomes = list(read_records(path))
    assert [type(o).__name__ for _, o in outcomes] == ["Article", "Article"]
    assert outcomes[0][1].text == body and outcomes[1][1].title == "Short"


def test_a_huge_record_is_rejected_without_being_held_in_memory(tmp_path):
    import tracemalloc

    from articles.reader import read_records

    chunk = "Shells fell near the town. " * 40_000  # ~1 MB
    text_file, lines_file, csv_file = tmp_path / "huge.txt", tmp_path / "huge.jsonl", tmp_path / "huge.csv"
    with text_file.open("w", encoding="utf-8") as f:
        for _ in range(50):
            f.write(chunk)
    with lines_file.open("w", encoding="utf-8") as f:
        f.write('{"text": "')
        for _ in range(50):
            f.write(chunk)
        f.write('"}\n' + json.dumps({"text": TARTAR}) + "\n")
    with csv_file.open("w", encoding="utf-8") as f:
        f.write('text\n"')
        for _ in range(50):
            f.write(chunk.replace("town.", 'town, ""they said"".'))
        f.write(f'"\n"{TARTAR}"\n')
    for path, kept in ((text_file, 0), (lines_file, 1), (csv_file, 1)):
        tracemalloc.start()
        outcomes = list(read_records(path))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert re.search(r"(huge.txt|jsonl:line 1|csv:line 2): article is \d+ MB, over the 1 MB limit",
                         str(outcomes[0][1])), outcomes[0]
        assert sum(type(o).__name__ == "Article" for _, o in outcomes) == kept
        assert peak < 8_000_000, f"{path.name}: {peak:,} bytes held while rejecting a 50 MB record"


def test_dates_at_the_ends_of_the_calendar_do_not_overflow():
    from events.dates import find_dates
    from events.merge import date_window
    from events.model import ExtractedEvent

    text = "Shells fell on Sunday and yesterday, in July and last month, three days ago, on March 3."
    assert all(d.date >= date(1, 1, 1) for d in find_dates(text, date(1, 1, 1)))
    assert find_dates(text, date(9999, 12, 31))
    event = ExtractedEvent(date(9999, 12, 31), 1, "Battles", "Armed clash", None, 1, "", 0, 0, 0)
    assert date_window(event) == (date(9999, 11, 30), date(9999, 12, 31))
    event.event_date = date(1, 1, 2)
    assert date_window(event) == (date(1, 1, 1), date(1, 2, 2))


def test_unexpected_failure_of_one_record_is_named_by_its_type(tmp_path, sqlite_sessions, gazetteer):
    from articles.reader import read_text
    from clashmap.pipeline import Pipeline
    from clashmap.loading import ingest_articles

    # corrections of the wrong shape make the real pipeline fail inside, as an unforeseen bug would
    pipeline = Pipeline(sqlite_sessions, gazetteer=gazetteer, corrections=["not", "a", "mapping"])
    report = ingest_articles([read_text(TARTAR, "wire.jsonl:line 7")], sqlite_sessions, pipeline)
    assert report.rejected == [("wire.jsonl:line 7", "wire.jsonl:line 7: could not read: AttributeError: "
                                                     "'list' object has no attribute 'items'")]


def _with_pragma(sessions, pragma: str) -> None:
    """Every new connection of this store runs `pragma` (the pool is emptied so none escapes it)."""
    from sqlalchemy import event

    engine = sessions.kw["bind"]
    event.listen(engine, "connect", lambda conn, _record: conn.execute(pragma))
    engine.dispose()


@pytest.mark.parametrize(("pragma", "problem"), [
    ("PRAGMA query_only = ON", "the database is read-only"),  # SQLITE_READONLY, as for a read-only file or mount
    ("PRAGMA max_page_count = 40", "the disk is full"),  # SQLITE_FULL for real, once the file reaches 40 pages
])
def test_read_only_or_full_store_is_one_line_naming_the_database(tmp_path, monkeypatch, capsys, sqlite_url, pragma,
                                                                 problem):
    from clashmap.cli import main
    from store.db import open_store

    monkeypatch.setenv("CLASHMAP_DB", sqlite_url)
    sessions = open_store(sqlite_url)
    folder = tmp_path / "in"
    folder.mkdir()
    write_article(folder, "a-bad.json", json.dumps([{"text": TARTAR, "title": ["a", "list"]}]))
    write_article(folder, "barda.txt", BARDA)
    write_article(folder, "long.txt", "shells fell near the town and nobody was hurt.\n" * 1500)  # 70 KB: > 40 pages
    before = _count(sessions, Article)
    _with_pragma(sessions, pragma)
    status = main(["ingest", str(folder), "--quiet"])
    out, err = capsys.readouterr()
    database = sqlite_url.removeprefix("sqlite:///")
    assert status == 1
    assert "Traceback" not in err and "sqlalchemy" not in err.lower()
    assert f"clashmap: {database}: {problem}" in err
    assert out.startswith("added ") and "rejected 1" in out  # the report of what was done before is printed
    assert f"rejected {folder / 'a-bad.json'}:record 1: has a list in its 'title' field" in err
    sessions.kw["bind"].dispose()
    from store.db import close_stores

    close_stores()
    assert _count(open_store(sqlite_url), Article) >= before


def test_on_record_reports_each_record_of_a_batch(tmp_path, sqlite_sessions):
    path = tmp_path / "wire.csv"
    rows = "".join(f'"Shells hit Tartar on day {i}, officials said.",Wire {i}\n' for i in range(12))
    path.write_text("text,source\n" + rows + '"",empty\n', encoding="utf-8")
    write_article(tmp_path, "z.txt", BARDA)
    calls = []
    report = ingest_paths([path, tmp_path / "z.txt"], sqlite_sessions,
                          on_record=lambda done, total, outcome: calls.append((done, total, outcome)))
    assert [c[0] for c in calls] == list(range(1, 15))
    assert all(total == 14 for _, total, _ in calls[:13]) and calls[-1] == (14, 14, "added")
    assert [c[2] for c in calls[:13]].count("added") == 12 and calls[12][2] == "rejected"
    assert report.rejected[0][1].startswith(f"{path}:line 14: is empty")


def test_cli_extract_prints_the_good_records_and_rejects_the_bad_on_stderr(tmp_path, monkeypatch, capsys,
                                                                         sqlite_url):
    from clashmap.cli import main

    monkeypatch.setenv("CLASHMAP_DB", sqlite_url)
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps({"text": TARTAR}) + "\n{oops\n"
                    + json.dumps({"text": "date 0001-01-01 BAKU, AZERBAIJAN – Shells fell yesterday."}) + "\n"
                    + json.dumps({"text": GANJA, "title": "Ganja"}) + "\n", encoding="utf-8")
    status = main(["extract", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert status == 1
    printed = [json.loads(line) for line in out.splitlines()]
    assert len(printed) == 2
    assert err.splitlines() == [
        f"clashmap: {path}:line 2: is not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        f"clashmap: {path}:line 3: has a publication date 0001-01-01 outside 1900-01-01 .. "
        f"{_latest()}",
    ]


def _latest() -> str:
    from store.validate import latest_date

    return latest_date().isoformat()


def test_cli_reprocess_keeps_the_old_reading_of_an_article_it_now_rejects(tmp_path, monkeypatch, capsys, sqlite_url):
    from clashmap.cli import main
    from store.db import open_store

    monkeypatch.setenv("CLASHMAP_DB", sqlite_url)
    sessions = open_store(sqlite_url)
    write_article(tmp_path, "barda.txt", BARDA)
    write_article(tmp_path, "ganja.txt", GANJA)
    ingest_paths([tmp_path], sessions)
    with sessions.begin() as session:  # a store written before dates were checked
        old = session.scalars(select(Article).where(Article.source_path.endswith("ganja.txt"))).one()
        old.published = date(1, 1, 1)
    events_before = _count(sessions, Event)
    status = main(["reprocess", "--quiet"])
    out, err = capsys.readouterr()
    assert status == 1
    assert out.strip() == "reprocessed 1 stored articles, 1 kept their old reading"
    assert err.strip() == (f"not reprocessed {tmp_path / 'ganja.txt'} (article {old.id}): has a publication date "
                           f"0001-01-01 outside 1900-01-01 .. {_latest()}")
    assert _count(sessions, Event) == events_before



def test_an_over_long_geocoded_place_is_cut_to_fit_on_both_databases(sessions, gazetteer):
    from dataclasses import replace

    from articles.reader import read_text
    from clashmap.pipeline import Pipeline
    from store.ingest import store_reading
    from store.schema import Place
    from store.validate import clean_reading

    reading = Pipeline(sessions, gazetteer=gazetteer).read(read_text(BARDA, "barda.txt"))
    assert reading.events and reading.events[0].place is not None
    odd = replace(reading.events[0].place, id=9_000_000_001, name="Barda " + "district " * 40, country_code="AZE",
                  admin1="x" * 30, source="an online geocoder with a very long name indeed")
    reading.events[0].place = odd
    reading.events[0].fatalities = {"low": 21, "best": 21, "high": 10**12}  # a figure no INTEGER column holds
    assert store_reading(sessions, clean_reading(reading))
    with sessions() as session:
        place = session.get(Place, 9_000_000_001)
        event = session.scalars(select(Event).where(Event.place_id == 9_000_000_001)).one()
    assert place.name.startswith("Barda district") and len(place.name) == 200 and place.name.endswith("…")
    assert place.country_code is None and place.admin1 is None and len(place.source) == 40
    assert (event.fatalities_low, event.fatalities_best, event.fatalities_high) == (21, 21, None)


def test_no_article_under_the_limit_reaches_spacys_length_guard(tmp_path):
    import os
    import subprocess
    import sys

    from core_samples import REPO

    env = {**os.environ, "CLASHMAP_MAX_ARTICLE_BYTES": "3000000"}
    run = subprocess.run([sys.executable, "-c", "from geo.toponyms import load_ner; print(load_ner().max_length)"],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert int(run.stdout.strip()) > 3_000_000


def test_cli_extract_on_a_read_only_store_is_one_line(tmp_path, monkeypatch, capsys, sqlite_url):
    from clashmap.cli import main
    from store.db import open_store

    monkeypatch.setenv("CLASHMAP_DB", sqlite_url)
    sessions = open_store(sqlite_url)
    _with_pragma(sessions, "PRAGMA query_only = ON")  # extract writes the geocoder's cache
    path = write_article(tmp_path, "ganja.txt", GANJA)
    status = main(["extract", str(path)])
    out, err = capsys.readouterr()
    assert status == 1 and "Traceback" not in err
    assert err.strip().startswith(f"clashmap: {sqlite_url.removeprefix('sqlite:///')}: the database is read-only")


def test_articles_built_by_other_code_are_type_checked_before_storing(sqlite_sessions, gazetteer):
    from articles.model import Article as Read
    from clashmap.pipeline import Pipeline
    from clashmap.loading import ingest_articles

    pipeline = Pipeline(sqlite_sessions, gazetteer=gazetteer)
    odd = Read(text=TARTAR, source="upload.json", title=["not", "text"])  # type: ignore[arg-type]
    report = ingest_articles([odd, Read(text=GANJA, source="ok.txt")], sqlite_sessions, pipeline)
    assert report.rejected == [("upload.json", "upload.json: has a list as its title, where text is expected")]
    assert report.added == ["ok.txt"]


def test_db_copy_fits_values_an_older_version_stored_unchecked_in_sqlite(tmp_path, sqlite_sessions, sqlite_url,
                                                                        postgres_url):
    from store.copy import copy_store
    from store.db import close_stores

    write_article(tmp_path, "barda.txt", BARDA)
    write_article(tmp_path, "ganja.txt", GANJA)
    assert len(ingest_paths([tmp_path], sqlite_sessions).added) == 2
    with sqlite_sessions.begin() as session:  # what SQLite accepted before values were checked
        first, second = session.scalars(select(Article).order_by(Article.source_path)).all()
        first.title, first.outlet = "Shells hit Barda " + "b" * 700, "Wire\x00"
        second.dateline = "GANJA " * 60
    close_stores()
    counts = copy_store(sqlite_url, postgres_url)
    assert counts["articles"] == 2 and counts["values cut to fit"] == 3
    from store.db import open_store

    with open_store(postgres_url)() as session:
        rows = {a.source_path: a for a in session.scalars(select(Article))}
    barda, ganja = rows[str(tmp_path / "barda.txt")], rows[str(tmp_path / "ganja.txt")]
    assert len(barda.title) == 500 and barda.title.endswith("…") and barda.outlet == "Wire"
    assert len(ganja.dateline) == 200


def test_read_only_postgresql_store_is_one_line_naming_the_server(tmp_path, postgres_url):
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from clashmap.errors import StoreError
    from store.db import open_store

    sessions = open_store(postgres_url)
    engine = sessions.kw["bind"]
    with engine.begin() as conn:  # a read-only replica or a database an operator locked
        conn.execute(text(f'ALTER DATABASE "{make_url(postgres_url).database}" SET default_transaction_read_only = on'))
    engine.dispose()
    write_article(tmp_path, "ganja.txt", GANJA)
    with pytest.raises(StoreError) as err:
        ingest_paths([tmp_path], sessions)
    shown = make_url(postgres_url).render_as_string(hide_password=True)
    assert str(err.value).startswith(f"{shown}: ") and "read-only transaction" in str(err.value)
    assert "\n" not in str(err.value) and err.value.report.added == []
