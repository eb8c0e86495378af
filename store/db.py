"""Open the store: pick the database from `CLASHMAP_DB`, bring its schema up to date with Alembic.

Several processes share one store in a newsroom (two editors ingesting, the dashboard reading), on
SQLite or PostgreSQL. So migrations take a lock, and writers go through `run_transaction`, which
replays a transaction that lost a race (a unique key taken meanwhile, a deadlock, a busy SQLite file).
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import (BigInteger, Column, Engine, Integer, MetaData, Table, create_engine, event, insert, inspect,
                        text, update)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from clashmap.errors import StoreError

log = logging.getLogger(__name__)
T = TypeVar("T")
# Any fixed number: the key of the PostgreSQL advisory lock that serialises migrations.
_MIGRATION_LOCK = 0x636C6D70

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_url() -> str:
    """The SQLAlchemy URL of the store: `CLASHMAP_DB`, else a SQLite file under `data/`."""
    from clashmap.settings import get_settings

    return get_settings().db or f"sqlite:///{DATA_DIR / 'clashmap.sqlite'}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the dashboard read while an ingest writes; foreign keys are off by default in SQLite.
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_directory(url: str) -> None:
    """Make `data/` for the default store; any other SQLite file must be in a directory that exists.

    A typo in the directory of `CLASHMAP_DB` would otherwise create a new, empty store somewhere else.
    """
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).parent
    if folder.resolve() == DATA_DIR.resolve():
        folder.mkdir(parents=True, exist_ok=True)
    elif not folder.is_dir():
        raise StoreError(f"{database}: directory {folder} does not exist (create it, or fix CLASHMAP_DB)")


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default `CLASHMAP_DB`); SQLite gets WAL and a 30 s busy timeout."""
    url = url or default_url()
    if url.startswith("sqlite:"):
        _sqlite_directory(url)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_migration_engine(engine: Engine) -> Engine:
    """An engine on the same SQLite file whose transactions really enclose DDL.

    Python's sqlite3 driver opens a transaction only before INSERT/UPDATE/DELETE, so each CREATE TABLE
    of a migration was committed on its own, and a process killed mid-migration left some tables and no
    version. Here the driver's own transaction handling is off and SQLAlchemy emits the BEGIN (the
    recipe of SQLAlchemy's pysqlite notes on transactional DDL); BEGIN IMMEDIATE also takes the write
    lock at once, so a second process opening the same new store waits for the first one's commit.
    """
    migrating = create_engine(engine.url, poolclass=NullPool)
    event.listen(migrating, "connect", _sqlite_pragmas)

    @event.listens_for(migrating, "connect")
    def _driver_autocommit(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(migrating, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return migrating


def alembic_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, timeout: float = 60.0) -> None:
    """Create or upgrade the schema to the newest migration; a no-op when it is current.

    Safe when several processes open a new store at once: on PostgreSQL an advisory lock lets one
    migrate while the others wait; on SQLite the losers of the race wait until the winner is done.
    """
    with engine.begin() as conn:
        if _is_current(conn):
            return
    from alembic import command  # only when there is something to migrate: it costs 0.2 s to import

    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK})
            conn.commit()
            try:
                with engine.begin() as check:
                    if _is_current(check):
                        return
                command.upgrade(alembic_config(engine), "head")
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK})
                conn.commit()
        return
    # SQLite: every revision and the version row in one transaction, so a process killed while
    # migrating leaves either the old schema or the new one, and the next run simply starts again
    migrating = _sqlite_migration_engine(engine)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                _clear_half_made_schema(migrating)
                command.upgrade(alembic_config(migrating), "head")
                return
            except OperationalError as err:
                # the file stayed locked past the busy timeout (a long write elsewhere): try again
                if time.monotonic() > deadline or not is_lost_race(err):
                    raise
                time.sleep(0.2)
    finally:
        migrating.dispose()


def _clear_half_made_schema(migrating: Engine) -> None:
    """Drop the empty tables an older clashmap left when killed during its first migration.

    Before migrations ran in one transaction, a first `ingest` killed meanwhile left some tables and no
    version row, and every later command failed on "table already exists". Such a store holds nothing:
    its tables are dropped (in one transaction) and the migration starts from the beginning. Tables
    with rows but no version are left alone, with a message.
    """
    from store.schema import Base

    with migrating.begin() as conn:
        present = set(inspect(conn).get_table_names())
        ours = [table.name for table in reversed(Base.metadata.sorted_tables) if table.name in present]
        if not ours and "alembic_version" not in present:
            return  # a new, empty file
        if "alembic_version" in present and conn.execute(text("SELECT count(*) FROM alembic_version")).scalar():
            return  # a versioned store: Alembic upgrades it
        filled = [name for name in ours if conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()]
        if filled:
            raise StoreError(f"{migrating.url.database}: tables {', '.join(sorted(filled))} hold rows but the store "
                             f"has no schema version; not touching it (copy it elsewhere and check it)")
        for name in [*ours, *(["alembic_version"] if "alembic_version" in present else [])]:
            conn.execute(text(f'DROP TABLE "{name}"'))
        log.warning("%s: dropped the empty tables of an interrupted first migration", migrating.url.database)


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


