"""store revision counter

One row, `store_revision.revision`, raised by every transaction that changes what the map shows
(ingest, reprocess, a correction): the dashboard's change token reads it, so a rerun notices what
another process rewrote even when no count changed (store.db.bump_revision, store.db.change_token).
The row is created by the first bump, so a new store and `clashmap db copy` start with an empty table.

Revision ID: 0004
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("store_revision"):
        return  # left by an interrupted first migration of an older clashmap
    op.create_table("store_revision",
                    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
                    sa.Column("revision", sa.BigInteger(), nullable=False))


def downgrade() -> None:
    op.drop_table("store_revision")
