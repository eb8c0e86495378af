"""Claimants are people and organisations, never a place; the same rules read a Sudan report and a
Karabakh report (no war's names in the code)."""

from __future__ import annotations

import pytest

from clashmap.trace import tracing
from events.claims import find_claim, is_contested, refers_back


def _claimant(text: str) -> str | None:
    claim = find_claim(text)
    return claim.claimant if claim else None


@pytest.mark.parametrize("text, government", [
    ("Kyiv said the missile hit a school in the city.", "Government of Ukraine"),
    ("Khartoum said the paramilitaries had shelled the market.", "Government of Sudan"),
    ("Baku said Armenian forces had shelled the town.", "Government of Azerbaijan"),
    ("Ethiopia said its troops had repelled the attack.", "Government of Ethiopia"),
])
def test_a_capital_or_country_that_speaks_is_its_government(text, government):
    with tracing() as trace:
        assert _claimant(text) == government
    assert any(d.outcome == government for d in trace.of("events.claims"))


@pytest.mark.parametrize("text", [
    "The market was shelled overnight, Omdurman said.",
    "The village was shelled overnight, Tartar said.",
    "Dozens of houses burned, Mopti reported.",
])
def test_a_city_is_no_claimant(text):
    assert _claimant(text) is None


@pytest.mark.parametrize("text, claimant", [
    ("On Sunday, the Ministry of Defence of Sudan reported the capture of the bridge.", "Sudanese Ministry of Defense"),
    ("On Sunday, the Ministry of Defence of Azerbaijan reported the capture of the bridge.", "Azerbaijani Ministry of Defense"),
    ("Sudan's defence ministry said the town was retaken.", "Sudanese Ministry of Defense"),
    ("Armenia's defence ministry said the town was retaken.", "Armenian Ministry of Defense"),
    ("Sudanese President Abdel Fattah al-Burhan announced the capture of the town.", "Abdel Fattah al-Burhan"),
    ("Malian Prime Minister Choguel Maiga said the attack had been repelled.", "Choguel Maiga"),
])
def test_ministries_and_people_of_any_country(text, claimant):
    assert _claimant(text) == claimant


@pytest.mark.parametrize("denial", [
    "The RSF rejected Khartoum's claims.",
    "Armenia rejected Baku's claims.",
])
def test_a_denial_of_a_capital_s_claim_refers_back(denial):
    match = is_contested(denial)
    assert match is not None and refers_back(match, denial)
