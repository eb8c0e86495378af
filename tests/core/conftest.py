"""Fixtures for the foundation tests: the real gazetteer index and the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

from core_samples import SEED


@pytest.fixture(scope="session")
def gazetteer_index(tmp_path_factory) -> Path:
    """The index `make setup` builds; built into a temp dir when a bare checkout lacks it."""
    from geo.gazetteer import DEFAULT_INDEX
    from geo.gazetteer_build import build_index

    if DEFAULT_INDEX.exists():
        return DEFAULT_INDEX
    path = tmp_path_factory.mktemp("gaz") / "gazetteer.sqlite"
    build_index(path)
    return path


@pytest.fixture(scope="session")
def gazetteer(gazetteer_index):
    from geo.gazetteer import Gazetteer

    return Gazetteer(gazetteer_index)


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"the seed example is not here ({SEED}): ../shared is absent in this checkout")
    return SEED
