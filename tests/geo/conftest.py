"""Fixtures shared by the place-name tests."""

import pytest

from clashmap.pipeline import Pipeline
from geo.gazetteer import Gazetteer
from geo.geocoders import GazetteerGeocoder


@pytest.fixture(scope="module")
def pipeline():
    """The offline pipeline (built gazetteer, no store, no corrections); a module may define its own."""
    gaz = Gazetteer()
    return Pipeline(None, gaz, GazetteerGeocoder(gaz), corrections={})
