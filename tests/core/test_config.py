"""Configuration and the command line's errors, through the real `clashmap` command (finding 10).

A bad setting, a missing gazetteer index or a store that cannot be opened is one line on stderr,
`clashmap: ...` naming the setting or file, exit status 1, and never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _clashmap(*args: str, env: dict[str, str] | None = None, stdin: str | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CLASHMAP_")}
    return subprocess.run([sys.executable, "-m", "clashmap", *args], cwd=ROOT, env={**clean, **(env or {})},
                          input=stdin, capture_output=True, text=True, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("clashmap: ")
    return lines[0]


def test_a_misspelt_geocoder_is_an_error_naming_the_setting_and_the_allowed_values(tmp_path):
    result = _clashmap("geocode", "Shusha", env={"CLASHMAP_GEOCODER": "nominatimm",
                                                 "CLASHMAP_DB": f"sqlite:///{tmp_path / 's.sqlite'}"})
    line = _one_error_line(result)
    assert "CLASHMAP_GEOCODER" in line and "nominatimm" in line
    assert "offline" in line and "nominatim'" in line
    assert result.stdout == ""  # nothing was looked up offline meanwhile


def test_a_timeout_that_is_not_a_number_is_one_line(tmp_path):
    line = _one_error_line(_clashmap("geocode", "Shusha", env={"CLASHMAP_NOMINATIM_TIMEOUT": "abc"}))
    assert "CLASHMAP_NOMINATIM_TIMEOUT" in line and "'abc'" in line and "number" in line


@pytest.mark.parametrize("value", ["private", "login ", "true"])
def test_serve_refuses_a_bad_viewing_value_before_starting_anything(value):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CLASHMAP_")}
    serve = subprocess.Popen([sys.executable, "-m", "clashmap", "serve", "--port", str(_free_port())], cwd=ROOT,
                             env={**clean, "CLASHMAP_VIEWING": value}, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = serve.communicate(timeout=60)
    finally:
        _kill_group(serve.pid)  # a server started anyway must not outlive the test
    line = _one_error_line(subprocess.CompletedProcess(serve.args, serve.returncode, out, err))
    assert "CLASHMAP_VIEWING" in line and "login" in line and "open" in line


def test_a_missing_gazetteer_index_is_one_line_naming_it(tmp_path):
    missing = tmp_path / "nowhere" / "gazetteer.sqlite"
    result = _clashmap("geocode", "Shusha", env={"CLASHMAP_GAZETTEER": str(missing)})
    line = _one_error_line(result)
    assert str(missing) in line and "CLASHMAP_GAZETTEER" in line and "clashmap gazetteer build" in line


def test_an_unreachable_postgresql_server_is_one_line_without_the_password(tmp_path):
    port = _free_port()  # nothing listens there now
    article = tmp_path / "a.txt"
    article.write_text("2020-10-04 STEPANAKERT, Azerbaijan – Shelling on Sunday.\n", encoding="utf-8")
    result = _clashmap("ingest", "--quiet", str(article),
                       env={"CLASHMAP_DB": f"postgresql+psycopg://editor:s3cret@127.0.0.1:{port}/clashmap"})
    line = _one_error_line(result)
    assert f"127.0.0.1:{port}" in line and "CLASHMAP_DB" in line and "refused" in line.lower()
    assert "s3cret" not in result.stderr


def test_a_sqlite_store_in_a_missing_directory_is_one_line_and_creates_nothing(tmp_path):
    folder = tmp_path / "no-such-folder"
    result = _clashmap("export", env={"CLASHMAP_DB": f"sqlite:///{folder / 'store.sqlite'}"})
    line = _one_error_line(result)
    assert str(folder) in line and "does not exist" in line
    assert not folder.exists()  # a typo in the path does not make a new empty store somewhere


@pytest.mark.parametrize("value", ["not a url", "mysql://u:pw@host/db"])
def test_a_database_url_clashmap_cannot_use_is_a_config_error(value):
    line = _one_error_line(_clashmap("export", env={"CLASHMAP_DB": value}))
    assert "CLASHMAP_DB" in line and "pw@" not in line


def test_an_unexpected_error_is_one_line_with_a_hint_and_debug_shows_the_traceback(tmp_path):
    # a gazetteer "index" that is a text file: not a problem clashmap names, so the last-resort line
    fake = tmp_path / "gazetteer.sqlite"
    fake.write_text("this is not a database\n" * 100)
    env = {"CLASHMAP_GAZETTEER": str(fake), "CLASHMAP_DB": f"sqlite:///{tmp_path / 's.sqlite'}"}
    line = _one_error_line(_clashmap("geocode", "Shusha", env=env))
    assert "--debug" in line
    debug = _clashmap("--debug", "geocode", "Shusha", env=env)
    assert debug.returncode == 1 and "Traceback" in debug.stderr
    after = _clashmap("geocode", "Shusha", "--debug", env=env)
    assert "Traceback" in after.stderr


def test_a_usage_error_keeps_argparse_status_2():
    result = _clashmap("export", "--format", "xlsx")
    assert result.returncode == 2 and "invalid choice" in result.stderr and "Traceback" not in result.stderr


def _group(pgid: int) -> set[int]:
    """Every live process of process group `pgid`, from /proc (orphans keep their group)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def _wait_for(condition, timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_stopped_with_a_signal_leaves_no_streamlit_server_behind(tmp_path, stop):
    port = _free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CLASHMAP_")}
    serve = subprocess.Popen([sys.executable, "-m", "clashmap", "serve", "--port", str(port)], cwd=ROOT,
                             env={**clean, "CLASHMAP_DB": f"sqlite:///{tmp_path / 's.sqlite'}"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert _wait_for(lambda: _healthy(port) or serve.poll() is not None, 120), "server never became healthy"
        assert serve.poll() is None, "clashmap serve exited on its own"
        serve.send_signal(stop)  # to clashmap's own pid only, as `kill PID` or a supervisor does
        serve.wait(timeout=60)
        assert _wait_for(lambda: not _group(serve.pid), 30), \
            f"still running after {stop.name}: {sorted(_group(serve.pid))}"
        assert not _healthy(port)
    finally:
        _kill_group(serve.pid)
        if serve.poll() is None:
            serve.wait(timeout=30)


def test_the_readme_lists_every_setting_with_its_default_and_allowed_values():
    from clashmap.settings import Settings, settings_markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Configuration", 1)[1].split("\n## ", 1)[0]
    missing = [row for row in settings_markdown().splitlines() if row not in section]
    assert not missing, ("README's Configuration table is out of date; paste the output of "
                         "`.venv/bin/python -m clashmap.settings` there. Missing rows:\n" + "\n".join(missing))
    for field in Settings.model_fields:
        assert f"| `CLASHMAP_{field.upper()}` |" in section


@pytest.mark.parametrize(("content", "named"), [
    ('CLASHMAP_GEOCODER = "nominatimm"\n', "CLASHMAP_GEOCODER='nominatimm': must be one of"),
    ('[clashmap]\nviewing = "private"\n', "[clashmap] viewing='private': must be one of"),
    ('[clashmap]\nviewing = "open"\nusers = [\n', "not a valid TOML file"),
])
def test_serve_checks_its_secrets_file_before_starting_the_server(tmp_path, content, named):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(content, encoding="utf-8")
    port = _free_port()
    serve = subprocess.Popen([sys.executable, "-m", "clashmap", "serve", "--port", str(port), "--secrets", str(secrets)],
                             cwd=ROOT, env={k: v for k, v in os.environ.items() if not k.startswith("CLASHMAP_")},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = serve.communicate(timeout=60)
    finally:
        _kill_group(serve.pid)
    line = _one_error_line(subprocess.CompletedProcess(serve.args, serve.returncode, out, err))
    assert str(secrets) in line and named in line
