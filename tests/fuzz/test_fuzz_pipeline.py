"""Fuzz the pipeline and the store: arbitrary records and dates, read by the real reader, read by the real
`Pipeline.read` and ingested into a real SQLite store, never raise: each record is added, unchanged or
rejected with a one-line reason, and the report accounts for every record."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fuzz_common import WORDS, article_text, examples, record
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from articles.reader import read_text
from clashmap.errors import RecordError


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    from clashmap.pipeline import Pipeline
    from store.db import close_stores, open_store

    sessions = open_store(f"sqlite:///{tmp_path_factory.mktemp('fuzzstore') / 'store.sqlite'}")
    yield sessions, Pipeline(sessions)
    close_stores()


_EDGES = st.sampled_from([date.min, date.max, date(1, 1, 2), date(9999, 12, 30), date(1900, 1, 1), date(2020, 2, 29)])


@settings(max_examples=examples(150))
@given(published=st.one_of(_EDGES, st.dates(), st.dates(date(1990, 1, 1), date(2030, 12, 31))),
       body=st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join))
def test_any_publication_date_with_any_date_words_reads_or_rejects(fuzz_store, published, body):
    from store.validate import check_article, clean_reading

    _, pipeline = fuzz_store
    try:
        article = read_text(f"date {published.isoformat()} BAKU, AZERBAIJAN – {body}", "f.txt")
    except RecordError:
        return
    reading = pipeline.read(article)  # the pipeline itself copes with any date: no overflow at the calendar's ends
    try:
        check_article(article)
    except RecordError as err:
        assert "outside 1900-01-01" in str(err)
        return
    reading = clean_reading(reading)
    assert all(e.event_date is None or 1900 <= e.event_date.year for e in reading.events)


@settings(max_examples=examples(60))
@given(records=st.lists(st.one_of(record, st.fixed_dictionaries(
    {"text": st.lists(st.sampled_from(WORDS), min_size=3, max_size=40).map(" ".join)},
    optional={"title": article_text, "source": article_text, "published": st.sampled_from(
        ["2020-10-05", "0001-01-01", "9999-12-31", "1899-12-31", "2020-13-01"])})), min_size=1, max_size=5),
       lines=st.booleans())
def test_arbitrary_records_ingest_into_a_real_store_one_outcome_each(tmp_path_factory, fuzz_store, records, lines):
    from clashmap.loading import ingest_paths
    from store.schema import Article

    sessions, _ = fuzz_store
    folder = tmp_path_factory.mktemp("batch")
    path = folder / ("batch.jsonl" if lines else "batch.json")
    path.write_text("".join(json.dumps(r) + "\n" for r in records) if lines else json.dumps(records),
                    encoding="utf-8")
    with sessions() as session:
        before = session.scalar(select(func.count()).select_from(Article))
    seen = []
    report = ingest_paths([path], sessions, on_record=lambda done, total, outcome: seen.append(outcome))
    assert len(seen) == len(report.added) + len(report.unchanged) + len(report.rejected) == len(records)
    for label, reason in report.rejected:
        assert reason.startswith(f"{label}: ") and "\n" not in reason and "Traceback" not in reason
    with sessions() as session:
        after = session.scalar(select(func.count()).select_from(Article))
    assert after == before + len(report.added)
    again = ingest_paths([path], sessions)  # idempotent: nothing added the second time
    assert not again.added and len(again.unchanged) == len(report.added) + len(report.unchanged)


@settings(max_examples=examples(300))
@given(published=st.one_of(st.none(), _EDGES, st.dates()),
       body=st.lists(st.sampled_from(WORDS + ["the night of", "Saturday", "a day earlier", "three days ago",
                                              "earlier this month", "since early April", "December 31", "Feb. 29",
                                              "a week before", "that night", "last Monday"]), max_size=30).map(" ".join))
def test_dates_resolve_for_any_publication_date(published, body):
    from events.dates import find_dates

    for found in find_dates(body, published):
        assert published is None or found.date <= published
