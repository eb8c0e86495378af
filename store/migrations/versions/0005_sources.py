"""sources and fetched pages (clashmap follow)

`sources`: the feeds, news sitemaps and article pages `clashmap follow` polls, with their HTTP
validators (ETag, Last-Modified), schedule, failures and counts. `fetched_pages`: every article page
fetched, what became of it (article, duplicate, teaser, language, rejected), the raw page gzip-compressed
and its MinHash for near-duplicate detection.

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("url", sa.String(1000), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("language", sa.String(10)),
        sa.Column("affiliation", sa.String(100)),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("etag", sa.String(300)),
        sa.Column("last_modified", sa.String(100)),
        sa.Column("last_fetch", sa.DateTime(timezone=True)),
        sa.Column("last_status", sa.String(40)),
        sa.Column("next_fetch", sa.DateTime(timezone=True)),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(500)),
        sa.Column("new_articles", sa.Integer(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("teasers", sa.Integer(), nullable=False),
        sa.Column("unread_language", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sources_next_fetch", "sources", ["next_fetch"])
    op.create_table(
        "fetched_pages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(1000), nullable=False, unique=True),
        sa.Column("canonical", sa.String(1000)),
        sa.Column("source_id", sa.Integer(), sa.ForeignKey("sources.id", ondelete="SET NULL")),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("article_id", sa.String(40), sa.ForeignKey("articles.id", ondelete="SET NULL")),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("language", sa.String(10)),
        sa.Column("published", sa.String(40)),
        sa.Column("title", sa.String(500)),
        sa.Column("text", sa.Text()),
        sa.Column("raw", sa.LargeBinary()),
        sa.Column("minhash", sa.LargeBinary()),
        sa.Column("note", sa.String(500)),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_try", sa.DateTime(timezone=True)),
    )
    for column in ("canonical", "source_id", "status", "article_id", "content_hash"):
        op.create_index(f"ix_fetched_pages_{column}", "fetched_pages", [column])


def downgrade() -> None:
    op.drop_table("fetched_pages")
    op.drop_index("ix_sources_next_fetch", "sources")
    op.drop_table("sources")
