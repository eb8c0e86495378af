"""Move a whole store to another database: `clashmap db copy --from SQLITE_URL --to POSTGRES_URL`.

    >>> copy_store("sqlite:///data/clashmap.sqlite",
    ...            "postgresql+psycopg://clashmap@db.example/clashmap")   # doctest: +SKIP
    {'places': 412, 'articles': 39, ...}

Both ends are brought to the newest schema first; the copy runs in one transaction on the
destination (all or nothing), table by table in foreign-key order, in batches so memory stays
flat. Values an older clashmap stored in SQLite without checking them (a title over its column, a NUL)
are cut to fit as they are copied (`store.validate.fit_row`), so the copy never fails on them; their
count is reported. The destination must be empty: merging two stores is `clashmap ingest`'s job, not this one's.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Connection, func, select, text
from sqlalchemy.engine import make_url

from store.db import make_engine, migrate
from store.schema import Base
from store.validate import fit_row

BATCH = 2000


class CopyError(RuntimeError):
    """The copy cannot start; the message names the database and the problem."""


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def copy_store(source_url: str, target_url: str, *, batch: int = BATCH) -> dict[str, int]:
    """Copy every table of the store at `source_url` into the empty store at `target_url`; rows per table."""
    if make_url(source_url) == make_url(target_url):
        raise CopyError(f"source and destination are the same database ({_safe(source_url)})")
    source, target = make_engine(source_url), make_engine(target_url)
    try:
        migrate(source)
        migrate(target)
        tables = Base.metadata.sorted_tables  # parents before children
        counts: dict[str, int] = {}
        with source.connect() as src, target.begin() as dst:
            busy = [t.name for t in tables if dst.scalar(select(func.count()).select_from(t))]
            if busy:
                raise CopyError(f"the destination {_safe(target_url)} is not empty (rows in {', '.join(busy)}); "
                                "copy into a new database")
            fitted = [0]  # values an older version stored unchecked, cut to fit (store.validate.fit_row)
            for table in tables:
                counts[table.name] = _copy_table(src, dst, table, batch, fitted)
            if fitted[0]:
                counts["values cut to fit"] = fitted[0]
            if dst.dialect.name == "postgresql":
                _reset_sequences(dst, tables)
        return counts
    finally:
        source.dispose()
        target.dispose()


def _copy_table(src: Connection, dst: Connection, table, batch: int, fitted: list[int]) -> int:
    order = list(table.primary_key.columns)
    result = src.execution_options(stream_results=True).execute(select(table).order_by(*order))
    total = 0
    while rows := result.fetchmany(batch):
        out = []
        for row in rows:
            values, changed = fit_row(table, _utc(dict(row._mapping)))
            fitted[0] += changed
            out.append(values)
        dst.execute(table.insert(), out)
        total += len(rows)
    return total


def _utc(row: dict) -> dict:
    # SQLite hands back naive datetimes; the store writes UTC, so say so before PostgreSQL guesses
    return {k: v.replace(tzinfo=timezone.utc) if isinstance(v, datetime) and v.tzinfo is None else v
            for k, v in row.items()}


def _reset_sequences(dst: Connection, tables) -> None:
    """Explicit ids were inserted, so move each serial counter past the largest one."""
    for table in tables:
        columns = list(table.primary_key.columns)
        if len(columns) != 1:
            continue
        name = columns[0].name
        sequence = dst.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": name})
        if sequence:  # None for ids the store assigns itself (places: GeoNames ids)
            dst.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX("{name}") FROM "{table.name}"), 0) + 1, false)'),
                        {"s": sequence})
