"""place ids 64-bit

Nominatim places get ids derived from OSM ids (geo/online.py), which pass 2^31; GeoNames ids
fit in 32 bits. SQLite integers are 64-bit whatever the declared type, so only PostgreSQL changes.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = [("places", "id"), ("articles", "dateline_place_id"), ("mentions", "place_id"),
           ("events", "place_id"), ("corrections", "place_id")]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column in reversed(COLUMNS):
        op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger())
