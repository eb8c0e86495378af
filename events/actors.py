"""Normalise actor names with a table editors can extend (`data/actors.csv`).

"Azerbaijani troops", "the Azerbaijani Armed Forces" and "Azerbaijan's army" are one actor;
each row of the table is a canonical ACLED-style name and a regular expression of how copy
writes it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ACTORS_CSV = Path(__file__).resolve().parent.parent / "data" / "actors.csv"


@dataclass(frozen=True)
class ActorMention:
    actor: str
    start: int
    end: int
    country_code: str | None


@lru_cache(maxsize=4)
def load_actor_table(path: Path = ACTORS_CSV) -> tuple[tuple[str, str | None, re.Pattern], ...]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append((row["actor"], row["country_code"] or None, re.compile(rf"\b(?:{row['pattern']})\b")))
    return tuple(rows)


def find_actors(text: str, start: int = 0, end: int | None = None, path: Path = ACTORS_CSV) -> list[ActorMention]:
    """Actor mentions in `text[start:end]`, longest match wins where two rows overlap."""
    end = len(text) if end is None else end
    found: list[ActorMention] = []
    for actor, country, pattern in load_actor_table(path):
        for match in pattern.finditer(text, start, end):
            found.append(ActorMention(actor, match.start(), match.end(), country))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[ActorMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def civilians_of(country_code: str | None) -> str:
    return f"Civilians ({country_code})" if country_code else "Civilians"
