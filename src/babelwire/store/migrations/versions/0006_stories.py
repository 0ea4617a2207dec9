"""Stories: items about one event, across languages and sources.

Revision ID: 0006
Revises: 0005
Created: 2026-12-04

``stories`` holds one row per story with its first-seen time and its member
counts (in all, by source, by language); ``story_members`` one row per item
with the story it joined, its time on the wire (for growth and breaking
detection) and the keys and places it was grouped by. Nothing to fill: the
next run assigns every stored item (see ``run/stories.py``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _ts() -> sa.types.TypeEngine[Any]:
    # timestamptz; on SQLite, fixed-width ISO-8601 text in UTC (32 characters).
    return sa.DateTime(timezone=True).with_variant(sa.String(32), "sqlite")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Text, primary_key=True, comment="document id of its first member"),
        sa.Column("first_seen_at", _ts(), nullable=False,
                  comment="earliest member's time on the wire (published, else composed)"),
        sa.Column("last_seen_at", _ts(), nullable=False),
        sa.Column("member_count", sa.Integer, nullable=False),
        sa.Column("source_count", sa.Integer, nullable=False),
        sa.Column("language_count", sa.Integer, nullable=False),
        sa.Column("language_counts", _json(), nullable=False,
                  comment="JSON {language: items}"),
        sa.Column("source_counts", _json(), nullable=False, comment="JSON {source id: items}"),
        sa.Column("created_at", _ts(), nullable=False),
        sa.Column("updated_at", _ts(), nullable=False),
    )
    op.create_index("ix_stories_last_seen_at", "stories", ["last_seen_at"])
    op.create_table(
        "story_members",
        sa.Column("document_id", sa.Text,
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("story_id", sa.Text, sa.ForeignKey("stories.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("item_id", sa.Text, nullable=False),
        sa.Column("source_id", sa.Text, nullable=False),
        sa.Column("language", sa.Text, nullable=False, comment="original language"),
        sa.Column("seen_at", _ts(), nullable=False,
                  comment="the item's time on the wire: published, never after composed"),
        sa.Column("score", sa.Float,
                  comment="score with the member it joined; NULL: the first"),
        sa.Column("keys", _json(), nullable=False,
                  comment="JSON list of place and entity keys it was grouped by"),
        sa.Column("places", _json(), nullable=False,
                  comment="JSON list of [key, name, country code, latitude, longitude]"),
        sa.Column("joined_at", _ts(), nullable=False),
    )
    op.create_index("ix_story_members_story_seen", "story_members", ["story_id", "seen_at"])
    op.create_index("ix_story_members_seen_at", "story_members", ["seen_at"])


def downgrade() -> None:
    op.drop_table("story_members")
    op.drop_table("stories")
