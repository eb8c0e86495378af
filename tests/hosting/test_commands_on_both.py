"""Every command and the dashboard work on the store named by CLASHMAP_DB, SQLite and PostgreSQL alike."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "data" / "articles").glob("2020-1*.txt"))[:4]


def _clashmap(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CLASHMAP_DB": url, "CLASHMAP_GEOCODER": "offline"}
    return subprocess.run([sys.executable, "-m", "clashmap", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture
def filled_store(store_url) -> str:
    if len(SAMPLES) < 4:
        pytest.skip("the sample articles are missing from data/articles")
    done = _clashmap(store_url, "ingest", "--quiet", *map(str, SAMPLES))
    assert done.returncode == 0, done.stderr
    assert "added 4, unchanged 0, rejected 0" in done.stdout
    return store_url


def test_commands_on_the_configured_store(filled_store):
    again = _clashmap(filled_store, "ingest", "--quiet", *map(str, SAMPLES))
    assert "added 0, unchanged 4" in again.stdout

    exported = _clashmap(filled_store, "export", "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert rows and all(r.get("event_date") for r in rows)

    geojson = json.loads(_clashmap(filled_store, "export", "--format", "geojson").stdout)
    assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) >= 1

    geocoded = _clashmap(filled_store, "geocode", "Shushi")
    assert geocoded.returncode == 0 and "AZ" in geocoded.stdout

    extracted = _clashmap(filled_store, "extract", "--format", "json", str(SAMPLES[0]))
    assert extracted.returncode == 0 and json.loads(extracted.stdout.splitlines()[0])["events"]


def test_dashboard_reads_the_configured_store(filled_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLASHMAP_DB", filled_store)
    monkeypatch.delenv("CLASHMAP_AUTH", raising=False)
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=120).run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("articles" in m.value and "events" in m.value for m in at.markdown), \
        "the map page should summarise the stored events"
