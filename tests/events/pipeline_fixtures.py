"""Fixtures for the event tests (imported by name: a second conftest.py would shadow tests/core's): the real pipeline."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory):
    from clashmap.pipeline import Pipeline
    from geo.gazetteer import DEFAULT_INDEX
    from store.db import open_store

    if not DEFAULT_INDEX.exists():
        from geo.gazetteer_build import build_index

        build_index(DEFAULT_INDEX)
    store = tmp_path_factory.mktemp("events") / "store.sqlite"
    return Pipeline(open_store(f"sqlite:///{store}"), corrections={})


@pytest.fixture
def read(pipeline):
    """Read a short article text (seed format: 'date YYYY-MM-DD CITY, COUNTRY – body') through the pipeline."""
    from articles.reader import read_text

    def _read(text: str):
        return pipeline.read(read_text(text, source="test"))

    return _read


def read_published(pipeline, text: str, published: str = "2024-05-06", source: str = "test"):
    """Read a report with no dateline through the pipeline, published on the ISO date `published`."""
    from datetime import date

    from articles.reader import read_text

    return pipeline.read(read_text(text, source=source, published=date.fromisoformat(published)))


def event_types(reading) -> list[tuple[str, str]]:
    """A reading's events as (type, sub-type) pairs, in order."""
    return [(e.event_type, e.sub_event_type) for e in reading.events]


def toll_best(text: str) -> int | None:
    """The best figure of the people killed that `find_fatalities` reads in `text` (None: no toll)."""
    from events.numbers import find_fatalities

    found = find_fatalities(text)
    return found.best if found else None
