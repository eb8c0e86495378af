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
