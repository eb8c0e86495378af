"""The store's schema on both databases: created by the Alembic migrations, reopened without change."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from store.db import make_engine, migrate, open_store
from store.schema import Base


def test_migrations_create_every_table(store_url):
    sessions = open_store(store_url)
    engine = sessions.kw["bind"]
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_migrate_twice_is_a_no_op(store_url):
    engine = make_engine(store_url)
    migrate(engine)
    with engine.connect() as conn:
        before = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    migrate(engine)
    with engine.connect() as conn:
        after = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    engine.dispose()
    assert before == after and len(after) == 1



def test_the_quick_current_check_names_the_same_head_as_alembic(tmp_path):
    """Opening a store reads the newest revision from the version files, without importing Alembic.

    A store one revision behind must still be seen as out of date and upgraded.
    """
    from alembic.script import ScriptDirectory

    from store.db import MIGRATIONS, _head_revision, _is_current

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert _head_revision() == head
    engine = make_engine(f"sqlite:///{tmp_path / 'behind.sqlite'}")
    migrate(engine)
    with engine.begin() as conn:
        assert _is_current(conn)
        conn.execute(text("UPDATE alembic_version SET version_num = :previous"),
                     {"previous": ScriptDirectory(str(MIGRATIONS)).get_revision(head).down_revision})
        assert not _is_current(conn)
    engine.dispose()

def test_upgrade_from_the_first_revision_keeps_rows_and_takes_64_bit_place_ids(store_url):
    """A store made by an older clashmap is upgraded in place when opened, its rows kept."""
    from alembic import command
    from sqlalchemy import select

    from store.db import alembic_config
    from store.schema import Place

    engine = make_engine(store_url)
    config = alembic_config(engine)
    command.downgrade(config, "base")
    command.upgrade(config, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO places (id, name, country_code, admin1, kind, lat, lon, population, source) "
                          "VALUES (147105, 'Shusha', 'AZ', NULL, 'city', 39.76, 46.75, 4064, 'geonames')"))
    migrate(engine)
    engine.dispose()
    sessions = open_store(store_url)
    big = -(3 * 10**12 + 5548761)  # a Nominatim relation id, beyond 32 bits
    with sessions.begin() as session:
        session.add(Place(id=big, name="Shusha", country_code="AZ", admin1="AZ-SUS", kind="town", lat=39.75,
                          lon=46.74, population=4064, source="nominatim"))
    with sessions() as session:
        assert set(session.scalars(select(Place.id))) == {147105, big}


def _open_in_processes(url: str, count: int = 3) -> list[str]:
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys; from store.db import open_store; open_store(sys.argv[1]); print('ok')"
    root = Path(__file__).resolve().parents[2]
    procs = [subprocess.Popen([sys.executable, "-c", code, url], cwd=root, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(count)]
    outcomes = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        outcomes.append(out.strip() if proc.returncode == 0 else err[-1500:])
    return outcomes


def test_several_processes_opening_a_new_sqlite_store_at_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    assert _open_in_processes(url) == ["ok"] * 3
    engine = make_engine(url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_several_processes_opening_a_new_postgresql_store_at_once(postgres_server):
    url = postgres_server.create_database("opened_at_once")  # empty: no tables yet
    try:
        assert _open_in_processes(url) == ["ok"] * 3
        engine = make_engine(url)
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        engine.dispose()
    finally:
        postgres_server.drop_database("opened_at_once")


# A `clashmap ingest` that stops (sleeps) right after the first SQL statement starting with argv[1], so
# the test can kill it there with SIGKILL; the pause is installed from outside, clashmap has no test hook.
_INGEST_PAUSED_AT = """
import sys, time
from sqlalchemy import Engine, event

@event.listens_for(Engine, "after_cursor_execute")
def _pause(conn, cursor, statement, *rest):
    if statement.lstrip().startswith(sys.argv[1]):
        print("paused", flush=True)
        time.sleep(600)

