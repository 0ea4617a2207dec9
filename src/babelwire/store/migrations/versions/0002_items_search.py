"""Translations, the translation cache, wire items with their versions, the
full-text index, and the UTC offsets of documents' dates.

Revision ID: 0002
Revises: 0001
Created: 2025-12-14

The full-text index differs by backend and is made with raw DDL:

- SQLite: an FTS5 table ``items_fts`` whose rowid is ``items.seq``.
  ``unicode61 remove_diacritics 2`` folds case and accents in every script;
  ``porter`` stems English (query words are stemmed alike, and words in
  other scripts pass through it unchanged). Han and kana text is indexed
  with a separator between characters (see ``store/query/syntax.CJK_RANGES``).
- PostgreSQL: a table ``items_search`` with a ``tsvector`` (the English text
  under the ``english`` configuration, the original under ``simple``) and a
  GIN index, plus copies of the items' filter columns. A larger statistics
  target helps the planner tell rare words from common ones.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _ts() -> sa.types.TypeEngine[Any]:
    # timestamptz; on SQLite, fixed-width ISO-8601 text in UTC (32 characters).
    return sa.DateTime(timezone=True).with_variant(sa.String(32), "sqlite")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column(
        "documents",
        sa.Column("published_offset_s", sa.Integer, comment="UTC offset of published, seconds"),
    )
    op.add_column(
        "documents",
        sa.Column(
            "entry_published_offset_s",
            sa.Integer,
            comment="UTC offset of entry_published, seconds",
        ),
    )
    _create_translations()
    _create_items()
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE items_fts USING fts5("
            "headline, body, original_headline, original_text, section, source_name, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
    else:
        # The filter and facet columns are copied from items, so that a
        # search is answered from this table alone (see store/pgpage.py).
        op.execute(
            "CREATE TABLE items_search ("
            "seq bigint PRIMARY KEY, "
            "region text NOT NULL, "
            "source_id text NOT NULL, "
            "original_language text NOT NULL, "
            "section text, "
            "dated_at timestamptz NOT NULL, "
            "english text NOT NULL, "
            "original text NOT NULL, "
            "tsv tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_items_search_tsv ON items_search USING gin (tsv)")
        op.execute("ALTER TABLE items_search ALTER COLUMN tsv SET STATISTICS 1000")


def _create_translations() -> None:
    op.create_table(
        "translations",
        sa.Column(
            "document_id",
            sa.Text,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("source_language", sa.Text, nullable=False),
        sa.Column("target_language", sa.Text, nullable=False),
        sa.Column("translated_at", _ts(), nullable=False),
        sa.Column("segments", _json(), nullable=False, comment="{headline, section, body}"),
    )
    op.create_table(
        "translation_cache",
        sa.Column("engine", sa.Text, primary_key=True),
        sa.Column("model", sa.Text, primary_key=True),
        sa.Column("model_version", sa.Text, primary_key=True),
        sa.Column("source_lang", sa.Text, primary_key=True),
        sa.Column("target_lang", sa.Text, primary_key=True),
        sa.Column("text_sha256", sa.Text, primary_key=True, comment="of the masked sentence"),
        sa.Column("output", sa.Text, nullable=False),
        sa.Column("created_at", _ts(), nullable=False),
    )


def _create_items() -> None:
    op.create_table(
        "items",
        sa.Column("id", sa.Text, primary_key=True, comment="compose.item_id(document_id)"),
        sa.Column("seq", sa.BigInteger, nullable=False, comment="first_created order (items.py)"),
        sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("source_id", sa.Text, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("region", sa.Text, nullable=False),
        sa.Column("original_language", sa.Text, nullable=False),
        sa.Column("section", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("published", _ts()),
        sa.Column("dated_at", _ts(), nullable=False, comment="published, else first_created"),
        sa.Column("first_created", _ts(), nullable=False),
        sa.Column("version_created", _ts(), nullable=False),
        sa.Column("data", _json(), nullable=False, comment="the whole Item, dates with offsets"),
        sa.UniqueConstraint("document_id", name="uq_items_document_id"),
    )
    # Unique because seq is; wide because facet counts read only this index.
    op.create_index(
        "ix_items_seq",
        "items",
        ["seq", "region", "source_id", "original_language", "section", "dated_at"],
        unique=True,
    )
    op.create_index(
        "ix_items_region_seq",
        "items",
        ["region", "seq", "source_id", "original_language", "section", "dated_at"],
    )
    op.create_index("ix_items_source_seq", "items", ["source_id", "seq"])
    op.create_index("ix_items_language_seq", "items", ["original_language", "seq"])
    op.create_index("ix_items_section_seq", "items", ["section", "seq"])
    op.create_index("ix_items_dated_at", "items", ["dated_at"])
    op.create_table(
        "item_versions",
        sa.Column(
            "item_id",
            sa.Text,
            sa.ForeignKey("items.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("version_created", _ts(), nullable=False),
        sa.Column("data", _json(), nullable=False, comment="the whole Item of this version"),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS items_fts")
    else:
        op.execute("DROP TABLE IF EXISTS items_search")
    op.drop_table("item_versions")
    op.drop_table("items")
    op.drop_table("translation_cache")
    op.drop_table("translations")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("entry_published_offset_s")
        batch.drop_column("published_offset_s")
