"""The dashboard tests' helpers (not fixtures): a real Streamlit server (tests/live_server.py), and the wait
for an ingest report.

Tests import these by this module's own name: `from conftest import ...` finds whichever conftest module was
imported last (tests/core, tests/fuzz and tests/dashboard each have one), so it breaks with the run's order.
"""

from __future__ import annotations

import time

from live_server import run_streamlit  # noqa: F401 - the dashboard tests import it from here


def wait_for_report(at, timeout: float = 120):
    """Rerun the page (as its progress fragment does) until the worker's report is shown."""
    deadline = time.monotonic() + timeout
    while not at.dataframe:
        assert not at.exception, at.exception
        assert time.monotonic() < deadline, f"no ingest report after {timeout} s"
        time.sleep(0.3)
        at.run()
    return at.dataframe[0].value
