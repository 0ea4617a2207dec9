"""Wire items: saving with version history, lookups, stats.

Items are listed newest first by ``seq``: the item's :func:`listed_at` (when
its source published it) in microseconds times :data:`SEQ_SLOTS`, plus the
first free slot. So ``seq`` orders as the sources' publication times do,
and items of the same microsecond stay apart in the order they were saved,
which is the order they reached the wire (the wire time breaks ties), and
the full-text index, keyed by ``seq``, can return matches newest first by
walking its own row ids backwards instead of sorting every match
(measured in ``../shared/notes``: from about a second to a few
milliseconds at 1M items).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.errors import StoreError
from babelwire.model import Item
from babelwire.store import facetcounts, searchindex
from babelwire.store.engine import upsert_insert
from babelwire.store.itemrows import item_from_json, item_json, item_row
from babelwire.store.schema import documents, item_versions, items

#: seq values per microsecond of first_created (see the module docstring).
SEQ_SLOTS = 1000
#: Ids per IN (...) list: well under every driver's parameter limit.
CHUNK = 500
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def listed_at(item: Item) -> datetime:
    """The instant an item is listed at: when its source published it.

    Never later than the item reached the wire: a source clock that runs
    ahead, or a date in the future, must not pin an item to the top. A
    source that gives only a date places the item in that day at the time
    of day it reached the wire, so such items keep their wire order and do
    not all share the day's first microsecond (which has few seq slots).
    Without a date the wire time is all there is.
    """
    wired = item.first_created
    # A naive date cannot be placed; saving refuses it (itemrows.item_json).
    if item.published is None or item.published.utcoffset() is None:
        return wired
    published = item.published
    if not item.published_has_time:
        day_start = published.replace(hour=0, minute=0, second=0, microsecond=0)
        on_wire = wired.astimezone(published.tzinfo)
        published = day_start + (on_wire - on_wire.replace(hour=0, minute=0, second=0,
                                                           microsecond=0))
    return min(published, wired)


def seq_base(moment: datetime) -> int:
    return ((moment - _EPOCH) // _MICROSECOND) * SEQ_SLOTS


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def save_items(connection: Connection, batch: Iterable[Item]) -> int:
    """Upsert the current row of each item, append versions not seen before,
    and re-index what changed; return how many items changed.

    Saving an item exactly as stored changes nothing. An item older than the
    stored one (a late worker) only adds its version to the history.
    """
    by_id = {item.id: item for item in batch}  # the last save of an id wins
    if not by_id:
        return 0
    stored = _stored(connection, list(by_id))
    texts = _document_texts(connection, [item.document_id for item in by_id.values()])
    _number_in_turn(connection)
    highest = _highest_seqs(connection, {seq_base(listed_at(item)) for item in by_id.values()})
    current: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    unindexed: list[int] = []
    indexed: list[searchindex.IndexedText] = []
    counts: Counter[facetcounts.Key] = Counter()
    for item in by_id.values():
        data = item_json(item)
        old = stored.get(item.id)
        versions.append(
            {
                "item_id": item.id,
                "version": item.version,
                "data": data,
                "version_created": item.version_created,
            }
        )
        if old is not None and (old["data"] == data or item.version < old["version"]):
            continue
        row = item_row(item, data, _seq_for(item, old, highest))
        current.append(row)
        counts[facetcounts.key_of(row)] += 1
        if old is not None:
            unindexed.append(old["seq"])
            counts[facetcounts.key_of(old)] -= 1
        indexed.append(searchindex.indexed_text(row, texts.get(item.document_id)))
    if current:
        insert = upsert_insert(connection, items)
        connection.execute(
            insert.on_conflict_do_update(
                index_elements=[items.c.id],
                set_={name: insert.excluded[name] for name in current[0] if name != "id"},
            ),
            current,
        )
    # The first save of a version is its record; a later save of the same
    # version (new engines or flags only) leaves the history as it was.
    connection.execute(upsert_insert(connection, item_versions).on_conflict_do_nothing(), versions)
    searchindex.remove(connection, unindexed)
    searchindex.add(connection, indexed)
    facetcounts.apply(connection, counts)
    return len(current)


def _stored(connection: Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    columns = (
        items.c.id,
        items.c.seq,
        items.c.version,
        items.c.data,
        *(items.c[name] for name in facetcounts.FACET_KEY),
    )
    for part in chunks(ids):
        query = sa.select(*columns).where(items.c.id.in_(part))
        for row in connection.execute(query):
            found[row.id] = dict(row._mapping)
    return found


def _document_texts(connection: Connection, doc_ids: list[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for part in chunks(sorted(set(doc_ids))):
        query = sa.select(documents.c.id, documents.c.text).where(documents.c.id.in_(part))
        found.update({doc_id: text for doc_id, text in connection.execute(query)})
    return found


#: PostgreSQL advisory lock taken while items are numbered ("bw" "seq").
NUMBERING_LOCK_KEY = 0x6277_0000_0000_0073


def _number_in_turn(connection: Connection) -> None:
    """Let one writer at a time number items, until its transaction ends.

    A seq is the highest in use plus one, read and then written: two writers
    at once (a worker's threads, several workers) would take the same one.
    SQLite's write transactions already begin IMMEDIATE, one at a time; on
    PostgreSQL a transaction-scoped advisory lock does the same, and a
    writer that dies lets go of it with its connection.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                           {"key": NUMBERING_LOCK_KEY})


