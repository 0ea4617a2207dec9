"""The store: the only part of babelwire that speaks SQL.

SQLAlchemy Core and Alembic over SQLite (the default, WAL mode) or PostgreSQL
(``postgresql+psycopg://...``), with the same code path for both::

    with Store.open("sqlite:///babelwire.db") as store:
        store.migrate()
        store.upsert_sources(catalog)

Modules: ``schema`` (tables), ``migrations/`` (their history), ``engine``
(connections, dialect differences, error mapping), ``rows`` and ``itemrows``
(records <-> rows), ``sources``/``documents``/``reports``/``translations``/
``items`` (the queries), ``query/`` (the query language every surface
speaks: ItemQuery, ItemPage, the search syntax), ``search`` (the one item
query: filters, facets, cursors), ``fulltext``/``searchindex``/``pgpage``
(full-text search on FTS5 and on tsvector), ``store`` (the facade).
"""

from babelwire.store.store import Store

__all__ = ["Store"]
