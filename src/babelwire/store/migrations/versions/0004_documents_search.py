"""The full-text index of documents' original text, and items listed by when
their source published them.

Revision ID: 0004
Revises: 0003
Created: 2026-12-04

- ``documents_fts`` (SQLite, FTS5 with the tokenizer of ``items_fts``) or
  ``documents_search`` (PostgreSQL, a ``simple`` tsvector with a GIN index)
  hold every extracted document's original title and text, so that a
  document not yet translated is found in its own language (see
  ``store/documentsearch.py``). They are filled from the documents stored.
- ``items.seq`` is recomputed from ``items.listed_at`` (the source's
  publication time, never later than the wire time), and the full-text
  index of items, keyed by ``seq``, follows.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from babelwire.store import documentsearch
from babelwire.store.itemrows import item_from_json
from babelwire.store.items import SEQ_SLOTS, listed_at, seq_base

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "document_id UNINDEXED, title, text, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
    else:
        op.execute(
            "CREATE TABLE documents_search ("
            "document_id text PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE, "
            "tsv tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_documents_search_tsv ON documents_search USING gin (tsv)")
    extracted = sa.text(
        "SELECT id, COALESCE(title, entry_title, ''), COALESCE(text, '') FROM documents "
        "WHERE blocks IS NOT NULL"
    )
    for doc_id, title, text in connection.execute(extracted).all():
        documentsearch.write(connection, doc_id, title, text)
    _renumber(connection)


def _renumber(connection: Any) -> None:
    """New seqs in two steps (all negative first), so that no step collides
    with a seq still in use under the unique index."""
    stored = connection.execute(sa.text("SELECT seq, data FROM items")).all()
    wanted: dict[int, int] = {}
    taken: dict[int, int] = {}
    for old, data in sorted(stored, key=lambda row: row[0]):
        # JSONB comes back as a dict, SQLite's JSON text as text.
        item = item_from_json(data if isinstance(data, dict) else json.loads(data))
        base = seq_base(listed_at(item))
        slot = taken.get(base, -1) + 1
        if slot >= SEQ_SLOTS:
            raise RuntimeError(f"store: more than {SEQ_SLOTS} items listed at one instant")
        taken[base] = slot
        wanted[old] = base + slot
    index = ("UPDATE items_fts SET rowid = :to WHERE rowid = :from"
             if connection.dialect.name == "sqlite"
             else "UPDATE items_search SET seq = :to WHERE seq = :from")
    for statement in ("UPDATE items SET seq = :to WHERE seq = :from", index):
        if wanted:
            connection.execute(sa.text(statement),
                               [{"from": old, "to": -old - 1} for old in wanted])
            connection.execute(sa.text(statement),
                               [{"from": -old - 1, "to": new} for old, new in wanted.items()])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE documents_fts")
    else:
        op.execute("DROP TABLE documents_search")