def _highest_seqs(connection: Connection, bases: set[int]) -> dict[int, int]:
    """base -> highest seq in use in its slots, for the bases that have one."""
    highest: dict[int, int] = {}
    # A handful of ranges per query: each is one short index range scan.
    for part in chunks(sorted(bases), 100):
        ranges = [items.c.seq.between(base, base + SEQ_SLOTS - 1) for base in part]
        for (seq,) in connection.execute(sa.select(items.c.seq).where(sa.or_(*ranges))):
            base = seq - seq % SEQ_SLOTS
            highest[base] = max(seq, highest.get(base, seq))
    return highest


def _seq_for(item: Item, old: dict[str, Any] | None, highest: dict[int, int]) -> int:
    """The item's seq: its old one when ``listed_at`` is unchanged, else the
    next free slot of its microsecond (``highest`` is updated)."""
    base = seq_base(listed_at(item))
    if old is not None and base <= old["seq"] < base + SEQ_SLOTS:
        return int(old["seq"])  # same listing instant: the item keeps its place
    seq = highest[base] + 1 if base in highest else base
    if seq >= base + SEQ_SLOTS:
        raise StoreError(
            f"store: more than {SEQ_SLOTS} items listed at "
            f"{listed_at(item).isoformat()} (item {item.id})"
        )
    highest[base] = seq
    return seq


def get_item(connection: Connection, item_id: str) -> Item | None:
    data = connection.scalar(sa.select(items.c.data).where(items.c.id == item_id))
    return None if data is None else item_from_json(data)


def item_for_document(connection: Connection, doc_id: str) -> Item | None:
    data = connection.scalar(sa.select(items.c.data).where(items.c.document_id == doc_id))
    return None if data is None else item_from_json(data)


def versions_of(connection: Connection, item_id: str) -> list[Item]:
    query = (
        sa.select(item_versions.c.data)
        .where(item_versions.c.item_id == item_id)
        .order_by(item_versions.c.version)
    )
    return [item_from_json(data) for data in connection.scalars(query)]


#: Days of per-source daily counts in item_stats().
STATS_WINDOW_DAYS = 30


def item_stats(connection: Connection, now: datetime) -> dict[str, Any]:
    """Counts for the sources page and the API: items in total and by region,
    source and original language, and per source the items first published
    on each UTC day of the last :data:`STATS_WINDOW_DAYS` days (days without
    items are left out)."""
    start = datetime.combine(
        (now.astimezone(UTC) - timedelta(days=STATS_WINDOW_DAYS - 1)).date(),
        datetime.min.time(),
        tzinfo=UTC,
    )
    per_day: dict[str, dict[str, int]] = {}
    recent = sa.select(items.c.source_id, items.c.first_created).where(
        items.c.first_created >= start
    )
    # Bucketed here rather than in SQL: date arithmetic differs between the
    # two databases, and a month of items is a small read.
    for source_id, created in connection.execute(recent):
        day = created.astimezone(UTC).date().isoformat()
        counts = per_day.setdefault(source_id, {})
        counts[day] = counts.get(day, 0) + 1
    by_region = _count_by(connection, items.c.region)
    return {
        "items": sum(by_region.values()),
        "by_region": by_region,
        "by_source": _count_by(connection, items.c.source_id),
        "by_language": _count_by(connection, items.c.original_language),
        "per_day_window_days": STATS_WINDOW_DAYS,
        "per_day_by_source": {
            source: dict(sorted(days.items())) for source, days in sorted(per_day.items())
        },
    }


def _count_by(connection: Connection, column: sa.ColumnElement[Any]) -> dict[str, int]:
    query = sa.select(column, sa.func.count()).group_by(column).order_by(column)
    return {str(value): count for value, count in connection.execute(query)}
