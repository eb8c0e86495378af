"""`clashmap db copy` moves an existing SQLite store to PostgreSQL (and back) without losing a row."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from store.db import open_store
from store.schema import Base

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "data" / "articles").glob("*.txt"))[:6]


def _clashmap(*args: str, db: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "CLASHMAP_GEOCODER": "offline"}
    if db:
        env["CLASHMAP_DB"] = db
    return subprocess.run([sys.executable, "-m", "clashmap", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600)


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order, JSON and dates as Python values."""
    sessions = open_store(url)
    out = {}
    with sessions() as session:
        for table in Base.metadata.sorted_tables:
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(_plain(v) for v in row) for row in rows]
    return out


def _plain(value):
    from datetime import datetime, timezone

    if isinstance(value, datetime):  # SQLite keeps no zone; compare instants
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).timestamp()
    return value


def test_copy_sqlite_to_postgresql_and_keep_working(sqlite_url, postgres_url, tmp_path):
    if len(SAMPLES) < 6:
        pytest.skip("the sample articles are missing from data/articles")
    assert _clashmap("ingest", "--quiet", *map(str, SAMPLES[:5]), db=sqlite_url).returncode == 0
    before = _rows(sqlite_url)
    assert before["articles"] and before["events"] and before["geocode_cache"]

    done = _clashmap("db", "copy", "--from", sqlite_url, "--to", postgres_url)
    assert done.returncode == 0, done.stderr
    assert f"articles {len(before['articles'])}" in done.stdout
    assert _rows(postgres_url) == before

    # the copy is a working store: new rows get fresh ids (serial counters moved past the copied ones)
    added = _clashmap("ingest", "--quiet", str(SAMPLES[5]), db=postgres_url)
    assert added.returncode == 0, added.stderr
    assert "added 1" in added.stdout
    with open_store(postgres_url)() as session:
        assert session.scalar(select(func.count()).select_from(Base.metadata.tables["articles"])) == 6
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar()

    # and back again, into a new SQLite file
    back = f"sqlite:///{tmp_path / 'back.sqlite'}"
    assert _clashmap("db", "copy", "--from", postgres_url, "--to", back).returncode == 0
    assert len(_rows(back)["articles"]) == 6


def test_copy_refuses_a_destination_that_is_not_empty(sqlite_url, postgres_url):
    assert _clashmap("ingest", "--quiet", str(SAMPLES[0]), db=postgres_url).returncode == 0
    assert _clashmap("ingest", "--quiet", str(SAMPLES[1]), db=sqlite_url).returncode == 0
    refused = _clashmap("db", "copy", "--from", sqlite_url, "--to", postgres_url)
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr and "articles" in refused.stderr
    assert "postgresql" in refused.stderr  # names the database
    assert len(_rows(postgres_url)["articles"]) == 1  # untouched


def test_copy_refuses_copying_a_store_onto_itself(sqlite_url):
    refused = _clashmap("db", "copy", "--from", sqlite_url, "--to", sqlite_url)
    assert refused.returncode == 1 and "same database" in refused.stderr
