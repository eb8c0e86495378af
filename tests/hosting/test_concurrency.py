"""Several editors on one store: two ingest processes and a dashboard reader at once, on both databases.

What a newsroom would check: every article is stored exactly once, every event and every source
of it is there, the same as a single serial ingest gives; the reader never fails and never sees
the store shrink; a correction saved by one editor is what the other editor reads next.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from store.db import make_engine, open_store
from store.schema import Article, Event, EventSource, GeocodeCache, Mention

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "data" / "articles"


def _article_files() -> list[Path]:
    files = sorted(p for p in ARTICLES.glob("*.txt"))
    if len(files) < 10:
        pytest.skip(f"the sample articles are missing from {ARTICLES}")
    return files


def _ingest_process(url: str, files: list[Path]) -> subprocess.Popen:
    env = {**os.environ, "CLASHMAP_DB": url, "CLASHMAP_GEOCODER": "offline"}
    return subprocess.Popen([sys.executable, "-m", "clashmap", "ingest", "--quiet", *map(str, files)], cwd=REPO,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> dict[str, int]:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, f"ingest failed ({process.returncode}):\n{err[-3000:]}"
    found = re.search(r"added (\d+), unchanged (\d+), rejected (\d+)", out)
    assert found, f"no summary line in the ingest output: {out!r}"
    return dict(zip(("added", "unchanged", "rejected"), map(int, found.groups())))


def _snapshot(sessions) -> dict:
    """What a user would compare: articles, mentions and event reports per article, cache rows."""
    with sessions() as session:
        articles = set(session.scalars(select(Article.id)))
        mentions = dict(session.execute(select(Mention.article_id, func.count()).group_by(Mention.article_id)).all())
        reports = dict(session.execute(select(EventSource.article_id, func.count())
                                       .group_by(EventSource.article_id)).all())
        events = session.scalars(select(Event)).all()
        sources = {event.key: {src.article_id for src in event.sources} for event in events}
        unmerged = _unmerged_duplicates(events)
        cache_rows = session.scalar(select(func.count()).select_from(GeocodeCache))
    return {"articles": articles, "mentions": mentions, "reports": reports, "events": set(sources),
            "sources": sources, "n_sources": sum(map(len, sources.values())), "unmerged": unmerged,
            "cache_rows": cache_rows}


def _unmerged_duplicates(events) -> list[tuple[str, str]]:
    """Pairs of stored events that events.merge calls one event yet no article links: duplicates.

    Storing in any serial order never leaves such a pair (a report joins a matching stored event
    unless its own article already sources that event), so this holds whatever order the
    concurrent processes happened to store articles in, unlike the exact set of event keys.
    """
    from events.merge import same_event

    sources = {event.id: {src.article_id for src in event.sources} for event in events}
    return [(a.key, b.key) for a in events for b in events
            if a.id < b.id and same_event(a, b) and not sources[a.id] & sources[b.id]]


@pytest.fixture(scope="module")
def serial_reference(tmp_path_factory) -> dict:
    """The store one ingest process alone makes from the sample articles."""
    url = f"sqlite:///{tmp_path_factory.mktemp('serial') / 'serial.sqlite'}"
    summary = _finish(_ingest_process(url, _article_files()))
    assert summary["rejected"] == 0
    snapshot = _snapshot(open_store(url))
    assert snapshot["events"], "the sample articles gave no events: nothing to compare"
    assert snapshot["unmerged"] == []
    return snapshot


class _Reader(threading.Thread):
    """A dashboard-like reader polling the store while the ingests run."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.sessions = sessionmaker(make_engine(url))
        self.stop = threading.Event()
        self.counts: list[tuple[int, int]] = []
        self.errors: list[BaseException] = []

    def run(self) -> None:
        from store.queries import events_frame

        while not self.stop.is_set():
            try:
                with self.sessions() as session:
                    articles = session.scalar(select(func.count()).select_from(Article))
                frame = events_frame(self.sessions)
                self.counts.append((articles, len(frame)))
            except Exception as err:  # noqa: BLE001 - any failure of a reader is what this test looks for
                self.errors.append(err)
            time.sleep(0.05)


