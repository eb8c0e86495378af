"""Actor names from the editable table, and who claims what, with denials across sentences."""

from __future__ import annotations

import pytest

from clashmap.errors import ConfigError

from events.actors import find_actors, load_actor_table
from events.claims import find_claim, normalise_claimant


def _actors(text: str) -> list[str]:
    return [m.actor for m in find_actors(text)]


def test_spellings_of_one_army_are_one_actor():
    for text in ("The Azerbaijani Armed Forces advanced.", "Azerbaijani troops advanced.", "Azerbaijan's army advanced."):
        assert _actors(text) == ["Military Forces of Azerbaijan"]


def test_the_army_takes_the_side_of_the_story():
    text = "Baku said on Monday that the army had crossed the river. Yerevan said its troops held the line."
    assert _actors(text) == ["Military Forces of Azerbaijan", "Military Forces of Armenia"]
    assert _actors("President Ilham Aliyev said his forces had taken the town.") == ["Military Forces of Azerbaijan"]


def test_the_army_with_no_side_is_nobody():
    assert _actors("The army said it had crossed the river.") == []


def test_a_bad_row_names_the_file_and_line(tmp_path):
    table = tmp_path / "actors.csv"
    table.write_text("actor,aliases,country_code,inter,context,note\nBroken,Broken,XX,9,,a bad code\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"actors\.csv: line 2: 'inter' must be ACLED's actor type 1-8"):
        load_actor_table(table)


@pytest.mark.parametrize("text, claimant, span", [
    ("The town was shelled, the Armenian Ministry of Defense said.", "Armenian Ministry of Defense",
     "Armenian Ministry of Defense"),
    ("According to local sources, the line held.", "Local sources", "local sources"),
    ("On Sunday, the Ministry of Defence of Azerbaijan reported the capture.", "Azerbaijani Ministry of Defense",
     "Ministry of Defence of Azerbaijan"),
    ("President Ilham Aliyev announced the capture of the town.", "Ilham Aliyev", "President Ilham Aliyev"),
])
def test_claimants(text, claimant, span):
    claim = find_claim(text)
    assert claim is not None and claim.claimant == claimant
    assert text[claim.start:claim.end] == span  # the evidence the article view highlights


def test_a_weekday_before_the_claimant_is_not_part_of_it():
    assert normalise_claimant("Sunday, the Armenian Ministry of Defense") == "Armenian Ministry of Defense"
