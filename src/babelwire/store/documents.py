"""Queries on documents: discovery, saving, lookups and the work queue."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.model import Document, Entry, Stage
from babelwire.store import rows
from babelwire.store.engine import upsert_insert
from babelwire.store.schema import documents

#: Stages a run picks up again: not finished, or failed and worth a retry.
PENDING_STAGES = (Stage.DISCOVERED, Stage.FETCHED, Stage.FAILED)

# The date a document is sorted by: the page's own date, else the date its feed
# gave, so that documents not yet extracted still sort sensibly.
_sort_date = sa.func.coalesce(documents.c.published, documents.c.entry_published)
NEWEST_FIRST = (_sort_date.desc().nulls_last(), documents.c.id)


def add_discovered(connection: Connection, entries: Iterable[Entry], now: datetime) -> int:
    """Insert entries not seen before; return how many were new.

    An existing document is left exactly as it is (DO NOTHING on any unique
    key), so rediscovering an article never moves it back to DISCOVERED.
    """
    new_rows: dict[str, dict[str, Any]] = {}
    for entry in entries:
        # A feed may list one URL twice; the first mention wins.
        new_rows.setdefault(
            entry.document_id,
            {**rows.discovered_row(entry), "created_at": now, "updated_at": now},
        )
    if not new_rows:
        return 0
    statement = (
        upsert_insert(connection, documents)
        .on_conflict_do_nothing()
        # Only inserted rows are returned, which gives an exact count on both
        # databases (executemany row counts are not reliable across drivers).
        .returning(documents.c.id)
    )
    inserted = connection.execute(statement, list(new_rows.values()))
    return len(inserted.all())


def save_document(connection: Connection, doc: Document, now: datetime) -> None:
    """Insert or overwrite the document keyed by ``doc.id``.

    The update runs only when a stored value differs, so saving the same
    document again leaves the row (and ``updated_at``) untouched; a save as
    FAILED always counts as one more attempt.
    """
    row = rows.document_row(doc)
    failed = doc.stage == Stage.FAILED
    insert = upsert_insert(connection, documents).values(
        **row, attempts=1 if failed else 0, created_at=now, updated_at=now
    )
    columns = [name for name in row if name != "id"]
    changed = [documents.c[name].is_distinct_from(insert.excluded[name]) for name in columns]
    update: dict[str, Any] = {name: insert.excluded[name] for name in columns}
    update["updated_at"] = now
    if failed:
        update["attempts"] = documents.c.attempts + 1
        changed.append(sa.true())
    connection.execute(
        insert.on_conflict_do_update(
            index_elements=[documents.c.id], set_=update, where=sa.or_(*changed)
        )
    )


def get_document(connection: Connection, doc_id: str) -> Document | None:
    row = connection.execute(sa.select(documents).where(documents.c.id == doc_id)).first()
    return None if row is None else rows.document_from_row(row._mapping)


def document_ids(
    connection: Connection,
    *,
    source_id: str | None,
    stage: Stage | None,
    language: str | None,
    limit: int | None,
) -> list[str]:
    """Ids of the matching documents, newest first."""
    query = sa.select(documents.c.id).order_by(*NEWEST_FIRST).limit(limit)
    if source_id is not None:
        query = query.where(documents.c.source_id == source_id)
    if stage is not None:
        query = query.where(documents.c.stage == Stage(stage).value)
    if language is not None:
        query = query.where(documents.c.language == language)
    return list(connection.scalars(query))


def documents_by_id(connection: Connection, ids: Sequence[str]) -> list[Document]:
    """The documents with these ids, in the order given; missing ids are skipped."""
    result = connection.execute(sa.select(documents).where(documents.c.id.in_(ids)))
    found = {row.id: rows.document_from_row(row._mapping) for row in result}
    return [found[doc_id] for doc_id in ids if doc_id in found]


def pending(
    connection: Connection, *, source_ids: Collection[str] | None, max_attempts: int
) -> list[Document]:
    """Documents a run should (re)process, newest first: news is worth more fresh."""
    if source_ids is not None and not source_ids:
        return []
    query = (
        sa.select(documents)
        .where(documents.c.stage.in_([stage.value for stage in PENDING_STAGES]))
        .where(documents.c.attempts < max_attempts)
        .order_by(*NEWEST_FIRST)
    )
    if source_ids is not None:
        query = query.where(documents.c.source_id.in_(sorted(source_ids)))
    return [rows.document_from_row(row._mapping) for row in connection.execute(query)]


def set_duplicates(
    connection: Connection, original_of: Mapping[str, str | None], now: datetime
) -> int:
    """Write ``duplicate_of`` for the given documents; return rows changed."""
    if not original_of:
        return 0
    current = dict(
        connection.execute(
            sa.select(documents.c.id, documents.c.duplicate_of).where(
                documents.c.id.in_(sa.bindparam("ids", expanding=True))
            ),
            {"ids": list(original_of)},
        ).all()
    )
    changes = [
        {"doc_id": doc_id, "wanted": wanted}
        for doc_id, wanted in original_of.items()
        if doc_id in current and current[doc_id] != wanted
    ]
    if changes:
        statement = (
            sa.update(documents)
            .where(documents.c.id == sa.bindparam("doc_id"))
            .values(duplicate_of=sa.bindparam("wanted"), updated_at=now)
        )
        connection.execute(statement, changes)
    return len(changes)


def save_documents(connection: Connection, batch: Iterable[Document], now: datetime) -> None:
    """save_document for many documents as one executemany (bulk loads).

    The same rules, written for every row at once: the update runs only when
    a value differs, and a save as FAILED always counts one more attempt.
    """
    by_id: dict[str, dict[str, Any]] = {}
    for doc in batch:  # one row per id; the last save wins, as it would one by one
        failed = doc.stage == Stage.FAILED
        row = rows.document_row(doc)
        stamps = {"attempts": 1 if failed else 0, "created_at": now, "updated_at": now}
        by_id[doc.id] = {**row, **stamps}
    if not by_id:
        return
    insert = upsert_insert(connection, documents)
    bookkeeping = {"id", "attempts", "created_at", "updated_at"}
    columns = [name for name in next(iter(by_id.values())) if name not in bookkeeping]
    was_failed = insert.excluded.stage == Stage.FAILED.value
    update: dict[str, Any] = {name: insert.excluded[name] for name in columns}
    update["updated_at"] = insert.excluded.updated_at
    update["attempts"] = sa.case(
        (was_failed, documents.c.attempts + 1), else_=documents.c.attempts
    )
    changed = [documents.c[name].is_distinct_from(insert.excluded[name]) for name in columns]
    statement = insert.on_conflict_do_update(
        index_elements=[documents.c.id], set_=update, where=sa.or_(*changed, was_failed)
    )
    connection.execute(statement, list(by_id.values()))
