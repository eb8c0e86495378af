"""the task queue of `clashmap worker` (procrastinate's schema), on PostgreSQL only

With PostgreSQL, `clashmap follow --queue` defers the polling of sources and the reading of pages as
procrastinate jobs and `clashmap worker` processes (on any number of machines) run them. The queue's
tables and functions are procrastinate's own schema, applied here so that the one upgrade path every
store already takes (the store is migrated when first opened, under the migration lock) also makes the
queue ready: no second "apply the schema" step to forget on a new machine, and the test template
database has it too. SQLite stores need no queue (one `clashmap follow` process does everything), so
this revision does nothing there.

The schema is the one of the procrastinate version pinned in pyproject.toml; a later procrastinate
upgrade that changes it comes with its own migration applying procrastinate's delta files.

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    # straight to psycopg without parameters (in this migration's transaction): the SQL's % signs (RAISE
    # messages) must reach PostgreSQL as they are, not be read as placeholders
    op.get_bind().connection.driver_connection.execute(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    bind = op.get_bind()
    for table in ("procrastinate_periodic_defers", "procrastinate_events", "procrastinate_jobs",
                  "procrastinate_workers"):
        bind.exec_driver_sql(f"DROP TABLE IF EXISTS {table} CASCADE")
    functions = bind.exec_driver_sql(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = current_schema() AND left(p.proname, 13) = 'procrastinate'").scalars().all()
    for function in functions:
        bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {function} CASCADE")
    for kind in ("procrastinate_job_to_defer_v1", "procrastinate_job_status", "procrastinate_job_event_type"):
        bind.exec_driver_sql(f"DROP TYPE IF EXISTS {kind} CASCADE")
