"""Bulk loading of the search bench's items: the rows ``items.save_items``
would write, written the fast way.

Saving items one batch at a time through the store (upserts, the index kept
in step, a commit per batch) ran at about 200 items/s on SQLite and 72 on
PostgreSQL on two busy cores: a million items took days. Here the tables
come from the project's migrations as always, and only the loading differs:

- the secondary indexes of the loaded tables are dropped first and made
  again from their own definitions (read back from the catalog) at the end,
  since one sort is far cheaper than a million B-tree insertions;
- rows go in large transactions (``executemany`` on SQLite, ``COPY`` on
  PostgreSQL);
- the full-text index is written after the rows, from a staging table of
  the texts ``searchindex`` prepares (FTS5 in one pass; on PostgreSQL the
  ``tsvector`` is computed by one ``INSERT ... SELECT`` and the GIN index
  built once), then optimized and analyzed.

The result is the same rows and indexes as the normal save path
(``tests/store/test_search_bulk_load.py`` compares the two).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from babelwire.model import Item
from babelwire.store import facetcounts, searchindex
from babelwire.store.itemrows import item_json, item_row
from babelwire.store.items import listed_at, seq_base
from babelwire.store.schema import documents, item_versions, items

#: (document row, item, the document's original text), in publication order.
Entry = tuple[dict[str, Any], Item, str]
#: Items per transaction: large enough that commits cost nothing, small
#: enough that a batch's rows stay well under a hundred megabytes.
BATCH_ITEMS = 20_000
#: The tables whose secondary indexes are dropped during the load.
LOADED_TABLES = ("documents", "items", "item_versions", "items_search")
_ITEM_COLUMNS = tuple(column.name for column in items.columns)
_DOCUMENT_COLUMNS = ("id", "source_id", "url", "stage", "text", "language", "created_at",
                     "updated_at")
_SEARCH_COLUMNS = ("seq", *searchindex.SEARCH_FILTER_COLUMNS, "english", "original")
_TOKEN_COLUMNS = ("english_tokens", "original_tokens")
_FTS_COLUMNS = ("seq", "headline", "body", "original_headline", "original_text", "section",
                "source_name")
_dumps = partial(json.dumps, ensure_ascii=False)

Progress = Callable[[int], None]


class Batch:
    """One transaction's rows, as the save path makes them."""

    def __init__(self, entries: list[Entry]) -> None:
        self.documents = [doc for doc, _, _ in entries]
        self.items: list[dict[str, Any]] = []
        self.versions: list[dict[str, Any]] = []
        self.indexed: list[searchindex.IndexedText] = []
        self.counts: Counter[facetcounts.Key] = Counter()
        for _, item, original_text in entries:
            data = item_json(item)
            # Ids are issued in listing order and no two items share a
            # microsecond, so each takes its slot's first seq, as saving would.
            row = item_row(item, data, seq_base(listed_at(item)))
            self.items.append(row)
            self.versions.append({"item_id": item.id, "version": item.version, "data": data,
                                  "version_created": item.version_created})
            self.indexed.append(searchindex.indexed_text(row, original_text))
            self.counts[facetcounts.key_of(row)] += 1


def batches(entries: Iterable[Entry]) -> Iterator[Batch]:
    iterator = iter(entries)
    while chunk := list(islice(iterator, BATCH_ITEMS)):
        yield Batch(chunk)


def bulk_load(engine: Engine, entries: Iterable[Entry], progress: Progress | None = None) -> float:
    """Load ``entries`` into a migrated database whose sources exist;
    return items per second."""
    started = time.perf_counter()
    loader = _load_postgres if engine.dialect.name == "postgresql" else _load_sqlite
    with engine.connect() as connection:
        done = loader(connection, entries, progress or (lambda _: None))
    return done / max(time.perf_counter() - started, 1e-9)


# -- SQLite ---------------------------------------------------------------------


