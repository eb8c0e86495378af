"""Fuzz the readers: whatever a file holds, reading it yields one outcome per record, each an article or
a rejection (RecordError), and never raises."""

from __future__ import annotations

import csv
import io
import json

from fuzz_common import FIELDS, WORDS, article_text, examples, record
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.model import Article
from articles.reader import read_records, read_text
from clashmap.errors import RecordError


def _outcomes(path) -> list:
    outcomes = list(read_records(path))
    for label, outcome in outcomes:
        assert isinstance(outcome, (Article, RecordError)), (label, outcome)
        assert label.startswith(str(path))
        if isinstance(outcome, RecordError):
            assert str(outcome).startswith(label + ": ") and "\n" not in str(outcome)
    return outcomes


@settings(max_examples=examples(300))
@given(raw=st.one_of(st.binary(max_size=600), st.lists(st.sampled_from(
    [b"{", b"}", b"[", b"]", b'"text"', b":", b",", b"\n", b'"', b"\xff\xfe", b"\xef\xbb\xbf", b"\x00", b"\xc3",
     b"text", b"date 2020-10-05 ", b"Barda", b"\\u0000", b"\\ud800", b"\r"]), max_size=40).map(b"".join)),
       suffix=st.sampled_from([".txt", ".json", ".jsonl", ".csv", ".md", ""]))
def test_arbitrary_bytes_in_any_file_type_are_records_or_rejections(tmp_path_factory, raw, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"input{suffix}"
    path.write_bytes(raw)
    assert _outcomes(path), "every file gives at least one outcome"


@settings(max_examples=examples(300))
@given(records=st.lists(record, max_size=6), layout=st.sampled_from(["array", "lines", "lines-in-json", "one"]))
def test_arbitrary_json_shapes_are_records_or_rejections(tmp_path_factory, records, layout):
    folder = tmp_path_factory.mktemp("json")
    if layout == "array":
        path = folder / "batch.json"
        path.write_text(json.dumps(records), encoding="utf-8")
    elif layout == "one":
        path = folder / "one.json"
        path.write_text(json.dumps(records[0] if records else {}, indent=2), encoding="utf-8")
    else:
        path = folder / ("batch.jsonl" if layout == "lines" else "batch.json")
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    outcomes = _outcomes(path)
    if layout == "array":
        assert len(outcomes) == max(len(records), 1)  # one outcome per record (an empty list: the file's)
    if layout == "lines" and records:
        assert [label for label, _ in outcomes] == [f"{path}:line {i}" for i in range(1, len(records) + 1)]


@settings(max_examples=examples(300))
@given(header=st.lists(st.one_of(st.sampled_from(FIELDS), st.text(max_size=6)), min_size=1, max_size=5),
       rows=st.lists(st.lists(st.one_of(article_text, st.text(max_size=20)), max_size=6), max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_arbitrary_csv_shapes_are_records_or_rejections(tmp_path_factory, header, rows, encoding):
    rows = [[cell.replace("\x00", "").replace("\ud800", "") for cell in row] for row in rows]
    header = [h.replace("\x00", "").replace("\ud800", "") for h in header]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path = tmp_path_factory.mktemp("csv") / "batch.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    outcomes = _outcomes(path)
    if "text" in [h.strip() for h in header] and header[0].strip() and all(r for r in rows):
        written = [r for r in rows if any(c.strip() for c in r)]
        assert len(outcomes) == max(len(written), 1)  # one per non-blank row, however many lines it spans


@settings(max_examples=examples(300))
@given(year=st.integers(0, 99999), month=st.integers(0, 99), day=st.integers(0, 99),
       rest=st.lists(st.sampled_from(WORDS), max_size=20).map(" ".join),
       headers=st.lists(st.tuples(st.sampled_from(["source", "title", "url", "Date", "SOURCE"]), article_text),
                        max_size=3))
def test_date_headers_are_read_or_rejected(year, month, day, rest, headers):
    head = "".join(f"{k}: {v}\n" for k, v in headers)
    text = f"{head}date {year:04d}-{month:02d}-{day:02d} BAKU, AZERBAIJAN – {rest}"
    try:
        article = read_text(text, "fuzz.txt")
    except RecordError:
        return
    assert article.text == text and 0 <= article.body_start <= len(text)
