"""The rules' word lists are data with reasons (data/rule_lists.csv, data/rule_words.csv), not words inside
regular expressions in code (issue 11, items 6 and 7).

An editor adds a word in the file and a decision changes; `--explain` names the row a decision came from; a bad row
stops the run with one line naming the file, the line and the problem.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clashmap.errors import ConfigError
from geo import wordlists

ROOT = Path(__file__).resolve().parents[2]

# written for this test: a killing told "beside" a town (not a word of the list "near"), and an attack the text
# says did not happen
STORY = """title: Gunmen raid a farm
date 2024-03-04 ABUJA, Nigeria -- Gunmen killed five villagers beside Ibadan on Monday, police said.
Soldiers did not shell the market, the army said.
"""


def _extract(tmp_path: Path, words: Path | None, *options: str) -> subprocess.CompletedProcess:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    env = {"CLASHMAP_DB": f"sqlite:///{tmp_path / 'store.sqlite'}", "PATH": "/usr/bin:/bin"}
    if words is not None:
        env["CLASHMAP_RULE_WORDS"] = str(words)
    (tmp_path / "store.sqlite").unlink(missing_ok=True)
    return subprocess.run([sys.executable, "-m", "clashmap", "extract", *options, str(story)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, env=env)


def _with_row(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "rule_words.csv"
    path.write_text(wordlists.WORDS_CSV.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    return path


def _line_of(path: Path, form: str, name: str) -> int:
    with path.open(newline="", encoding="utf-8") as handle:
        return next(n for n, row in enumerate(csv.DictReader(handle), start=2) if row["list"] == name and row["form"] == form)


def test_an_editors_near_word_places_the_event_near_the_town_and_explain_names_its_row(tmp_path):
    before = _extract(tmp_path, None, "--format", "json")
    assert before.returncode == 0, before.stderr
    event = json.loads(before.stdout)["events"][0]
    assert event["place"]["name"] == "Ibadan" and event["geo_precision"] == 1  # "beside" is no word of "near" yet

    words = _with_row(tmp_path, "near,beside,beside a town: near it, not in it")
    after = _extract(tmp_path, words, "--format", "json")
    assert after.returncode == 0, after.stderr
    event = json.loads(after.stdout)["events"][0]
    assert event["place"]["name"] == "Ibadan" and event["geo_precision"] == 2  # ACLED: near the town

    explained = _extract(tmp_path, words, "--explain")
    assert explained.returncode == 0, explained.stderr
    line = _line_of(words, "beside", "near")
    assert any("[events.place]" in out and f"line {line}, list near: 'beside'" in out and "geo-precision 2" in out
               for out in explained.stdout.splitlines()), explained.stdout
    # the negation that dropped the shelling is cited by its row too
    did = _line_of(wordlists.WORDS_CSV, "did", "negated_auxiliaries")
    assert any("[events.drop]" in out and "'shell'" in out and f"rule_words.csv line {did}, list negated_auxiliaries"
               in out for out in explained.stdout.splitlines()), explained.stdout


@pytest.mark.parametrize("row, problem", [
    ("nearr,close by,beside a town", "unknown list 'nearr'"),
    ("near,close by,", "a row needs a form and a reason"),
    ("near,close (by,beside a town", "is not a regular expression"),
])
def test_a_bad_row_is_one_line_naming_the_file_and_the_row(tmp_path, row, problem):
    words = _with_row(tmp_path, row)
    rows = len(wordlists.WORDS_CSV.read_text(encoding="utf-8").splitlines()) + 1  # the added row's line
    with pytest.raises(ConfigError) as caught:
        wordlists.load(wordlists.LISTS_CSV, words)
    message = str(caught.value)
    assert "\n" not in message and f"{words} line {rows}:" in message and problem in message, message


def test_a_bad_row_stops_the_command_with_one_line_and_no_traceback(tmp_path):
    words = _with_row(tmp_path, "near,close (by,beside a town")
    done = _extract(tmp_path, words)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0 and str(words) in done.stderr and "not a regular expression" in done.stderr


def test_every_list_has_reasons_and_is_used_by_the_code():
    lists = wordlists.load()
    assert len(lists) >= 40
    code = "".join(p.read_text(encoding="utf-8") for folder in ("events", "geo") for p in (ROOT / folder).glob("*.py")
                   if p.name != "wordlists.py")  # its docstring's example names a list
    for name, forms in lists.items():
        assert all(f.reason for f in forms), name
        assert "{{" + name + "}}" in code or f'alternatives("{name}")' in code, f"list {name} is used nowhere"


def test_the_lists_make_the_same_expressions_the_code_had():
    from events import extract, taxonomy
    # two of the moved rules, written out as they were in the code: the data gives the same expression
    assert extract._MUTUAL.pattern == r"\b(?:each other|one another)\b"
    assert taxonomy._MISSILE_OR_GUNS.pattern == r"\b(?:artillery|missiles?|rockets?|shells?|shelling)\b"
    assert re.search(extract._NEAR, "on the outskirts of ") and not re.search(extract._NEAR, "beside ")
