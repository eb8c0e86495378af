"""Fixtures shared by the hosting tests: the offline gazetteer and a Nominatim stand-in on 127.0.0.1."""

from __future__ import annotations

import pytest

from nominatim_standin import NominatimStandIn


@pytest.fixture(scope="session")
def gazetteer():
    """The gazetteer index `make setup` builds (skipped, with the reason, when it is not built)."""
    from geo.gazetteer import DEFAULT_INDEX, Gazetteer

    if not DEFAULT_INDEX.exists():
        pytest.skip(f"the gazetteer index {DEFAULT_INDEX} is not built (make setup builds it)")
    return Gazetteer(DEFAULT_INDEX)


@pytest.fixture
def standin(request):
    """A fresh stand-in per test; a module's `STANDIN_DELAY` (seconds) sets how slowly it answers."""
    server = NominatimStandIn().start()
    delay = getattr(request.module, "STANDIN_DELAY", None)
    if delay is not None:
        server.delay = delay
    yield server
    server.stop()
