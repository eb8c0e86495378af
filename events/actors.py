"""Normalise actor names with a table editors can extend (`data/actors.csv`).

"Azerbaijani troops", "the Azerbaijani Armed Forces" and "Azerbaijan's army" are one actor;
each row of the table is a canonical ACLED-style name and a regular expression of how copy
writes it. Copy also says "the army", "its troops", "his forces" once the side is clear: a row's
optional `context` expression (the country, its capital, its leaders) says which side the story
is on, and the nearest such context before a generic mention decides whose army it is.
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


GENERIC = re.compile(r"\b(?:[Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur)\s+(?:army|armed forces|military|troops|forces|soldiers|units)\b")
CONTEXT_WINDOW = 600  # characters looked back for the side a generic mention belongs to


@dataclass(frozen=True)
class ActorRow:
    actor: str
    country_code: str | None
    pattern: re.Pattern
    context: re.Pattern | None


def _compile(path: Path, line: int, column: str, expression: str) -> re.Pattern:
    try:
        return re.compile(rf"\b(?:{expression})\b")
    except re.error as err:
        raise ValueError(f"{path}: line {line}: bad regular expression in '{column}': {err}") from err


@lru_cache(maxsize=4)
def load_actor_table(path: Path = ACTORS_CSV) -> tuple[ActorRow, ...]:
    """The editable actor table; a bad row is reported with the file and line."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if not row.get("actor") or not row.get("pattern"):
                raise ValueError(f"{path}: line {line}: 'actor' and 'pattern' are required")
            context = row.get("context") or ""
            rows.append(ActorRow(row["actor"], row.get("country_code") or None,
                                 _compile(path, line, "pattern", row["pattern"]),
                                 _compile(path, line, "context", context) if context else None))
    return tuple(rows)


def context_actor(text: str, at: int, floor: int = 0, path: Path = ACTORS_CSV) -> tuple[str, str | None] | None:
    """The side the story is on just before `at`: the actor whose context expression occurs last in the window."""
    lo = max(floor, at - CONTEXT_WINDOW)
    best: tuple[int, ActorRow] | None = None
    for row in load_actor_table(path):
        if row.context is None:
            continue
        for match in row.context.finditer(text, lo, at):
            if best is None or match.start() > best[0]:
                best = (match.start(), row)
    return (best[1].actor, best[1].country_code) if best else None


def find_actors(text: str, start: int = 0, end: int | None = None, path: Path = ACTORS_CSV) -> list[ActorMention]:
    """Actor mentions in `text[start:end]`, longest match wins where two rows overlap; generic ones by context."""
    end = len(text) if end is None else end
    found: list[ActorMention] = []
    for row in load_actor_table(path):
        for match in row.pattern.finditer(text, start, end):
            found.append(ActorMention(row.actor, match.start(), match.end(), row.country_code))
    for match in GENERIC.finditer(text, start, end):
        side = context_actor(text, match.start(), 0, path)
        if side:
            found.append(ActorMention(side[0], match.start(), match.end(), side[1]))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[ActorMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def civilians_of(country_code: str | None) -> str:
    return f"Civilians ({country_code})" if country_code else "Civilians"


def context_span(text: str, floor: int, at: int, path: Path = ACTORS_CSV) -> tuple[int, int]:
    """Where the side found by `context_actor` is written (the evidence span), or (at, at)."""
    lo = max(floor, at - CONTEXT_WINDOW)
    best = (at, at)
    for row in load_actor_table(path):
        if row.context is None:
            continue
        for match in row.context.finditer(text, lo, at):
            if best == (at, at) or match.start() > best[0]:
                best = (match.start(), match.end())
    return best
