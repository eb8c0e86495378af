"""Open the store: pick the database from `CLASHMAP_DB`, bring its schema up to date with Alembic."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_url() -> str:
    """The SQLAlchemy URL of the store: `CLASHMAP_DB`, else a SQLite file under `data/`."""
    return os.environ.get("CLASHMAP_DB") or f"sqlite:///{DATA_DIR / 'clashmap.sqlite'}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the dashboard read while an ingest writes; foreign keys are off by default in SQLite.
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    url = url or default_url()
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration; a no-op when it is current."""
    with engine.begin() as conn:
        if _is_current(conn):
            return
    command.upgrade(alembic_config(engine), "head")


def _is_current(conn) -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    if not inspect(conn).has_table("alembic_version"):
        return False
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    return MigrationContext.configure(conn).get_current_revision() == head


@lru_cache(maxsize=8)
def open_store(url: str | None = None) -> sessionmaker[Session]:
    """A session factory over a migrated database; cached per URL for the life of the process."""
    engine = make_engine(url)
    migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)
