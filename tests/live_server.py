"""A real `streamlit run` of the dashboard on a free 127.0.0.1 port, for browser tests in any folder.

tests/ is on sys.path (pytest puts the top conftest's folder there), so any test imports this module by
its own name: `from live_server import run_streamlit, free_port`.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# what `clashmap serve` runs: dashboard/app.py as Streamlit's ASGI app, with its cache headers
APP = ROOT / "dashboard" / "serve_app.py"
# base URL -> the server's log, for the report of a failed browser test (tests/conftest.py)
SERVER_LOGS: dict[str, Path] = {}


def free_port() -> int:
    """A port nothing listens on now (closed again on return: a connection to it is refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def run_streamlit(folder: Path, env_extra: dict[str, str], script: Path | None = None, *,
                  secrets: Path | None = None, keep_clashmap_env: bool = True,
                  start_timeout: float = 60) -> Iterator[tuple[str, subprocess.Popen]]:
    """Yields (base URL, process) once the server answers its health check; stopped on exit.

    cwd is the project, so its .streamlit/config.toml holds; map assets are served locally
    (CLASHMAP_OFFLINE_ASSETS=1). No secrets file is read unless `secrets` names one, so the browser is an
    anonymous viewer unless `env_extra` sets CLASHMAP_AUTH=open. CLASHMAP_AUTH and CLASHMAP_VIEWING of the
    test run are never passed on; with `keep_clashmap_env=False` no CLASHMAP_ variable is.
    """
    sys.path.insert(0, str(ROOT / "static"))
    from fetch_assets import fetch

    fetch()
    port = free_port()
    dropped = ("CLASHMAP_AUTH", "CLASHMAP_VIEWING")
    env = {k: v for k, v in os.environ.items()
           if k not in dropped and (keep_clashmap_env or not k.startswith("CLASHMAP_"))}
    env.update(CLASHMAP_OFFLINE_ASSETS="1", **env_extra)
    log = folder / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script or APP),
             "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--secrets.files", str(secrets or folder / "no-secrets.toml")],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    SERVER_LOGS[base] = log
    deadline = time.monotonic() + start_timeout
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
