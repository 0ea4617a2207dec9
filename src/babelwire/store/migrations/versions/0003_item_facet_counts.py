"""Items per combination of facet values (see store/facetcounts.py).

Revision ID: 0003
Revises: 0002
Created: 2025-12-14

Filled from the items already stored, so a database migrated to 0002 with
items in it starts with the right counts.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_facet_counts",
        sa.Column("region", sa.Text, primary_key=True),
        sa.Column("source_id", sa.Text, primary_key=True),
        sa.Column("original_language", sa.Text, primary_key=True),
        sa.Column("section", sa.Text, primary_key=True, comment="'' for no section"),
        sa.Column("item_count", sa.BigInteger, nullable=False),
    )
    op.execute(
        "INSERT INTO item_facet_counts (region, source_id, original_language, section, item_count) "
        "SELECT region, source_id, original_language, COALESCE(section, ''), count(*) "
        "FROM items GROUP BY region, source_id, original_language, COALESCE(section, '')"
    )


def downgrade() -> None:
    op.drop_table("item_facet_counts")
