"""Equipment losses told as a part of a whole ("shot down 31 of 37 drones") count the part."""

from __future__ import annotations

import pytest

from events.numbers import find_losses


@pytest.mark.parametrize("text", [
    "The air force said it shot down 31 of 37 drones launched overnight.",
    "Air defences destroyed 31 out of the 37 drones.",
])
def test_the_part_shot_down_is_the_loss(text):
    losses, spans = find_losses(text)
    assert losses == {"UAVs": 31}
    assert text[slice(*spans[0])].startswith("31")


def test_a_plain_count_is_unchanged():
    assert find_losses("Air defences downed 12 drones overnight.")[0] == {"UAVs": 12}