def _load_sqlite(connection: Connection, entries: Iterable[Entry], progress: Progress) -> int:
    # A half-built file is thrown away, so nothing needs to survive a crash.
    # Outside any transaction, where SQLite accepts them.
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA synchronous=OFF")
    raw.execute("PRAGMA cache_size=-262144")  # 256 MB
    columns = ", ".join(_FTS_COLUMNS)
    with connection.begin():
        dropped = _drop_indexes(connection)
        connection.exec_driver_sql(f"CREATE TEMP TABLE fts_staging ({columns})")
    staging = sa.text(f"INSERT INTO fts_staging ({columns}) VALUES "
                      f"({', '.join(':' + name for name in _FTS_COLUMNS)})")
    done, counts = 0, Counter[facetcounts.Key]()
    for batch in batches(entries):
        with connection.begin():
            connection.execute(sa.insert(documents), batch.documents)
            connection.execute(sa.insert(items), batch.items)
            connection.execute(sa.insert(item_versions), batch.versions)
            connection.execute(staging, searchindex.fts_rows(batch.indexed))
        done += len(batch.items)
        counts.update(batch.counts)
        progress(done)
    with connection.begin():
        connection.exec_driver_sql(
            f"INSERT INTO items_fts (rowid, {columns.removeprefix('seq, ')}) "
            # Rows went in in seq order, so rowid order is seq order: FTS5
            # appends to its index, and nothing is sorted.
            f"SELECT {columns} FROM fts_staging ORDER BY rowid")
        connection.exec_driver_sql("DROP TABLE fts_staging")
        _finish(connection, dropped, counts)
    return done


# -- PostgreSQL -----------------------------------------------------------------


def _load_postgres(connection: Connection, entries: Iterable[Entry], progress: Progress) -> int:
    from psycopg.types.json import Jsonb  # the postgres extra, as the store's driver

    staging_columns = (*_SEARCH_COLUMNS, *_TOKEN_COLUMNS)
    with connection.begin():
        dropped = _drop_indexes(connection)
        # Unlogged: a crash loses the staging rows, which a rebuild makes again.
        connection.exec_driver_sql(
            "CREATE UNLOGGED TABLE search_staging (LIKE items_search INCLUDING DEFAULTS)")
        connection.exec_driver_sql(
            "ALTER TABLE search_staging DROP COLUMN tsv, "
            "ADD COLUMN english_tokens text, ADD COLUMN original_tokens text")

    def jsonb(row: dict[str, Any], name: str) -> Any:
        return Jsonb(row[name], dumps=_dumps) if name == "data" else row[name]

    done, counts = 0, Counter[facetcounts.Key]()
    for batch in batches(entries):
        with connection.begin():
            cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            _copy(cursor, "documents", _DOCUMENT_COLUMNS,
                  ([doc.get(name) for name in _DOCUMENT_COLUMNS] for doc in batch.documents))
            _copy(cursor, "items", _ITEM_COLUMNS,
                  ([jsonb(row, name) for name in _ITEM_COLUMNS] for row in batch.items))
            version_columns = ("item_id", "version", "data", "version_created")
            _copy(cursor, "item_versions", version_columns,
                  ([jsonb(row, name) for name in version_columns] for row in batch.versions))
            _copy(cursor, "search_staging", staging_columns,
                  ([row[name] for name in staging_columns]
                   for row in searchindex.pg_rows(batch.indexed)))
        done += len(batch.items)
        counts.update(batch.counts)
        progress(done)
    with connection.begin():
        connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
        tsv = searchindex.PG_TSV.format(english_tokens="english_tokens",
                                        original_tokens="original_tokens")
        names = ", ".join(_SEARCH_COLUMNS)
        connection.exec_driver_sql(f"INSERT INTO items_search ({names}, tsv) "
                                   f"SELECT {names}, {tsv} FROM search_staging")
        connection.exec_driver_sql("DROP TABLE search_staging")
        _finish(connection, dropped, counts)
        connection.exec_driver_sql("ANALYZE documents")
        connection.exec_driver_sql("ANALYZE item_versions")
    return done


def _copy(cursor: Any, table: str, columns: tuple[str, ...],
          rows: Iterable[list[Any]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# -- both -----------------------------------------------------------------------


def _drop_indexes(connection: Connection) -> list[str]:
    """Drop the secondary indexes of the loaded tables; return the
    statements that make them again. Indexes behind a constraint (primary
    keys, unique constraints) stay: rows arrive in their order."""
    if connection.dialect.name == "postgresql":
        found = connection.execute(sa.text(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = ANY(:tables) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"),
            {"tables": list(LOADED_TABLES)}).all()
    else:
        found = connection.execute(sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('documents', 'items', 'item_versions')")).all()
    for name, _ in found:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def _finish(connection: Connection, dropped: list[str], counts: Counter[facetcounts.Key]) -> None:
    for definition in dropped:
        connection.exec_driver_sql(definition)
    facetcounts.apply(connection, counts)
    searchindex.optimize(connection)
