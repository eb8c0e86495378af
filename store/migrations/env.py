"""Alembic environment: runs migrations on the engine `store.db.migrate` hands over."""

from alembic import context

from store.schema import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` command line: use CLASHMAP_DB like every other command
    from store.db import make_engine

    engine = make_engine()

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=engine.dialect.name == "sqlite")
    context.run_migrations()
