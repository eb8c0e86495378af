"""Strikes told by what flew or was fired: "a drone launched by the rebels struck a tanker", "a missile hit a ship",
"warplanes carried out a dozen strikes". Short texts the project wrote, read through the real pipeline."""

from __future__ import annotations

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)
from pipeline_fixtures import event_types as _types


@pytest.mark.parametrize(("body", "sub_type"), [
    ("A drone launched by the rebels struck a tanker off the port of Hodeidah on Monday, causing a fire.",
     "Air/drone strike"),
    ("A missile fired from the coast hit a cargo ship near Aden on Monday, the operator said.",
     "Shelling/artillery/missile attack"),
    ("Warplanes carried out at least a dozen strikes on rebel positions around Sanaa on Monday.", "Air/drone strike"),
])
def test_a_strike_told_by_what_flew_or_was_fired(read, body, sub_type):
    assert _types(read(f"date 2024-01-16 ADEN, YEMEN – {body}")) == [("Explosions/Remote violence", sub_type)]


def test_dock_workers_striking_are_no_air_strike(read):
    types = _types(read("date 2024-01-16 ADEN, YEMEN – Dock workers carried out a strike at the port of Aden on "
                        "Monday over unpaid wages."))
    assert ("Explosions/Remote violence", "Air/drone strike") not in types