from clashmap.cli import main
sys.exit(main(["ingest", "--quiet", sys.argv[2]]))
"""

_ARTICLE = ("source: Test Wire\ntitle: Shelling reported\n\n"
            "2020-10-04 STEPANAKERT, Azerbaijan – Artillery shelled Shusha on Sunday, officials said.\n")


def _kill_first_ingest_and_ingest_again(tmp_path, url: str, pause_after: str) -> None:
    """SIGKILL a first `clashmap ingest` on the empty store `url` while it migrates; check the next one."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    article = tmp_path / "shelling.txt"
    article.write_text(_ARTICLE, encoding="utf-8")
    env = {**os.environ, "CLASHMAP_DB": url}
    first = subprocess.Popen([sys.executable, "-c", _INGEST_PAUSED_AT, pause_after, str(article)], cwd=root,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline().strip() == "paused", first.stderr.read()[-2000:]
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
    assert first.returncode == -signal.SIGKILL

    # the killed migration left all or nothing: never some tables without a version
    engine = make_engine(url)
    deadline = time.monotonic() + 30
    while engine.dialect.name == "postgresql" and time.monotonic() < deadline:
        with engine.connect() as conn:  # the server ends the killed client's session (and its lock) by itself
            if not conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                     "AND pid <> pg_backend_pid()")).scalar():
                break
        time.sleep(0.1)
    left = set(inspect(engine).get_table_names())
    engine.dispose()
    assert left == set() or set(Base.metadata.tables) | {"alembic_version"} <= left, left

    # it used to wait 60 s for the dead migration's lock and fail; how long it takes is machine load, not a check
    again = subprocess.run([sys.executable, "-m", "clashmap", "ingest", "--quiet", str(article)], cwd=root,
                           env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stdout.startswith("added 1,"), again.stdout
    engine = make_engine(url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    migrate(engine, timeout=5)  # already current: returns at once
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 1
    engine.dispose()


@pytest.mark.parametrize("pause_after", [
    "CREATE TABLE places",                 # three tables made: the state the finding describes
    "CREATE INDEX ix_events_type_date",    # most of the schema made
    "INSERT INTO alembic_version",         # every table and the first version row
    "UPDATE alembic_version",              # the last revision applied, not yet committed
])
def test_first_ingest_killed_while_migrating_leaves_a_store_the_next_ingest_completes(tmp_path, pause_after):
    """Finding 8: SIGKILL during the first migration of a new SQLite store; the next ingest works at once."""
    _kill_first_ingest_and_ingest_again(tmp_path, f"sqlite:///{tmp_path / 'new.sqlite'}", pause_after)


@pytest.mark.postgres
@pytest.mark.parametrize("pause_after", ["CREATE TABLE places", "UPDATE alembic_version"])
def test_first_ingest_killed_while_migrating_on_postgresql(tmp_path, postgres_server, pause_after):
    """PostgreSQL: DDL is transactional and the advisory lock dies with the killed session."""
    name = f"killed_{pause_after.split()[-1]}"
    url = postgres_server.create_database(name)
    try:
        _kill_first_ingest_and_ingest_again(tmp_path, url, pause_after)
    finally:
        from store.db import close_stores

        close_stores()
        postgres_server.drop_database(name)


# The first migration as clashmap ran it before it was one transaction (each CREATE TABLE committed on its
# own by the sqlite3 driver), paused after the statement starting with argv[1], to be killed there.
_OLD_STYLE_MIGRATION_PAUSED_AT = """
import sys, time
from alembic import command
from sqlalchemy import Engine, event
from store.db import alembic_config, make_engine

@event.listens_for(Engine, "after_cursor_execute")
def _pause(conn, cursor, statement, *rest):
    if statement.lstrip().startswith(sys.argv[1]):
        print("paused", flush=True)
        time.sleep(600)

command.upgrade(alembic_config(make_engine(sys.argv[2])), "head")
"""


def _half_made_store(tmp_path, pause_after: str) -> str:
    import signal
    import subprocess
    import sys
    from pathlib import Path

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    root = Path(__file__).resolve().parents[2]
    old = subprocess.Popen([sys.executable, "-c", _OLD_STYLE_MIGRATION_PAUSED_AT, pause_after, url], cwd=root,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert old.stdout.readline().strip() == "paused", old.stderr.read()[-2000:]
    finally:
        old.send_signal(signal.SIGKILL)
        old.communicate(timeout=30)
    return url


def test_a_store_half_made_by_an_older_clashmap_is_cleared_and_migrated(tmp_path):
    """The state finding 8 describes (three tables, no version), left by an older version: opened promptly."""
    import time

    url = _half_made_store(tmp_path, "CREATE TABLE places")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version", "geocode_cache", "places"}
    started = time.monotonic()
    migrate(engine, timeout=20)
    assert time.monotonic() - started < 15
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()


def test_a_half_made_store_with_rows_is_not_touched_and_says_so(tmp_path):
    from clashmap.errors import StoreError

    url = _half_made_store(tmp_path, "CREATE TABLE places")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO places (id, name, country_code, admin1, kind, lat, lon, population, source) "
                          "VALUES (1, 'Somewhere', 'AZ', NULL, 'town', 40.0, 47.0, 10, 'geonames')"))
    with pytest.raises(StoreError, match="places hold rows but the store has no schema version"):
        migrate(engine, timeout=5)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM places")).scalars().all() == ["Somewhere"]
    engine.dispose()
