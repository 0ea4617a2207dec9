"""The search bench's bulk loader writes what saving the same items writes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from babelwire.store import Store, items
from babelwire.store.engine import create_engine, writing
from babelwire.store.migrate import upgrade
from babelwire.store.schema import documents

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))
import search_scale  # noqa: E402  (bench/ is not a package)
import search_scale_load  # noqa: E402

ITEMS = 120


def _contents(engine: sa.Engine) -> dict[str, Any]:
    """Every row the save path writes, and every index of the schema."""
    postgres = engine.dialect.name == "postgresql"
    search = ("SELECT seq, region, source_id, original_language, section, dated_at, english, "
              "original, tsv::text FROM items_search ORDER BY seq" if postgres else
              "SELECT rowid, * FROM items_fts ORDER BY rowid")
    indexes = ("SELECT tablename, indexname, indexdef FROM pg_indexes "
               "WHERE schemaname = current_schema() ORDER BY indexname" if postgres else
               "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
    statements = {
        "documents": "SELECT * FROM documents ORDER BY id",
        "items": "SELECT * FROM items ORDER BY seq",
        "versions": "SELECT * FROM item_versions ORDER BY item_id, version",
        "facet counts": "SELECT * FROM item_facet_counts "
                        "ORDER BY region, source_id, original_language, section",
        "search": search,
        "indexes": indexes,
        "matched": (
            "SELECT seq FROM items_search WHERE tsv @@ to_tsquery('english', 'minist') "
            "ORDER BY seq" if postgres else
            "SELECT rowid FROM items_fts WHERE items_fts MATCH 'minister' ORDER BY rowid"),
    }
    with engine.connect() as connection:
        return {name: [tuple(row) for row in connection.exec_driver_sql(sql)]
                for name, sql in statements.items()}


def _with_sources(engine: sa.Engine) -> None:
    upgrade(engine)
    with writing(engine, "test sources") as connection:
        connection.execute(sa.insert(search_scale.sources), [
            {"id": f"src-{k:02d}", "name": f"Ministry src-{k:02d}", "desk": "Press",
             "region": "France", "languages": ["en"], "category": "ministry",
             "origin": "bench", "poll_interval_s": 3600}
            for k in range(search_scale.SOURCES)])


def test_bulk_load_writes_the_rows_and_indexes_of_the_save_path(
    store: Store, database_url: str, monkeypatch: Any
) -> None:
    monkeypatch.setattr(search_scale_load, "BATCH_ITEMS", 50)  # several transactions
    entries = list(search_scale.synthetic(ITEMS, search_scale.make_world()))
    saved = store._engine
    _with_sources(saved)
    with writing(saved, "test save") as connection:
        connection.execute(sa.insert(documents), [doc for doc, _, _ in entries])
        items.save_items(connection, [item for _, item, _ in entries])
    bulk = create_engine(database_url)
    try:
        _with_sources(bulk)
        search_scale_load.bulk_load(bulk, entries)
        loaded, expected = _contents(bulk), _contents(saved)
    finally:
        bulk.dispose()
    assert len(expected["items"]) == ITEMS and expected["matched"]
    for name, rows in expected.items():
        assert loaded[name] == rows, name
