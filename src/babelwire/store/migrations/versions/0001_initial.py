"""Sources, fetch state and documents.

Revision ID: 0001
Revises:
Created: 2025-12-12

Types are spelled out here instead of imported from ``schema.py``: a revision
must keep producing the same tables after the live code has moved on.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _ts() -> sa.types.TypeEngine[Any]:
    # timestamptz; on SQLite, fixed-width ISO-8601 text in UTC (32 characters).
    return sa.DateTime(timezone=True).with_variant(sa.String(32), "sqlite")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Text, primary_key=True, comment="catalog id, e.g. 'un-news-ru'"),
        sa.Column("name", sa.Text, nullable=False, comment="publisher name as printed"),
        sa.Column("desk", sa.Text, nullable=False, comment="desk or service as printed"),
        sa.Column("region", sa.Text, nullable=False, comment="region as printed"),
        sa.Column("languages", _json(), nullable=False, comment="JSON list of language codes"),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("homepage", sa.Text),
        sa.Column("origin", sa.Text, nullable=False, comment="catalog file it came from"),
        sa.Column("poll_interval_s", sa.Integer, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column(
            "verified",
            sa.Boolean,
            nullable=False,
            server_default=sa.false(),
            comment="a live check found the source working",
        ),
        sa.Column("checked_at", _ts(), comment="when verified was last decided"),
        sa.Column("last_success_at", _ts()),
        sa.Column("last_error", sa.Text, comment="last failure message; kept after a success"),
        sa.Column("last_error_at", _ts()),
        sa.Column("consecutive_failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_due_at", _ts(), comment="do not poll before this instant"),
    )
    op.create_table(
        "fetch_state",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column(
            "source_id", sa.Text, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("etag", sa.Text, comment="validator for If-None-Match"),
        sa.Column("last_modified", sa.Text, comment="validator for If-Modified-Since, verbatim"),
        sa.Column("status", sa.Integer, comment="HTTP status of the last response"),
        sa.Column("consecutive_failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_success_at", _ts()),
        sa.Column("last_error", sa.Text),
        sa.Column("last_fetched_at", _ts()),
        sa.Column("next_due_at", _ts()),
    )
    op.create_index("ix_fetch_state_source_id", "fetch_state", ["source_id"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Text, primary_key=True, comment="model.document_id(source, url)"),
        sa.Column(
            "source_id", sa.Text, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("url", sa.Text, nullable=False, comment="URL as discovered"),
        sa.Column("stage", sa.String(16), nullable=False, comment="model.Stage value"),
        sa.Column("reason", sa.Text, comment="why it was skipped or failed"),
        sa.Column(
            "attempts",
            sa.Integer,
            nullable=False,
            server_default="0",
            comment="times it was saved as failed; pending() stops retrying at a cap",
        ),
        sa.Column("found_in", sa.Text, comment="feed, sitemap or listing URL"),
        sa.Column("entry_title", sa.Text),
        sa.Column("entry_published", _ts()),
        sa.Column("final_url", sa.Text, comment="after redirects"),
        sa.Column("fetched_at", _ts()),
        sa.Column("http_status", sa.Integer),
        sa.Column("charset", sa.Text),
        sa.Column("warc_file", sa.Text),
        sa.Column("warc_offset", sa.BigInteger),
        sa.Column("warc_record_id", sa.Text),
        sa.Column("canonical_url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("text", sa.Text, comment="blocks joined by newlines, for search"),
        sa.Column("blocks", _json(), comment="JSON list of {kind, text[, cells]}"),
        sa.Column("language", sa.Text, comment="detected language code"),
        sa.Column("declared_language", sa.Text, comment="what the page says it is"),
        sa.Column("language_confidence", sa.Float),
        sa.Column("published", _ts()),
        sa.Column("published_has_time", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("section", sa.Text),
        sa.Column("byline", sa.Text),
        sa.Column("description", sa.Text),
        sa.Column("content_hash", sa.Text, comment="model.content_hash(text)"),
        sa.Column(
            "duplicate_of",
            sa.Text,
            sa.ForeignKey("documents.id", ondelete="SET NULL"),
            comment="earlier document with the same text",
        ),
        sa.Column("extra", _json(), comment="JSON list of [key, value] pairs"),
        sa.Column("created_at", _ts(), nullable=False),
        sa.Column("updated_at", _ts(), nullable=False),
        sa.UniqueConstraint("source_id", "url", name="uq_documents_source_url"),
    )
    op.create_index("ix_documents_stage", "documents", ["stage"])
    op.create_index("ix_documents_content_hash", "documents", ["content_hash"])
    op.create_index("ix_documents_published", "documents", ["published"])


def downgrade() -> None:
    op.drop_table("documents")
    op.drop_table("fetch_state")
    op.drop_table("sources")
