"""Shared store fixtures: every store-related test can run on SQLite and on a real PostgreSQL server.

Take `store_url` or `sessions` to run a test once per database (ids `sqlite` and `postgresql`);
take `sqlite_url` / `sqlite_sessions` or `postgres_url` / `postgres_sessions` for one of them only.

The PostgreSQL server is a throwaway cluster (store/pgcluster.py) started once per pytest session,
the first time a test asks for it, and stopped at the end; each test gets its own database, copied
from a migrated template so the schema is ready. Without the server binaries the PostgreSQL half is
skipped with the reason, unless `CLASHMAP_REQUIRE_POSTGRES=1` (set by `make test`) makes it an error.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

_TEMPLATE = "clashmap_template"
_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres_server():
    """The session's throwaway PostgreSQL server, with a migrated template database."""
    from store.pgcluster import PostgresUnavailable, ThrowawayPostgres

    try:
        server = ThrowawayPostgres()
        server.start()
    except PostgresUnavailable as err:
        if os.environ.get("CLASHMAP_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (CLASHMAP_REQUIRE_POSTGRES=1) but could not start: {err}")
        pytest.skip(f"PostgreSQL server not available here: {err}")
    try:
        from store.db import make_engine, migrate

        engine = make_engine(server.create_database(_TEMPLATE))
        migrate(engine)
        engine.dispose()
        yield server
    finally:
        server.stop()


def _new_postgres_database(server) -> tuple[str, str]:
    name = f"t{os.getpid()}_{next(_counter)}"
    server._admin(f'CREATE DATABASE "{name}" TEMPLATE "{_TEMPLATE}"')
    return name, server.url(name)


def _forget_engines() -> None:
    from store.db import close_stores

    close_stores()


@pytest.fixture
def postgres_url(postgres_server) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test, dropped afterwards."""
    name, url = _new_postgres_database(postgres_server)
    yield url
    _forget_engines()
    postgres_server.drop_database(name)


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    """A fresh SQLite file for this test (migrated when first opened)."""
    yield f"sqlite:///{tmp_path / 'store.sqlite'}"
    _forget_engines()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request) -> str:
    """A fresh store URL, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture
def sessions(store_url):
    """A session factory over a fresh store, once per database."""
    from store.db import open_store

    return open_store(store_url)


@pytest.fixture
def sqlite_sessions(sqlite_url):
    from store.db import open_store

    return open_store(sqlite_url)


@pytest.fixture
def postgres_sessions(postgres_url):
    from store.db import open_store

    return open_store(postgres_url)


@pytest.fixture(autouse=True)
def _fresh_login_throttle():
    """Failed logins are counted per server process (dashboard.auth.THROTTLE): each test starts with none."""
    import sys

    auth = sys.modules.get("dashboard.auth")
    if auth is not None:
        auth.THROTTLE.clear()
    yield


# One Playwright driver and one Chromium for the whole session: Playwright's sync API cannot start a second
# driver while a session-scoped one is alive, so every browser test (dashboard, hosting) shares this one.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium():
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make test installs it with apt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# `make test` runs the suite in three phases: everything not marked `serial` in pytest-xdist workers, one per core
# (phase 1); the `serial` tests not marked `alone` in the same number of workers, a test file to a worker (phase 2);
# then the `alone` ones in one process (phase 3). `serial` is set here, not by hand, so a test added later lands in the
# right phase: every browser test (Chromium and a real streamlit server: a worker makes its own store and server, and
# the tests wait for conditions, never for fixed times), every AppTest of the dashboard (the app in-process; most share
# the session's ingested dashboard store, which a worker ingests once), and the modules named below. `alone` marks the
# tests that compare wall-clock times and need an unloaded core.
_SERIAL_FIXTURES = {"chromium", "page", "streamlit_server", "dash_db", "own_db", "login_server"}
_SERIAL_NAMES = {"AppTest", "run_streamlit", "sync_playwright"}  # imported by the module: it starts one of those
_SERIAL_MODULES = {
    # AppTest of the whole app, imported inside the test
    "tests/hosting/test_commands_on_both.py",
}
_ALONE_MODULES = {
    # compares the time of two login checks and waits out throttle windows: needs an unloaded core
    "tests/hosting/test_logins.py",
}


# What a failed browser test leaves for whoever reads CI's output: a flaky failure may not come back when run again,
# so the report carries the page's address, its choices as shown, any error box and the server's last lines.
_PAGE_STATE_JS = """() => ({
  radios: [...document.querySelectorAll('[data-testid="stRadio"] input[type=radio]')]
            .filter(i => i.checked).map(i => i.closest('label')?.innerText.trim()),
  running: !!document.querySelector('[data-testid="stStatusWidget"]'),
  exceptions: [...document.querySelectorAll('[data-testid="stException"]')].map(e => e.innerText.slice(0, 500)),
})"""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.failed and call.when == "call" and page is not None:
        report.sections.append(("browser state at the failure", _browser_state(page)))
    return report


def _browser_state(page) -> str:
    lines = []
    try:
        lines.append(f"url: {page.url}")
        lines.append(f"page: {page.evaluate(_PAGE_STATE_JS)}")
    except Exception as e:  # the page may be gone: say so, the test's own failure is what counts
        lines.append(f"page state unavailable: {e!r}"[:300])
    from live_server import SERVER_LOGS

    for base, log in SERVER_LOGS.items():
        if page_url_starts(page, base) and log.exists():
            tail = log.read_text(errors="replace").splitlines()[-60:]
            lines += [f"server log ({log}), last {len(tail)} lines:", *tail]
    return "\n".join(lines)


def page_url_starts(page, base: str) -> bool:
    try:
        return page.url.startswith(base)
    except Exception:
        return False


def pytest_configure(config):
    config.addinivalue_line("markers", "serial: a browser, server or AppTest test: make test's phase 2, a file to a "
                            "worker (set in tests/conftest.py)")
    config.addinivalue_line("markers", "alone: compares wall-clock times: make test's phase 3, one process, nothing "
                            "else running (set in tests/conftest.py)")


def pytest_collection_modifyitems(config, items):
    root = config.rootpath
    for item in items:
        module = getattr(item, "module", None)
        names = set(vars(module)) if module is not None else set()
        path = item.path.relative_to(root).as_posix() if item.path.is_relative_to(root) else str(item.path)
        if (item.get_closest_marker("browser") or _SERIAL_FIXTURES & set(getattr(item, "fixturenames", ()))
                or _SERIAL_NAMES & names or path in _SERIAL_MODULES | _ALONE_MODULES):
            item.add_marker(pytest.mark.serial)
        if path in _ALONE_MODULES:
            item.add_marker(pytest.mark.alone)
