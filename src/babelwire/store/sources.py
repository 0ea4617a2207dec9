"""Queries on sources and on the fetch state of polled URLs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.errors import StoreError
from babelwire.model import FetchState, Source, SourceHealth
from babelwire.store import rows
from babelwire.store.engine import upsert_insert
from babelwire.store.schema import fetch_state, sources


def upsert_sources(connection: Connection, items: Iterable[Source]) -> None:
    """Insert or rewrite the catalog columns; health and operator state stay."""
    # One row per id; the last definition wins, as it would in a catalog reload.
    by_id = {source.id: rows.source_row(source) for source in items}
    if not by_id:
        return
    insert = upsert_insert(connection, sources)
    catalog_columns = next(iter(by_id.values())).keys() - {"id"}
    statement = insert.on_conflict_do_update(
        index_elements=[sources.c.id],
        set_={name: insert.excluded[name] for name in sorted(catalog_columns)},
    )
    connection.execute(statement, list(by_id.values()))


def source_ids(connection: Connection) -> list[str]:
    return list(connection.scalars(sa.select(sources.c.id).order_by(sources.c.id)))


def health(connection: Connection, source_id: str) -> SourceHealth:
    row = connection.execute(sa.select(sources).where(sources.c.id == source_id)).first()
    if row is None:
        raise StoreError(f"store: unknown source {source_id!r}")
    return rows.health_from_row(row._mapping)


def all_health(connection: Connection) -> list[SourceHealth]:
    result = connection.execute(sa.select(sources).order_by(sources.c.id))
    return [rows.health_from_row(row._mapping) for row in result]


def record_success(
    connection: Connection, source_id: str, at: datetime, next_due_at: datetime
) -> None:
    # last_error is kept: "failed yesterday, fine since" is worth showing, and
    # consecutive_failures == 0 already says the source is healthy now.
    _update_source(
        connection, source_id, last_success_at=at, consecutive_failures=0, next_due_at=next_due_at
    )


def record_failure(
    connection: Connection, source_id: str, error: str, at: datetime, next_due_at: datetime
) -> None:
    _update_source(
        connection,
        source_id,
        last_error=error,
        last_error_at=at,
        # Incremented in SQL so that concurrent writers cannot lose a count.
        consecutive_failures=sources.c.consecutive_failures + 1,
        next_due_at=next_due_at,
    )


def mark_verified(connection: Connection, source_id: str, verified: bool, at: datetime) -> None:
    _update_source(connection, source_id, verified=verified, checked_at=at)


def _update_source(connection: Connection, source_id: str, **values: object) -> None:
    result = connection.execute(
        sa.update(sources).where(sources.c.id == source_id).values(**values)
    )
    if result.rowcount == 0:
        raise StoreError(f"store: unknown source {source_id!r} (upsert the catalog first)")


def get_fetch_state(connection: Connection, url: str) -> FetchState | None:
    row = connection.execute(sa.select(fetch_state).where(fetch_state.c.url == url)).first()
    return None if row is None else rows.fetch_state_from_row(row._mapping)


def save_fetch_state(connection: Connection, state: FetchState) -> None:
    row = rows.fetch_state_row(state)
    insert = upsert_insert(connection, fetch_state).values(row)
    connection.execute(
        insert.on_conflict_do_update(
            index_elements=[fetch_state.c.url],
            set_={name: insert.excluded[name] for name in row if name != "url"},
        )
    )


def set_enabled(connection: Connection, source_id: str, enabled: bool) -> None:
    """An operator's switch: a disabled source is not polled, its items stay."""
    _update_source(connection, source_id, enabled=enabled)


def request_fetch(connection: Connection, source_id: str, at: datetime) -> None:
    """Make the source due at ``at``; the runner polls it on its next pass."""
    _update_source(connection, source_id, next_due_at=at)


def disabled_ids(connection: Connection) -> set[str]:
    return set(connection.scalars(sa.select(sources.c.id).where(sources.c.enabled.is_(False))))


def stored_sources(connection: Connection) -> list[Source]:
    """Every stored source with the catalog columns the store keeps (no addresses)."""
    result = connection.execute(sa.select(sources).order_by(sources.c.id))
    return [
        Source(id=row.id, name=row.name, desk=row.desk, region=row.region,
               languages=tuple(row.languages), category=row.category, homepage=row.homepage,
               origin=row.origin, poll_interval_s=row.poll_interval_s)
        for row in result
    ]


def queued_urls(connection: Connection, source_id: str) -> list[str]:
    """Addresses a poll of the source left for the next one (never fetched since)."""
    query = (sa.select(fetch_state.c.url)
             .where(fetch_state.c.source_id == source_id, fetch_state.c.last_fetched_at.is_(None))
             .order_by(fetch_state.c.url))
    return list(connection.scalars(query))


def queued_counts(connection: Connection) -> dict[str, int]:
    """Per source, how many addresses wait for the next poll."""
    query = (sa.select(fetch_state.c.source_id, sa.func.count())
             .where(fetch_state.c.last_fetched_at.is_(None))
             .group_by(fetch_state.c.source_id))
    return {source_id: count for source_id, count in connection.execute(query)}
