"""Claimants written in lower case in reported speech (issue 11): "..., the army said", "according to police",
a headline's "- officials"; the nouns come from data/claim_sources.csv. A place is never a claimant."""

from __future__ import annotations

import pytest

from clashmap.errors import ConfigError
from events.claims import find_claim, source_nouns


@pytest.mark.parametrize("text, claimant", [
    ("Three soldiers were killed when a mine exploded near the ford, the army said.", "Army"),
    ("Two herders died in the raid, according to police.", "Police"),
    ("Four people were killed at the checkpoint, police said on Monday.", "Police"),
    ("The depot was shelled overnight, the defence ministry said.", "Ministry of Defense"),
    ("Nine were killed in the ambush, a military spokesman said.", "Military spokesman"),
    ("Two killed in blast at bus station - police", "Police"),
    ("Six killed in fighting in the hills: officials", "Officials"),
])
def test_lowercase_sources_are_claimants(text, claimant):
    claim = find_claim(text)
    assert claim is not None and claim.claimant == claimant
    assert text[claim.start:claim.end].split()[-1].lower() in text.lower().split(", ")[-1].split(": ")[-1]  # the span is the source


@pytest.mark.parametrize("text", [
    "Gunmen stormed the market and killed five people.",
    "Twelve were killed, Kandahar said.",  # a city does not speak
])
def test_no_source_no_claimant(text):
    assert find_claim(text) is None


def test_a_bad_sources_row_names_file_and_line(tmp_path):
    bad = tmp_path / "claim_sources.csv"
    bad.write_text("source,reason\nmedics,\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"claim_sources\.csv: line 2"):
        source_nouns(bad)