def test_two_ingests_and_a_reader_lose_and_duplicate_nothing(store_url, serial_reference):
    files = _article_files()
    open_store(store_url)  # schema ready before the reader starts, as on a running newsroom server
    reader = _Reader(store_url)
    reader.start()
    forward = _ingest_process(store_url, files)
    backward = _ingest_process(store_url, list(reversed(files)))
    try:
        first, second = _finish(forward), _finish(backward)
    finally:
        reader.stop.set()
        reader.join(timeout=30)
        reader.sessions.kw["bind"].dispose()

    # each file was stored by exactly one of the two processes; the other found it there
    assert first["added"] + second["added"] == len(files)
    assert first["added"] + first["unchanged"] == len(files) == second["added"] + second["unchanged"]
    assert first["rejected"] == second["rejected"] == 0

    together = _snapshot(open_store(store_url))
    assert together["articles"] == serial_reference["articles"]
    assert together["mentions"] == serial_reference["mentions"]
    # every event report of every article is stored, once (which report created a merged event
    # depends on the order articles arrive, so event keys are compared only through the merge rule)
    assert together["reports"] == serial_reference["reports"]
    assert together["unmerged"] == []
    assert together["cache_rows"] == serial_reference["cache_rows"]

    assert not reader.errors, f"the reader failed while the ingests ran: {reader.errors[:3]}"
    assert len(reader.counts) >= 3, "the reader did not get to read during the ingest"
    articles_seen = [a for a, _ in reader.counts]
    assert articles_seen == sorted(articles_seen), "the reader saw the store shrink"