def _head_revision() -> str | None:
    """The newest migration's revision, read from the version files' `revision`/`down_revision` lines.

    Every command opens the store, and asking Alembic (importing it, loading each script) cost about
    0.25 s of CPU at every start for a check that nearly always says "current". None when the files do
    not show exactly one head (a branch, a revision written another way): then Alembic is asked.
    """
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((key, value) for key, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        if "down_revision" in found:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _is_current(conn) -> bool:
    if not inspect(conn).has_table("alembic_version"):
        return False
    head = _head_revision()
    if head is None:
        from alembic.script import ScriptDirectory

        head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    versions = [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))]
    return versions == [head]


_stores: dict[str, sessionmaker[Session]] = {}
_stores_lock = threading.Lock()


def open_store(url: str | None = None) -> sessionmaker[Session]:
    """A session factory over a migrated database; kept per URL for the life of the process."""
    configured = not url
    url = url or default_url()
    with _stores_lock:
        if url not in _stores:
            engine = None
            try:
                engine = make_engine(url)
                migrate(engine)
            except (SQLAlchemyError, OSError) as err:
                if engine is not None:
                    engine.dispose()
                raise StoreError(_open_problem(url, err, configured)) from err
            _stores[url] = sessionmaker(engine, expire_on_commit=False)
        return _stores[url]


def _open_problem(url: str, err: Exception, configured: bool) -> str:
    """One line: which store (password hidden), where its URL came from, and the driver's first line."""
    from clashmap.settings import get_settings, hide_password

    origin = " (CLASHMAP_DB)" if configured and get_settings().db else ""
    reason = str(getattr(err, "orig", None) or err).strip().splitlines()
    return f"cannot open the store {hide_password(url)}{origin}: {reason[0] if reason else type(err).__name__}"


def close_stores() -> None:
    """Dispose every engine `open_store` made (tests call this before dropping their databases)."""
    with _stores_lock:
        for sessions in _stores.values():
            sessions.kw["bind"].dispose()
        _stores.clear()


def serialize_writers(session: Session, names: Iterable[str]) -> None:
    """Make concurrent transactions that decide about the same `names` run one after the other.

    A unique key stops two processes inserting the same exact row, but not two near-identical rows
    that a tolerant rule (events.merge) would have merged. PostgreSQL gets a transaction-scoped
    advisory lock per name, taken in sorted order so two writers cannot deadlock on them; SQLite
    needs nothing, as it lets one writer at a time hold the file.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted({_lock_key(name) for name in names}):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _lock_key(name: str) -> int:
    # a stable signed 64-bit number (Python's hash() differs between processes)
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def is_lost_race(err: DBAPIError) -> bool:
    """True when replaying the transaction can succeed: a concurrent writer won, not a bug in ours."""
    orig = getattr(err, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:  # PostgreSQL: unique violation, serialization failure, deadlock
        return sqlstate in {"23505", "40001", "40P01"}
    message = str(orig or err).lower()
    return "unique constraint failed" in message or "database is locked" in message \
        or "database table is locked" in message


def run_transaction(sessions: sessionmaker[Session], work: Callable[[Session], T], *, attempts: int = 8) -> T:
    """Run `work(session)` in one transaction; replay it from scratch when it lost a race.

    `work` must be safe to run again: it re-reads what it needs inside the session it is given.
    """
    for attempt in range(1, attempts + 1):
        try:
            with sessions.begin() as session:
                return work(session)
        except (IntegrityError, OperationalError) as err:
            if attempt == attempts or not is_lost_race(err):
                raise
            log.info("transaction lost a race (%s); retry %d", type(getattr(err, "orig", err)).__name__, attempt)
            time.sleep(random.uniform(0.01, 0.05) * attempt)
    raise AssertionError("unreachable")


_REVISION = Table("store_revision", MetaData(),  # created by migration 0004; not an ORM table, so `db copy` skips it
                  Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("revision", BigInteger, nullable=False))


def bump_revision(session: Session) -> None:
    """Raise the store's revision in this transaction: call it in every transaction that changes readings.

    Counts and latest times miss a rewrite (a reprocess deletes and re-inserts the same number of rows,
    a correction moves events without adding any); the revision does not. Call it last in the transaction:
    on PostgreSQL the row stays locked until commit, so writers only queue here at the very end.
    """
    changed = session.execute(update(_REVISION).where(_REVISION.c.id == 1)
                              .values(revision=_REVISION.c.revision + 1)).rowcount
    if not changed:  # the first write of this store; a concurrent first insert is replayed by run_transaction
        session.execute(insert(_REVISION).values(id=1, revision=1))


def change_token(sessions: sessionmaker[Session]) -> tuple:
    """A small value that changes whenever any process ingests, reprocesses or corrects something.

    The dashboard can pass it as an argument of its cached loaders, so a rerun sees what another
    process (a second server, a command-line ingest or reprocess) stored, without waiting for a cache
    to expire. The revision counter catches every rewrite; the counts also catch a writer that
    predates it.
    """
    from sqlalchemy import func, select

    from store.schema import Article, Correction, EventSource

    with sessions() as session:
        revision = session.scalar(select(_REVISION.c.revision).where(_REVISION.c.id == 1))
        articles = session.execute(select(func.count(), func.max(Article.ingested_at))).one()
        sources = session.scalar(select(func.count()).select_from(EventSource))
        corrections = session.execute(select(func.count(), func.max(Correction.corrected_at))).one()
    return (revision, *articles, sources, *corrections)
