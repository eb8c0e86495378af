"""Paths and short articles written for the foundation tests (a module of its own name, so no other
conftest can shadow it)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEED = SHARED / "examples" / "shushi-2020-11-09.txt"


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
