"""The documents not yet on the wire: found by their original text, and filtered.

A document waits (``items.documents_waiting``) while it has no translation;
a reader must still find it in its own language ("Судан" finds a Russian
document nobody has translated). Every extracted document's original title
and text are indexed here on save, whether or not it later becomes an item:
the index then never has to follow the item lifecycle, and the waiting
condition is applied when reading.

- **SQLite**: FTS5 table ``documents_fts`` with the tokenizer of ``items_fts``;
  its rowid is a hash of the document id (:func:`fts_rowid`), so a re-save
  replaces the row without scanning the index for the id.
- **PostgreSQL**: ``documents_search`` (document id, ``tsvector`` under
  ``simple`` built from :func:`query.tokens`, as ``searchindex`` does for items).

Search text reaches neither engine as syntax: ``fulltext`` builds the match
from the parsed tokens.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.model import Document, Stage
from babelwire.store import fulltext, rows
from babelwire.store.documents import NEWEST_FIRST
from babelwire.store.query import ItemQuery, Query, parse, same_but_case, tokens
from babelwire.store.rows import clean_text
from babelwire.store.schema import documents, items, sources
from babelwire.store.searchindex import PG_MAX_TOKEN_CHARS, mark_cjk

fts = sa.table("documents_fts", sa.column("rowid", sa.BigInteger),
               sa.column("document_id", sa.Text))
search = sa.table("documents_search", sa.column("document_id", sa.Text), sa.column("tsv"))


def fts_rowid(doc_id: str) -> int:
    """A 63-bit rowid for a document id (a collision would need ~3e9 documents
    to be likely, and would only make one document's search row replace another's)."""
    return int.from_bytes(hashlib.sha256(doc_id.encode()).digest()[:8], "big") >> 1


def indexed_text(doc: Document) -> tuple[str, str] | None:
    """(title, text) indexed for a document; None when nothing was extracted."""
    if doc.extracted is None:
        return None
    text = "\n".join(block.text for block in doc.extracted.blocks)
    return doc.extracted.title or doc.entry_title or "", text


def _pg_tokens(title: str, text: str) -> str:
    joined = " ".join(tokens(f"{title}\n{text}"))
    return joined if len(joined) <= PG_MAX_TOKEN_CHARS else joined[:PG_MAX_TOKEN_CHARS].rsplit(
        " ", 1)[0]


def index(connection: Connection, batch: Iterable[Document]) -> None:
    """Replace the entries of the documents that were extracted."""
    for doc in batch:
        if doc.extracted is not None:
            _index_one(connection, doc)


def _index_one(connection: Connection, doc: Document) -> None:
    indexed = indexed_text(doc)
    if indexed is not None:
        write(connection, doc.id, *indexed)


def write(connection: Connection, doc_id: str, title: str, text: str) -> None:
    """Replace one document's entry (also used by migration 0004 to fill the index)."""
    # Cleaned as every stored string is: no controls, no lone surrogates.
    title, text = clean_text(title), clean_text(text)
    if connection.dialect.name == "sqlite":
        rowid = fts_rowid(doc_id)
        connection.execute(sa.text("DELETE FROM documents_fts WHERE rowid = :rowid"),
                           {"rowid": rowid})
        connection.execute(
            sa.text("INSERT INTO documents_fts(rowid, document_id, title, text) "
                    "VALUES (:rowid, :id, :title, :text)"),
            {"rowid": rowid, "id": doc_id, "title": mark_cjk(title), "text": mark_cjk(text)})
        return
    connection.execute(sa.text("DELETE FROM documents_search WHERE document_id = :id"),
                       {"id": doc_id})
    connection.execute(
        sa.text("INSERT INTO documents_search (document_id, tsv) "
                "VALUES (:id, to_tsvector('simple'::regconfig, :tokens))"),
        {"id": doc_id, "tokens": _pg_tokens(title, text)})


def matching(connection: Connection, parsed: Query) -> sa.ColumnElement[bool] | None:
    """A condition on ``documents.c.id``: the document's text matches the
    query's words; None when the query has no words (fields only)."""
    if not parsed.has_text:
        return None
    ids: sa.Select[tuple[str]]
    if connection.dialect.name == "sqlite":
        required = fulltext.fts5_required(parsed)
        if required is None:
            excluded = fulltext.fts5_excluded(parsed)
            assert excluded is not None
            hits = sa.select(fts.c.document_id).where(
                fulltext.fts5_match(excluded, table="documents_fts"))
            return documents.c.id.not_in(hits)
        ids = sa.select(fts.c.document_id).where(fulltext.fts5_match(required,
                                                                     table="documents_fts"))
    else:
        tsquery = fulltext.pg_tsquery(parsed, english=False)
        ids = sa.select(search.c.document_id).where(search.c.tsv.op("@@")(tsquery))
    return documents.c.id.in_(ids)


def waiting(connection: Connection, limit: int | None, query: ItemQuery | None) -> list[Document]:
    """Documents at EXTRACTED without an item (waiting for a translation
    engine, typically, with the reason stored), newest first, that match the
    query's text and facet filters: region through the document's source,
    the document's own language. A section filter matches none (sections are
    filtered by their English name, which a waiting document lacks yet)."""
    has_item = sa.exists().where(items.c.document_id == documents.c.id)
    statement = (
        sa.select(documents)
        .join(sources, sources.c.id == documents.c.source_id)
        # A copy of another story is not waiting: its original carries it.
        .where(documents.c.stage == Stage.EXTRACTED.value, ~has_item,
               documents.c.duplicate_of.is_(None))
        .order_by(*NEWEST_FIRST)
        .limit(limit)
    )
    if query is not None:
        conditions = _conditions(connection, query)
        if conditions is None:
            return []
        statement = statement.where(*conditions)
    return [rows.document_from_row(row._mapping) for row in connection.execute(statement)]


#: ItemQuery attribute -> the column of a waiting document it filters.
_WAITING_COLUMNS = {"region": sources.c.region, "source_id": documents.c.source_id,
                    "language": documents.c.language}


def _conditions(connection: Connection, query: ItemQuery) -> list[sa.ColumnElement[bool]] | None:
    """The query's filters on waiting documents; None when they cannot match."""
    parsed = parse(clean_text(query.text).strip()) if query.text and query.text.strip() else None
    if query.values("section") or (parsed is not None and parsed.field("section")):
        return None
    conditions: list[sa.ColumnElement[bool]] = []
    for attribute, column in _WAITING_COLUMNS.items():
        groups = [query.values(attribute)]
        typed = parsed.field(attribute) if parsed is not None else None
        if typed is not None:
            groups.append((typed,))
        for group in filter(None, groups):
            stored = [v for v in connection.scalars(sa.select(column).distinct()) if v]
            conditions.append(column.in_(same_but_case(group, stored)))
    when = sa.func.coalesce(documents.c.published, documents.c.entry_published)
    if query.since is not None:
        conditions.append(when >= query.since)
    if query.until is not None:
        conditions.append(when < query.until)
    matched = matching(connection, parsed) if parsed is not None else None
    if matched is not None:
        conditions.append(matched)
    return conditions
