"""What the enrich stage found in each document: places, entities, topics, quotes.

Revision ID: 0005
Revises: 0004
Created: 2026-12-04

One status row per enriched document (``document_enrichment``: what was
enriched, when, and the stage's error if it failed), and one row per place,
entity, topic and quote, keyed by the document. The filter columns (country
code, entity key, topic code) lead an index each, so a filter or a facet
reads the index, not the rows. Nothing to fill: documents are enriched by the
next run (or ``babelwire reprocess``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _ts() -> sa.types.TypeEngine[Any]:
    # timestamptz; on SQLite, fixed-width ISO-8601 text in UTC (32 characters).
    return sa.DateTime(timezone=True).with_variant(sa.String(32), "sqlite")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _document_id() -> sa.Column[Any]:
    return sa.Column(
        "document_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    )


def upgrade() -> None:
    op.create_table(
        "document_enrichment",
        _document_id(),
        sa.Column("input_key", sa.Text, nullable=False,
                  comment="what was enriched: content hash and translation time"),
        sa.Column("enriched_at", _ts(), nullable=False),
        sa.Column("error", sa.Text, comment="why the stage failed on it; NULL when it did not"),
    )
    op.create_table(
        "document_places",
        _document_id(),
        sa.Column("place_key", sa.Text, primary_key=True,
                  comment="'country:FR', 'city:524901'"),
        sa.Column("rank", sa.Integer, nullable=False, comment="0 = most mentioned"),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country_code", sa.Text, nullable=False, comment="ISO 3166-1 alpha-2"),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("mentions", _json(), nullable=False,
                  comment="JSON list of [side, block, start, end, surface]"),
    )
    op.create_index("ix_document_places_country", "document_places",
                    ["country_code", "document_id"])
    op.create_table(
        "document_entities",
        _document_id(),
        sa.Column("entity_key", sa.Text, primary_key=True, comment="'org:wfp', 'person:…'"),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("kind", sa.Text, nullable=False, comment="person, organisation or event"),
        sa.Column("name", sa.Text, nullable=False, comment="canonical name"),
        sa.Column("mentions", _json(), nullable=False),
    )
    op.create_index("ix_document_entities_key", "document_entities",
                    ["entity_key", "document_id"])
    op.create_table(
        "document_topics",
        _document_id(),
        sa.Column("code", sa.Text, primary_key=True,
                  comment="IPTC Media Topic, 'medtop:11000000'"),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
    )
    op.create_index("ix_document_topics_code", "document_topics", ["code", "document_id"])
    op.create_table(
        "document_quotes",
        _document_id(),
        sa.Column("position", sa.Integer, primary_key=True, comment="order in the document"),
        sa.Column("text", sa.Text, nullable=False, comment="the quoted words in the original"),
        sa.Column("english", sa.Text, comment="the quoted words in the translation"),
        sa.Column("original_sentence", sa.Integer, nullable=False,
                  comment="index of the original body sentence"),
        sa.Column("sentence", sa.Text, nullable=False, comment="that sentence's text"),
        sa.Column("block", sa.Integer, nullable=False),
        sa.Column("speaker", sa.Text),
        sa.Column("speaker_key", sa.Text, comment="entity_key of the speaker, when one"),
    )


def downgrade() -> None:
    for table in ("document_quotes", "document_topics", "document_entities",
                  "document_places", "document_enrichment"):
        op.drop_table(table)
