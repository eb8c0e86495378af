"""A real Streamlit server for browser tests, and the wait for an ingest report (helpers, not fixtures).

Tests import these by this module's own name: `from conftest import ...` finds whichever conftest module was
imported last (tests/core, tests/fuzz and tests/dashboard each have one), so it breaks with the run's order.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dash_fixture_articles import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def run_streamlit(folder: Path, env_extra: dict[str, str], script: Path | None = None):
    """A real `streamlit run` on a free 127.0.0.1 port (cwd: the project, so its .streamlit/config.toml holds);
    yields (base URL, process); stopped on exit. No secrets file is read: the browser is an anonymous viewer
    unless `env_extra` sets CLASHMAP_AUTH=open."""
    sys.path.insert(0, str(ROOT / "static"))
    from fetch_assets import fetch

    fetch()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("CLASHMAP_AUTH", "CLASHMAP_VIEWING")}
    env.update(CLASHMAP_OFFLINE_ASSETS="1", **env_extra)
    log = folder / "server.log"
    no_secrets = folder / "secrets.toml"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script or ROOT / "dashboard" / "app.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--secrets.files", str(no_secrets)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; log:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for_report(at, timeout: float = 120):
    """Rerun the page (as its progress fragment does) until the worker's report is shown."""
    deadline = time.monotonic() + timeout
    while not at.dataframe:
        assert not at.exception, at.exception
        assert time.monotonic() < deadline, f"no ingest report after {timeout} s"
        time.sleep(0.3)
        at.run()
    return at.dataframe[0].value
