"""Search vectors kept in their rows on PostgreSQL.

Revision ID: 0009
Revises: 0008
Created: 2026-12-04

An item's ``tsvector`` (about 3 KB for a report of 400 words) was moved out
of its ``items_search`` row into the TOAST table, as PostgreSQL does with
any value that makes a row larger than 2 KB. Every search that tests the
newest rows one by one (a common word, a phrase, facet windows: see
``store/pgpage.py``) then looked each vector up in the TOAST index and read
its chunks: about 4.8 µs a row. With ``STORAGE MAIN`` the vector stays in
the row (the English and original texts, only read for snippets, still go
out of line first), and a row tests in about 2.3 µs
(``bench/search_scale.py``, 8,000 rows of a million-item wire). A vector too
large for a page still goes out of line.

The setting applies to rows written from now on. ``VACUUM FULL
items_search`` rewrites the older ones (docs/operations.md).
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE items_search ALTER COLUMN tsv SET STORAGE MAIN")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE items_search ALTER COLUMN tsv SET STORAGE EXTENDED")
