"""The store's schema on both databases: created by the Alembic migrations, reopened without change."""

from __future__ import annotations

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
