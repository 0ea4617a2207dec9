"""Counts for status pages and the demo summary, and the whole-database dump."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.model import Stage
from babelwire.store.schema import VOLATILE_COLUMNS, documents, metadata

#: Key used for documents whose language is not known (BCP 47 "undetermined").
UNKNOWN_LANGUAGE = "und"


def stats(connection: Connection) -> dict[str, Any]:
    """``{"documents": N, "by_stage": {...}, "by_language": {...}, "by_source": {...}}``.

    ``by_stage`` names every stage, with 0 for the empty ones, so the shape
    does not depend on what has happened so far.
    """
    by_stage = dict.fromkeys((stage.value for stage in Stage), 0)
    by_stage.update(_count_by(connection, documents.c.stage))
    language = sa.func.coalesce(documents.c.language, UNKNOWN_LANGUAGE)
    return {
        "documents": sum(by_stage.values()),
        "by_stage": by_stage,
        "by_language": _count_by(connection, language),
        "by_source": _count_by(connection, documents.c.source_id),
    }


def _count_by(connection: Connection, key: sa.ColumnElement[Any]) -> dict[str, int]:
    query = sa.select(key, sa.func.count()).group_by(key).order_by(key)
    return {str(value): count for value, count in connection.execute(query)}


def reasons(connection: Connection, stage: Stage) -> dict[str, dict[str, int]]:
    """Per source: reason -> number of documents that stopped at ``stage``."""
    reason = sa.func.coalesce(documents.c.reason, "")
    query = (
        sa.select(documents.c.source_id, reason, sa.func.count())
        .where(documents.c.stage == Stage(stage).value)
        .group_by(documents.c.source_id, reason)
        .order_by(documents.c.source_id, reason)
    )
    result: dict[str, dict[str, int]] = {}
    for source_id, why, count in connection.execute(query):
        result.setdefault(source_id, {})[why] = count
    return result


def dump(connection: Connection) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, sorted by primary key, volatile columns left out."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in metadata.sorted_tables:
        volatile = VOLATILE_COLUMNS.get(table.name, frozenset())
        columns = [column for column in table.c if column.name not in volatile]
        query = sa.select(*columns).order_by(*table.primary_key.columns)
        tables[table.name] = [dict(row._mapping) for row in connection.execute(query)]
    return tables
