"""Brief E12, from LGL's tuning half: 'as demonstrated by' is showing, and a protest named as one to come
('the planned April 9 protest rally') is no protest held. Short texts the project wrote; the protests held stay."""

from __future__ import annotations

import pytest
from pipeline_fixtures import pipeline, read  # noqa: F401 (pytest fixtures)
from pipeline_fixtures import event_types as _types


@pytest.mark.parametrize("body", [
    "The painter's style changed after the move, as demonstrated by his later work shown at the museum in Salem.",
    "The suspects discussed the planned April 9 protest rally in Salem, investigators said on Monday.",
    "Officials in Salem prepared for upcoming demonstrations on Monday.",
])
def test_showing_or_a_protest_to_come_is_no_protest(read, body):
    assert _types(read(f"date 2009-04-02 SALEM, UNITED STATES – {body}")) == []


@pytest.mark.parametrize("body", [
    "Hundreds of students demonstrated outside the state house in Salem on Monday.",
    "Thousands held a protest rally in Salem on Monday against the new tax.",
])
def test_a_protest_held_stays(read, body):
    assert ("Protests", "Peaceful protest") in _types(read(f"date 2009-04-02 SALEM, UNITED STATES – {body}"))


def test_a_plea_for_help_with_a_cold_case_of_mob_violence_is_no_event(read):
    body = ("Federal agents made a plea Saturday in Salem, near the site of the county's last lynching, for the "
            "public's help with one of their coldest cases.")
    assert _types(read(f"date 2009-03-29 SALEM, UNITED STATES – {body}")) == []
