"""Subscriptions: saved searches delivered as Atom, webhook or e-mail digest.

Revision ID: 0007
Revises: 0006
Created: 2026-12-04

- ``subscriptions``: one row per saved search, with its delivery, its cursor
  (the wire time and id of the last item it has considered) and a lease that
  keeps two delivery passes from sending the same batch at once.
- ``subscription_deliveries``: which items each subscription has sent, for
  the items near the cursor only; it lets an item that a slow writer stored
  after the cursor passed its wire time still be sent, once.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _ts() -> sa.types.TypeEngine[Any]:
    # timestamptz; on SQLite, fixed-width ISO-8601 text in UTC (32 characters).
    return sa.DateTime(timezone=True).with_variant(sa.String(32), "sqlite")


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("name", sa.Text, primary_key=True, comment="e.g. 'sahel-watch'; in its URLs"),
        sa.Column("query", sa.Text, nullable=False, comment="search text, the wire's syntax"),
        sa.Column("delivery", sa.Text, nullable=False, comment="atom, webhook or email"),
        sa.Column("target", sa.Text, comment="webhook URL or e-mail address"),
        sa.Column("secret", sa.Text, comment="webhook signing key"),
        sa.Column("created_at", _ts(), nullable=False),
        sa.Column("cursor_at", _ts(), nullable=False,
                  comment="first_created of the last item considered"),
        sa.Column("cursor_item", sa.Text, nullable=False, server_default="",
                  comment="id of that item; ties on first_created go by id"),
        sa.Column("delivered_count", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("last_delivered_at", _ts()),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", _ts()),
        sa.Column("lease_until", _ts(), comment="a delivery pass holds it until then"),
    )
    op.create_table(
        "subscription_deliveries",
        sa.Column("subscription", sa.Text,
                  sa.ForeignKey("subscriptions.name", ondelete="CASCADE"), primary_key=True),
        sa.Column("item_id", sa.Text, primary_key=True),
        sa.Column("delivered_at", _ts(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("subscription_deliveries")
    op.drop_table("subscriptions")
