"""The type patterns are data with reasons (data/event_type_patterns.csv), not regular expressions in code.

An editor who reads `--explain` is sent to the row that typed the event; a bad row stops the run with one line
naming the file, the line and the problem; no weapon name of one war is left in the general code.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clashmap.errors import ConfigError
from events.taxonomy import TYPE_PATTERNS_CSV, TYPE_RULES, load_type_patterns

ROOT = Path(__file__).resolve().parents[2]

STORY = """title: Crowd dispersed in a capital
date 2024-05-02 NAIROBI, Kenya -- Police fired tear gas to scatter hundreds of protesters in central Nairobi on
Thursday, witnesses said.
"""


def test_explain_names_the_data_row_that_typed_the_event(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "clashmap", "extract", "--explain", str(story)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300,
                          env={"CLASHMAP_DB": f"sqlite:///{tmp_path / 'store.sqlite'}", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    typed = [line for line in done.stdout.splitlines() if "[events.type]" in line and "event_type_patterns.csv line" in line]
    assert typed, done.stdout
    line_no = int(typed[0].split("event_type_patterns.csv line ")[1].split(":")[0])
    with TYPE_PATTERNS_CSV.open(newline="", encoding="utf-8") as handle:
        row = list(csv.reader(handle))[line_no - 1]
    assert row[0] == "rule" and row[3] == "Protest with intervention" and row[3] in typed[0]
    assert row[6].startswith("ACLED codebook"), row


def test_every_rule_row_carries_a_reason_and_the_order_of_the_file():
    with TYPE_PATTERNS_CSV.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert all(row["reason"].strip() for row in rows)
    assert [rule.line for rule in TYPE_RULES] == [n for n, row in enumerate(rows, start=2) if row["kind"] == "rule"]


def test_no_weapon_name_of_one_war_in_the_general_code():
    for module in sorted((ROOT / "events").glob("*.py")):
        code = module.read_text(encoding="utf-8")
        for name in ("Bayraktar", "Iskander", "Smerch", "Kinzhal", "Grad "):
            assert name not in code, (module.name, name)


def test_claimed_equipment_kinds_are_data_and_a_bad_row_is_one_line(tmp_path):
    from events.numbers import EQUIPMENT_CSV, equipment_kinds, find_losses
    assert [kind for kind, _ in equipment_kinds()][-1] == "vehicles"  # the generic kind is tried last
    losses, _ = find_losses("The ministry said its units destroyed three Smerch systems and two tanks.")
    assert losses.get("rocket launchers") == 3 and losses.get("tanks") == 2, losses
    path = tmp_path / "equipment.csv"
    path.write_text(EQUIPMENT_CSV.read_text(encoding="utf-8") + "drones,(?:drones,no closing bracket\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        equipment_kinds(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and "line 12" in message and "regular expression" in message


def _edited(tmp_path, replace_from: str, replace_to: str) -> Path:
    path = tmp_path / "event_type_patterns.csv"
    shutil.copy(TYPE_PATTERNS_CSV, path)
    text = path.read_text(encoding="utf-8")
    assert replace_from in text
    path.write_text(text.replace(replace_from, replace_to, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("replace_from, replace_to, says", [
    ("Chemical weapon,,", "Chemical weapons,,", "is not an ACLED event type and sub-event type"),
    (r"\bsuicide (?:bomb|attack|car bomb)\w*", r"\bsuicide (?:bomb|attack", "is not a regular expression"),
    ("{{capture}}", "{{captures}}", "unknown fragment {{captures}}"),
])
def test_a_bad_row_is_one_line_naming_file_and_line(tmp_path, replace_from, replace_to, says):
    path = _edited(tmp_path, replace_from, replace_to)
    with pytest.raises(ConfigError) as caught:
        load_type_patterns(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and " line " in message and says in message, message


def test_a_row_added_by_an_editor_types_a_new_wording(tmp_path):
    """A newsroom adds a wording to the file: the rules read from it type the sentence, without a code change."""
    path = _edited(tmp_path, "rule,,Explosions/Remote violence,Chemical weapon,",
                   "rule,,Explosions/Remote violence,Grenade,,\\bhurled a grenade\\b,\"ACLED codebook: Grenade\"\n"
                   "rule,,Explosions/Remote violence,Chemical weapon,")
    rules, _ = load_type_patterns(path)
    sentence = "A man hurled a grenade into the crowded market."
    first = next(rule for rule in rules if rule.pattern.search(sentence))
    assert (first.event_type, first.sub_event_type) == ("Explosions/Remote violence", "Grenade")
