"""The word lists of the rules, read from data files: each word a row with the reason it is there.

`data/rule_lists.csv` names each list (where it is used and what it decides); `data/rule_words.csv` gives its forms,
one a row, in the order the regular expression tries them, each with its reason. A form is a word or a phrase,
written as a small regular expression where it has endings ("deaths? of", "front(?:[- ]?line)?s?"). The code keeps
only the grammar around a list (spaces, "the", an end of text) and writes `{{list}}` where the list's forms go:

    _NEAR = pattern(r"\\b(?:{{near}})\\s+(?:the\\s+)?$", re.IGNORECASE)

A bad row (a list not named in rule_lists.csv, an empty form or reason, a form that is not a regular expression)
stops the run with one line naming the file, the line and the problem. `--explain` names the row a match came from
(`cite`). Both geo/ and events/ read their lists here (geo comes before events in the data flow).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from clashmap import trace
from clashmap.errors import ConfigError
from clashmap.settings import get_settings

DATA = Path(__file__).resolve().parent.parent / "data"
LISTS_CSV = DATA / "rule_lists.csv"
WORDS_CSV = DATA / "rule_words.csv"
_REF = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class Form:
    name: str  # the list
    form: str  # a word, a phrase or a small regular expression
    reason: str
    line: int  # its line in data/rule_words.csv


def _rows(path: Path) -> list[tuple[int, dict]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(enumerate(csv.DictReader(handle), start=2))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise ConfigError(f"{path}: cannot be read ({err})") from None


@lru_cache(maxsize=4)
def load(lists_path: Path = LISTS_CSV, words_path: Path = WORDS_CSV) -> dict[str, tuple[Form, ...]]:
    """Every list's forms in file order; a bad row is one ConfigError naming the file, the line and the problem."""
    names: dict[str, list[Form]] = {}
    for line, row in _rows(lists_path):
        name = (row.get("list") or "").strip()
        if not re.fullmatch(r"\w+", name) or not (row.get("decides") or "").strip():
            raise ConfigError(f"{lists_path} line {line}: a row needs a list name (letters, digits, _) and what it decides")
        if name in names:
            raise ConfigError(f"{lists_path} line {line}: list '{name}' is named twice")
        names[name] = []
    for line, row in _rows(words_path):
        name, form, reason = ((row.get(k) or "").strip() for k in ("list", "form", "reason"))
        if name not in names:
            raise ConfigError(f"{words_path} line {line}: unknown list '{name}' (name it in {lists_path.name})")
        if not form or not reason:
            raise ConfigError(f"{words_path} line {line}: a row needs a form and a reason")
        try:
            re.compile(form)
        except re.error as err:
            raise ConfigError(f"{words_path} line {line}: the form {form!r} is not a regular expression ({err})") from None
        names[name].append(Form(name, form, reason, line))
    for name, forms in names.items():
        if not forms:
            raise ConfigError(f"{words_path}: list '{name}' of {lists_path.name} has no words")
    return {name: tuple(forms) for name, forms in names.items()}


def words_path() -> Path:
    """data/rule_words.csv, or the file CLASHMAP_RULE_WORDS names (an editor trying a word out)."""
    return Path(get_settings().rule_words or WORDS_CSV)


def forms(name: str) -> tuple[Form, ...]:
    lists = load(LISTS_CSV, words_path())
    if name not in lists:
        raise ConfigError(f"{LISTS_CSV}: no list '{name}' (the code asks for it)")
    return lists[name]


def alternatives(name: str) -> str:
    """The list's forms as one alternation, in file order (the order a regular expression tries them)."""
    return "|".join(f.form for f in forms(name))


def pattern(template: str, flags: int = 0) -> re.Pattern:
    """The template with each `{{list}}` replaced by that list's alternatives, compiled."""
    return re.compile(_REF.sub(lambda ref: alternatives(ref.group(1)), template), flags)


@lru_cache(maxsize=512)
def _compiled(form: str) -> re.Pattern:
    return re.compile(f"(?:{form})(?!\\w)", re.IGNORECASE)


def row(name: str, text: str) -> Form | None:
    """The row of the list whose form is the first (in regex order) to match a whole word at the start of `text`."""
    for f in forms(name):
        if _compiled(f.form).match(text):
            return f
    return None


def cite(name: str, text: str) -> str | None:
    """For the --explain trace: the row of the list a word of `text` comes from ("rule_words.csv line 12, near
    'near'"), the first word of `text` that is one of the list's forms; None when none is."""
    for start in range(len(text)):
        if start and (text[start - 1].isalnum() or not text[start].isalnum()):
            continue
        found = row(name, text[start:])
        if found is not None:
            return f"{words_path().name} line {found.line}, list {name}: '{found.form}'"
    return None


def cited(reason: str, names: str | tuple[str, ...], text: str) -> str:
    """`reason` with the row of list `names` (or of the first of several lists) that a word of `text` comes from,
    when a trace is being kept."""
    if not trace.active():
        return reason
    for name in (names,) if isinstance(names, str) else names:
        where = cite(name, text)
        if where:
            return f"{reason} [{where}]"
    return reason