def test_same_article_from_two_threads_is_stored_once(store_url, gazetteer):
    """Many writers storing the same reading at the same instant: one stores it, the rest see it there."""
    from articles.reader import read_text
    from clashmap.pipeline import Pipeline
    from store.ingest import store_reading

    sessions = open_store(store_url)
    article = read_text(_SHARED_EVENT_A, "a.txt")
    reading = Pipeline(sessions, gazetteer=gazetteer).read(article)
    assert reading.events, "the test article should give at least one event"
    results: list[bool] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def store() -> None:
        own = sessionmaker(make_engine(store_url), expire_on_commit=False)  # one engine per "process"
        barrier.wait()
        try:
            results.append(store_reading(own, reading))
        except Exception as err:  # noqa: BLE001
            errors.append(err)
        finally:
            own.kw["bind"].dispose()

    threads = [threading.Thread(target=store) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sorted(results) == [False] * 5 + [True]
    snap = _snapshot(sessions)
    assert snap["articles"] == {article.id}
    assert snap["n_sources"] == len(snap["events"]) >= 1


@pytest.mark.parametrize("second", ["same day", "one day later"])
def test_one_event_reported_by_two_articles_stored_at_once(store_url, gazetteer, second):
    """Two articles of the same event stored concurrently: one event row, both articles as its sources.

    "one day later" is the tolerant merge of events.merge, which no unique key protects.
    """
    from articles.reader import read_text
    from clashmap.pipeline import Pipeline
    from store.ingest import store_reading

    sessions = open_store(store_url)
    pipeline = Pipeline(sessions, gazetteer=gazetteer)
    readings = [pipeline.read(read_text(text, name))
                for text, name in ((_SHARED_EVENT_A, "a.txt"),
                                       (_SHARED_EVENT_B if second == "same day" else _NEXT_DAY_REPORT, "b.txt"))]
    from events.merge import same_event

    pairs = [(a, b) for a in readings[0].events for b in readings[1].events if same_event(a, b)]
    assert pairs, "the two test articles should report one same event"
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def store(reading) -> None:
        own = sessionmaker(make_engine(store_url), expire_on_commit=False)
        barrier.wait()
        try:
            assert store_reading(own, reading)
        except BaseException as err:  # noqa: BLE001
            errors.append(err)
        finally:
            own.kw["bind"].dispose()

    threads = [threading.Thread(target=store, args=(r,)) for r in readings]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    snap = _snapshot(sessions)
    assert snap["unmerged"] == []
    assert snap["reports"] == {r.article.id: len(r.events) for r in readings}
    both = {r.article.id for r in readings}
    assert any(sources == both for sources in snap["sources"].values()), snap["sources"]


def test_a_tolerant_merge_waits_for_the_writer_of_the_same_event(store_url, gazetteer):
    """A report one day later must wait while another transaction is still storing the first report.

    Deterministic form of the race above: the first transaction is held open, so without a lock the
    second writer would not see its event and would store a duplicate next to it.
    """
    from articles.reader import read_text
    from clashmap.pipeline import Pipeline
    from store.ingest import _write_reading, store_reading
    from store.places import ensure_place

    sessions = open_store(store_url)
    pipeline = Pipeline(sessions, gazetteer=gazetteer)
    first, later = (pipeline.read(read_text(text, name))
                    for text, name in ((_SHARED_EVENT_A, "a.txt"), (_NEXT_DAY_REPORT, "c.txt")))
    with sessions.begin() as session:  # places known beforehand, so no place row makes the writers queue
        for reading in (first, later):
            for res in reading.mentions:
                if res.place:
                    ensure_place(session, res.place)
    writer_a = sessionmaker(make_engine(store_url), expire_on_commit=False)
    writer_b = sessionmaker(make_engine(store_url), expire_on_commit=False)
    outcome: list[object] = []
    try:
        with writer_a.begin() as session:
            assert _write_reading(session, first)
            second = threading.Thread(target=lambda: outcome.append(store_reading(writer_b, later)))
            second.start()
            second.join(timeout=1.5)
            assert second.is_alive(), "the second writer did not wait for the first one's transaction"
        second.join(timeout=60)
        assert outcome == [True]
    finally:
        writer_a.kw["bind"].dispose()
        writer_b.kw["bind"].dispose()
    snap = _snapshot(sessions)
    assert snap["unmerged"] == []
    assert {first.article.id, later.article.id} in snap["sources"].values()


def test_correction_by_one_editor_is_read_by_the_other(store_url, gazetteer):
    """Editor A corrects a place; editor B, on another connection, reads the correction on its next read."""
    from articles.reader import read_text
    from clashmap.pipeline import Pipeline
    from store.corrections import load_corrections, save_correction
    from store.ingest import store_reading
    from store.queries import article_detail

    editor_a = sessionmaker(make_engine(store_url), expire_on_commit=False)
    editor_b = sessionmaker(make_engine(store_url), expire_on_commit=False)
    try:
        open_store(store_url)
        article = read_text(_SHARED_EVENT_A, "a.txt")
        store_reading(editor_a, Pipeline(editor_a, gazetteer=gazetteer).read(article))
        before = article_detail(editor_b, article.id)
        barda = [m for m in before["mentions"] if m["text"] == "Barda"]
        assert barda, f"Barda should be a mention of the test article: {before['mentions']}"
        replacement = gazetteer.lookup("Ganja")[0]
        assert barda[0]["place_id"] != replacement.id

        changed = save_correction(editor_a, "Barda", replacement, "editor-a")
        assert changed >= 1
        after = article_detail(editor_b, article.id)
        fixed = [m for m in after["mentions"] if m["text"] == "Barda"]
        assert {m["place_id"] for m in fixed} == {replacement.id}
        assert {m["corrected_by"] for m in fixed} == {"editor-a"}
        assert load_corrections(editor_b, gazetteer)["barda"].id == replacement.id

        # both editors correct the same name at the same moment: no error, one of the two wins everywhere
        errors: list[BaseException] = []
        barrier = threading.Barrier(2)
        choices = {"editor-a": gazetteer.lookup("Baku")[0],
                   "editor-b": gazetteer.lookup("Yerevan")[0]}

        def correct(editor: str, sessions) -> None:
            barrier.wait()
            try:
                save_correction(sessions, "Barda", choices[editor], editor)
            except BaseException as err:  # noqa: BLE001
                errors.append(err)

        threads = [threading.Thread(target=correct, args=("editor-a", editor_a)),
                   threading.Thread(target=correct, args=("editor-b", editor_b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, errors
        final = [m for m in article_detail(editor_a, article.id)["mentions"] if m["text"] == "Barda"]
        winner = final[0]["corrected_by"]
        assert {(m["place_id"], m["corrected_by"]) for m in final} == {(choices[winner].id, winner)}
        assert load_corrections(editor_b, gazetteer)["barda"].id == choices[winner].id
    finally:
        editor_a.kw["bind"].dispose()
        editor_b.kw["bind"].dispose()


_SHARED_EVENT_A = (
    "source: Test Wire\ntitle: Shelling of Barda\n"
    "date 2020-10-28 BAKU, AZERBAIJAN – Armenian forces shelled the town of Barda on Wednesday, "
    "the Azerbaijani Ministry of Defense said, adding that at least 21 civilians were killed.\n"
)
_SHARED_EVENT_B = (
    "source: Other Wire\ntitle: Barda hit by rockets\n"
    "date 2020-10-29 BAKU, AZERBAIJAN – Armenian forces shelled the town of Barda on Wednesday, "
    "killing 21 civilians, Azerbaijan's Ministry of Defense said on Thursday.\n"
)
_NEXT_DAY_REPORT = (
    "source: Third Wire\ntitle: Barda shelled\n"
    "date 2020-10-29 BAKU, AZERBAIJAN – Armenian forces shelled the town of Barda on Thursday, "
    "killing 21 civilians, the Azerbaijani Ministry of Defense said.\n"
)


def test_change_token_moves_when_another_process_ingests_or_corrects(store_url, gazetteer):
    from articles.reader import read_text
    from clashmap.pipeline import Pipeline
    from store.corrections import save_correction
    from store.db import change_token
    from store.ingest import store_reading

    dashboard = open_store(store_url)
    editor = sessionmaker(make_engine(store_url), expire_on_commit=False)
    try:
        empty = change_token(dashboard)
        store_reading(editor, Pipeline(editor, gazetteer=gazetteer).read(
            read_text(_SHARED_EVENT_A, "a.txt")))
        ingested = change_token(dashboard)
        assert ingested != empty
        assert change_token(dashboard) == ingested  # stable while nothing changes
        save_correction(editor, "Barda", gazetteer.lookup("Ganja")[0], "editor-a")
        assert change_token(dashboard) != ingested
    finally:
        editor.kw["bind"].dispose()
