"""Items per combination of facet values, kept in step with every save.

Counting the facets of the whole wire means reading every item (about a
second at a million items on SQLite, measured by ``bench/search_speed.py``),
and the front page asks for them on every visit. ``item_facet_counts`` holds
the same numbers, changed by ``items.save_items`` in the same transaction as
the items, so a list filtered only by facet values (region, source,
language, section) reads a few hundred rows instead. Lists with search text
or dates are counted from the items themselves (``search._facets``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.store.engine import upsert_insert
from babelwire.store.schema import item_facet_counts

#: The counted columns, in key order (the same names in ``items``).
FACET_KEY = ("region", "source_id", "original_language", "section")
#: ``section`` is part of the primary key, which cannot be NULL.
NO_SECTION = ""

Key = tuple[str, str, str, str]


def key_of(row: Mapping[str, Any]) -> Key:
    """The counted values of an ``items`` row."""
    return (row["region"], row["source_id"], row["original_language"], row["section"] or NO_SECTION)


def apply(connection: Connection, deltas: Counter[Key]) -> None:
    """Add ``deltas`` (+1 for an item that now has a key, -1 for one that
    had it) to the counts; rows that reach zero are removed."""
    # Sorted, so that two writers lock the counter rows in the same order.
    changes = sorted((key, n) for key, n in deltas.items() if n)
    if not changes:
        return
    insert = upsert_insert(connection, item_facet_counts)
    statement = insert.on_conflict_do_update(
        index_elements=list(FACET_KEY),
        set_={"item_count": item_facet_counts.c.item_count + insert.excluded.item_count},
    )
    rows = [{**dict(zip(FACET_KEY, key, strict=True)), "item_count": n} for key, n in changes]
    connection.execute(statement, rows)
    if any(n < 0 for _, n in changes):
        connection.execute(sa.delete(item_facet_counts).where(item_facet_counts.c.item_count <= 0))


def counted(
    connection: Connection, wanted: Mapping[str, Sequence[Sequence[str]]]
) -> list[tuple[Any, ...]]:
    """(region, source_id, original_language, section or None, item_count) rows
    whose columns hold one value of each group in ``wanted`` (column name ->
    groups of values)."""
    table = item_facet_counts.c
    query = sa.select(*(table[name] for name in FACET_KEY), table.item_count).where(
        *(table[name].in_([value or NO_SECTION for value in group])
          for name, groups in wanted.items() for group in groups)
    )
    out: list[tuple[Any, ...]] = []
    for row in connection.execute(query):
        region, source, language, section, count = tuple(row)
        out.append((region, source, language, section or None, count))
    return out
