"""Alembic environment: runs on the connection that Store.migrate() passes in.

There is no URL here and no offline (``--sql``) mode: babelwire always
migrates a live database through ``babelwire.store.migrate``.
"""

from __future__ import annotations

from alembic import context

from babelwire.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("store: run migrations with Store.migrate(), not the alembic command")

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead,
    # so later revisions work on both databases.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
