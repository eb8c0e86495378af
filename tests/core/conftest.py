"""Fixtures for the foundation tests: the real gazetteer index and small articles written here."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEED = SHARED / "examples" / "shushi-2020-11-09.txt"


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


def write_article(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


BARDA = (
    "source: Test Wire\ntitle: Shells hit Barda\n"
    "date 2020-10-29 BAKU, AZERBAIJAN – Armenian forces shelled the town of Barda on Wednesday, "
    "the Azerbaijani Ministry of Defense said, adding that at least 21 civilians were killed.\n"
    "Yerevan denied firing at civilian areas.\n"
)
GANJA = (
    "date 2020-10-11 YEREVAN, ARMENIA (8:00 P.M.) — Missile strikes hit Ganja overnight, "
    "according to local sources. The Armenian Ministry of Defense said its troops repelled attacks near Hadrut on Saturday.\n"
)
