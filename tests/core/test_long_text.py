"""The long-text mode (issue 10): above `long_text_bytes` a text is read without NER and the dependency parse,
in pieces, and every report says so; below it an article is read exactly as before."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# own wording: a few short dispatches of several paragraphs, about 1.3 KB in all
DISPATCHES = [
    ("Goma", "North Kivu", "Monday", "six"),
    ("Maiduguri", "Borno State", "Tuesday", "four"),
    ("Kharkiv", "Kharkiv Oblast", "Wednesday", "two"),
    ("Mosul", "Nineveh", "Thursday", "nine"),
]


def long_story() -> str:
    paragraphs = []
    for town, region, day, number in DISPATCHES:
        paragraphs.append(f"Shelling hit the town of {town} in {region} on {day}, killing {number} civilians, "
                          f"local officials said.")
        paragraphs.append(f"Residents of {town} said the market was closed and that families had left for "
                          f"villages further from the front.")
        paragraphs.append(f"Protesters gathered in {town} on {day} evening and police dispersed them with tear gas.")
    return "date 2024-03-08 LYON, France -- " + "\n\n".join(paragraphs) + "\n"


SHORT = "date 2024-03-08 LYON, France -- Shelling hit the town of Goma in North Kivu on Monday, killing six civilians.\n"


@pytest.fixture
def pipeline(sqlite_sessions):
    from clashmap.pipeline import Pipeline

    return Pipeline(sqlite_sessions, corrections={})


def _article(text: str):
    from articles.reader import read_text

    return read_text(text, source="story.txt")


def test_a_text_over_the_setting_is_read_in_the_long_mode_and_says_so(pipeline, monkeypatch):
    import clashmap.long_text as long_text
    import events.triggers
    import geo.toponyms

    def not_called(*_args, **_kwargs):
        raise AssertionError("the long-text mode runs neither NER nor the parse")

    monkeypatch.setattr(geo.toponyms, "ner_entities", not_called)
    monkeypatch.setattr(events.triggers, "load_parser", not_called)
    monkeypatch.setattr(long_text, "PIECE_CHARS", 400)  # several pieces: their offsets put back together
    monkeypatch.setenv("CLASHMAP_LONG_TEXT_BYTES", "1000")
    read = []
    real_read_piece = long_text._read_piece
    monkeypatch.setattr(long_text, "_read_piece", lambda *args: read.append(args) or real_read_piece(*args))
    article = _article(long_story())
    assert len(article.text.encode()) > 1000
    reading = pipeline.read(article)
    assert len(read) >= 3, "the text is read in pieces of about PIECE_CHARS"
    assert "read in the long-text mode" in reading.read_as and "skipped NER" in reading.read_as
    assert "long_text_bytes = 1,000" in reading.read_as
    places = {r.toponym.text for r in reading.mentions}
    assert {"Goma", "Maiduguri", "Kharkiv", "Mosul"} <= places
    for r in reading.mentions:  # offsets into the whole text, whichever piece found the name
        assert article.text[r.toponym.start:r.toponym.end] == r.toponym.text
    sites = {(e.sub_event_type, e.place.name if e.place else None) for e in reading.events}
    assert ("Shelling/artillery/missile attack", "Mosul") in sites, sites
    assert any(e.event_type == "Protests" and e.place and e.place.name == "Maiduguri" for e in reading.events)
    from events.sentences import split_sentences

    paragraph_at = {s.start: s.paragraph for s in split_sentences(article.text, article.body_start)}
    for e in reading.events:
        assert article.text[e.start:e.end] == e.text
        assert all(article.text[a:b] for spans in e.evidence.values() for a, b in spans)
        # the paragraph numbered in the whole text, whichever piece told the event
        assert e.paragraph == paragraph_at[max(s for s in paragraph_at if s <= e.start)], e.text
    assert gc.isenabled(), "the garbage collector runs again after a long text's reading"


def test_a_text_under_the_setting_is_read_as_before(pipeline, monkeypatch):
    from clashmap.jsonout import reading_json

    article = _article(long_story())
    monkeypatch.setenv("CLASHMAP_LONG_TEXT_BYTES", "0")  # never: the full reading
    full = reading_json(pipeline.read(article), "story.txt")
    monkeypatch.setenv("CLASHMAP_LONG_TEXT_BYTES", str(len(article.text.encode())))  # at the setting: not over it
    assert reading_json(pipeline.read(article), "story.txt") == full
    assert "read_as" not in full
    monkeypatch.setenv("CLASHMAP_LONG_TEXT_BYTES", str(len(article.text.encode()) - 1))
    assert "long-text mode" in reading_json(pipeline.read(article), "story.txt")["read_as"]


def _run(args, tmp_path, **env):
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={"CLASHMAP_DB": f"sqlite:///{tmp_path / 'store.sqlite'}", "PATH": "/usr/bin:/bin", **env})


def test_extract_json_and_explain_say_the_long_mode(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(long_story() * 1, encoding="utf-8")
    short = tmp_path / "short.txt"
    short.write_text(SHORT, encoding="utf-8")
    done = _run(["clashmap", "extract", "--format", "json", str(path), str(short)], tmp_path,
                CLASHMAP_LONG_TEXT_BYTES="1000")
    assert done.returncode == 0, done.stderr
    long_out, short_out = (json.loads(line) for line in done.stdout.splitlines())
    assert "read in the long-text mode" in long_out["read_as"] and "the dependency parse" in long_out["read_as"]
    assert any(e["place"] and e["place"]["name"] == "Goma" for e in long_out["events"])
    assert "read_as" not in short_out
    done = _run(["clashmap", "extract", "--explain", str(path)], tmp_path, CLASHMAP_LONG_TEXT_BYTES="1000")
    assert done.returncode == 0, done.stderr
    assert "  read in the long-text mode" in done.stdout
    assert "[pipeline.long_text]" in done.stdout


def test_the_ingest_page_worker_reports_the_long_mode(tmp_path):
    job = tmp_path / "job"
    (job / "inputs" / "0").mkdir(parents=True)
    (job / "inputs" / "0" / "long.txt").write_text(long_story(), encoding="utf-8")
    (job / "inputs" / "1").mkdir()
    (job / "inputs" / "1" / "short.txt").write_text(SHORT, encoding="utf-8")
    done = _run(["dashboard.ingest_worker", str(job)], tmp_path, CLASHMAP_LONG_TEXT_BYTES="1000")
    assert done.returncode == 0, done.stderr
    rows = {r["file"]: r for r in map(json.loads, (job / "rows.jsonl").read_text(encoding="utf-8").splitlines())}
    assert rows["long.txt"]["status"] == "added"
    assert rows["long.txt"]["reason"].startswith("read in the long-text mode")
    assert rows["short.txt"] == {**rows["short.txt"], "status": "added", "reason": ""}


def test_a_long_lived_pipeline_reads_the_editors_corrections_anew_after_a_long_text(sqlite_sessions, monkeypatch):
    from clashmap.pipeline import Pipeline

    pipeline = Pipeline(sqlite_sessions)  # as the dashboard holds it: corrections read per article
    monkeypatch.setenv("CLASHMAP_LONG_TEXT_BYTES", "1000")
    assert pipeline.read(_article(long_story())).read_as
    assert pipeline.corrections is None


def test_pieces_read_in_forked_workers_give_the_one_process_reading(pipeline, monkeypatch):
    """The pieces arrive from two workers in any order and are merged as they come: the same places and events,
    at the same offsets and paragraphs, as read one piece after another (a dispatch told twice kept once)."""
    import clashmap.long_text as long_text

    monkeypatch.setattr(long_text, "PIECE_CHARS", 400)
    monkeypatch.setenv("CLASHMAP_LONG_TEXT_BYTES", "1000")
    story = long_story()
    article = _article(story + "\n" + story[story.index("--") + 3:])  # every dispatch told again further on
    assert long_text._can_fork(pipeline), "the fixture's offline geocoder lets the pieces be read in workers"

    def seen(reading):
        return ([(r.toponym.text, r.toponym.start, r.toponym.end, r.place and r.place.id) for r in reading.mentions],
                [(e.key(), e.start, e.end, e.paragraph, e.evidence) for e in reading.events])

    alone = seen(long_text.read_long(pipeline, article, processes=1))
    forked = seen(long_text.read_long(pipeline, article, processes=2))
    assert forked == alone
    keys = [key for key, *_ in alone[1]]
    assert len(keys) == len(set(keys)) and len(keys) >= 8, "each event once, at its first telling"
    assert max(e for *_, e in alone[0]) > len(story), "names found in the second telling too"
