"""A side that denies its losses contests the toll its enemy claims, not the attacks it made itself; a named group
that denies an attack contests that attack. Short texts the project wrote, read through the real pipeline."""

from __future__ import annotations

from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)

STORY = ("date 2023-06-05 KHARTOUM, SUDAN – RSF fighters shelled a market in Omdurman on Sunday, killing nine "
         "civilians, medics said.\n"
         "The army said its aircraft struck RSF positions near Kassala on Sunday and claimed to have killed 40 fighters. ")


def _contested(reading) -> dict[str, bool]:
    return {e.place.name: e.contested for e in reading.events}


def test_a_side_denying_its_losses_contests_the_toll_claimed_against_it(read):
    reading = read(STORY + "The RSF denied any losses.")
    assert _contested(reading) == {"Omdurman": False, "Kassala": True}
    strike = next(e for e in reading.events if e.place.name == "Kassala")
    assert "denied any losses" in reading.article.text[slice(*strike.evidence["contested"][0])]


def test_without_the_denial_nothing_is_contested(read):
    assert _contested(read(STORY)) == {"Omdurman": False, "Kassala": False}


def test_a_named_group_denying_an_attack_contests_it(read):
    reading = read(STORY + "The RSF denied shelling the market.")
    assert _contested(reading)["Omdurman"] is True
