"""Ingest: articles stored once, bad files rejected by name, nothing already stored lost."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, select

from core_samples import BARDA, GANJA, REPO, write_article
from clashmap.loading import ingest_paths
from store.schema import Article, Event, EventSource, GeocodeCache, Mention, Place


def _counts(sessions) -> dict[str, int]:
    with sessions() as session:
        return {table.__tablename__: session.scalar(select(func.count()).select_from(table))
                for table in (Article, Mention, Place, Event, EventSource, GeocodeCache)}


def test_ingest_stores_articles_mentions_places_and_events(tmp_path, sessions):
    folder = tmp_path / "in"
    folder.mkdir()
    write_article(folder, "barda.txt", BARDA)
    write_article(folder, "ganja.txt", GANJA)
    report = ingest_paths([folder], sessions)
    assert len(report.added) == 2 and not report.rejected
    counts = _counts(sessions)
    assert counts["articles"] == 2 and counts["mentions"] >= 3 and counts["events"] >= 2
    with sessions() as session:
        places = set(session.scalars(select(Place.name)))
    assert {"Barda", "Ganja"} <= places


def test_reingest_changes_nothing(tmp_path, sessions):
    folder = tmp_path / "in"
    folder.mkdir()
    write_article(folder, "barda.txt", BARDA)
    write_article(folder, "ganja.txt", GANJA)
    ingest_paths([folder], sessions)
    before = _counts(sessions)
    report = ingest_paths([folder], sessions)
    assert report.added == [] and len(report.unchanged) == 2
    assert _counts(sessions) == before


def test_same_story_resaved_with_other_whitespace_is_one_article(tmp_path, sessions):
    write_article(tmp_path, "a.txt", BARDA)
    write_article(tmp_path, "b.txt", BARDA.replace(" ", "  ").replace("\n", "\r\n"))
    report = ingest_paths([tmp_path / "a.txt", tmp_path / "b.txt"], sessions)
    assert len(report.added) == 1 and len(report.unchanged) == 1


def test_bad_files_are_rejected_by_name_and_the_rest_is_stored(tmp_path, sessions):
    first = tmp_path / "first"
    first.mkdir()
    write_article(first, "barda.txt", BARDA)
    ingest_paths([first], sessions)
    stored = _counts(sessions)

    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "empty.txt").write_text("", encoding="utf-8")
    (batch / "image.txt").write_bytes(b"\x00\x01\x02GIF89a")
    write_article(batch, "ganja.txt", GANJA)
    report = ingest_paths([batch], sessions)
    rejected = dict(report.rejected)
    assert set(rejected) == {str(batch / "empty.txt"), str(batch / "image.txt")}
    assert "empty" in rejected[str(batch / "empty.txt")]
    assert "binary" in rejected[str(batch / "image.txt")]
    assert report.added == [str(batch / "ganja.txt")]
    after = _counts(sessions)
    assert after["articles"] == stored["articles"] + 1
    assert after["events"] >= stored["events"]


def test_cli_ingest_exit_status_and_summary(tmp_path, store_url):
    folder = tmp_path / "in"
    folder.mkdir()
    write_article(folder, "barda.txt", BARDA)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    env = {"CLASHMAP_DB": store_url, "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "clashmap", "ingest", str(folder), "--quiet"], cwd=REPO,
                         capture_output=True, text=True, env=env)
    assert run.returncode == 1
    assert "added 1, unchanged 0, rejected 1" in run.stdout
    assert f"{folder / 'empty.txt'}: is empty" in run.stderr
    again = subprocess.run([sys.executable, "-m", "clashmap", "ingest", str(folder / "barda.txt"), "--quiet"],
                           cwd=REPO, capture_output=True, text=True, env=env)
    assert again.returncode == 0 and "added 0, unchanged 1, rejected 0" in again.stdout
