"""Saved searches and what each one has delivered (migration 0007).

A subscription's cursor is the wire position (``first_created``, then the
item id) of the last item it has considered. Wire time is stamped when an
item is composed, not when it is committed, so a worker that is slow to
commit can store an item whose wire time the cursor has already passed.
Delivery therefore also looks back ``settle`` before the cursor and skips
what ``subscription_deliveries`` says was sent; rows there that fall out of
that window can never be asked about again and are pruned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from babelwire.store.engine import upsert_insert
from babelwire.store.schema import items, subscription_deliveries, subscriptions

#: How a subscription is delivered.
DELIVERIES = ("atom", "webhook", "email")


@dataclass(frozen=True, slots=True)
class Subscription:
    name: str
    #: Search text in the syntax of ``store/query/syntax.py``.
    query: str
    #: One of :data:`DELIVERIES`.
    delivery: str
    created_at: datetime
    #: Wire time and id of the last item considered (see the module doc).
    cursor_at: datetime
    cursor_item: str = ""
    #: The webhook URL or the e-mail address; None for Atom.
    target: str | None = None
    #: The webhook's signing key.
    secret: str | None = None
    delivered_count: int = 0
    last_delivered_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None

    @property
    def position(self) -> tuple[datetime, str]:
        return self.cursor_at, self.cursor_item


@dataclass(frozen=True, slots=True)
class WiredItem:
    """An item's place on the wire, and the date its lists are ordered by."""

    id: str
    first_created: datetime
    dated_at: datetime

    @property
    def position(self) -> tuple[datetime, str]:
        return self.first_created, self.id


def _columns() -> list[str]:
    return [field.name for field in fields(Subscription)]


def _record(row: RowMapping) -> Subscription:
    return Subscription(**{key: row[key] for key in _columns()})


def add(connection: Connection, subscription: Subscription) -> bool:
    """Insert ``subscription``; False (nothing written) when its name is taken."""
    row = {key: getattr(subscription, key) for key in _columns()}
    statement = (upsert_insert(connection, subscriptions).values(row).on_conflict_do_nothing()
                 .returning(subscriptions.c.name))
    # RETURNING, not rowcount: psycopg reports -1 for an INSERT ... ON CONFLICT.
    return connection.execute(statement).first() is not None


def all_subscriptions(connection: Connection) -> list[Subscription]:
    found = connection.execute(sa.select(subscriptions).order_by(subscriptions.c.name))
    return [_record(row) for row in found.mappings()]


def get(connection: Connection, name: str) -> Subscription | None:
    row = connection.execute(
        sa.select(subscriptions).where(subscriptions.c.name == name)).mappings().first()
    return None if row is None else _record(row)


def remove(connection: Connection, name: str) -> bool:
    # Explicitly: SQLite enforces ON DELETE CASCADE only with foreign keys on.
    connection.execute(sa.delete(subscription_deliveries)
                       .where(subscription_deliveries.c.subscription == name))
    return connection.execute(
        sa.delete(subscriptions).where(subscriptions.c.name == name)).rowcount == 1


def claim(connection: Connection, name: str, now: datetime, until: datetime) -> bool:
    """Take the delivery lease of ``name`` unless another pass holds it."""
    free = sa.or_(subscriptions.c.lease_until.is_(None), subscriptions.c.lease_until <= now)
    statement = (sa.update(subscriptions).where(subscriptions.c.name == name, free)
                 .values(lease_until=until))
    return connection.execute(statement).rowcount == 1


def release(connection: Connection, name: str) -> None:
    connection.execute(sa.update(subscriptions).where(subscriptions.c.name == name)
                       .values(lease_until=None))


def wired_after(
    connection: Connection, name: str, after: tuple[datetime, str], limit: int
) -> list[WiredItem]:
    """Up to ``limit`` items wired after position ``after``, in wire order,
    leaving out those ``name`` has already sent."""
    at, item_id = after
    sent = sa.select(subscription_deliveries.c.item_id).where(
        subscription_deliveries.c.subscription == name,
        subscription_deliveries.c.item_id == items.c.id)
    statement = (
        sa.select(items.c.id, items.c.first_created, items.c.dated_at)
        .where(sa.or_(items.c.first_created > at,
                      sa.and_(items.c.first_created == at, items.c.id > item_id)),
               ~sent.exists())
        .order_by(items.c.first_created, items.c.id)
        .limit(limit)
    )
    return [WiredItem(*row) for row in connection.execute(statement)]


def record_delivery(
    connection: Connection, name: str, item_ids: Sequence[str],
    position: tuple[datetime, str], now: datetime, settle: timedelta,
) -> None:
    """Note ``item_ids`` as sent and move the cursor up to ``position`` (never back)."""
    if item_ids:
        insert = upsert_insert(connection, subscription_deliveries)
        connection.execute(insert.on_conflict_do_nothing(), [
            {"subscription": name, "item_id": item_id, "delivered_at": now}
            for item_id in item_ids])
    current = get(connection, name)
    if current is None:
        return  # removed while it was being delivered: nothing to move
    cursor_at, cursor_item = max(current.position, position)
    values: dict[str, object] = {"cursor_at": cursor_at, "cursor_item": cursor_item}
    if item_ids:
        values |= {"delivered_count": subscriptions.c.delivered_count + len(item_ids),
                   "last_delivered_at": now, "last_error": None, "last_error_at": None}
    connection.execute(sa.update(subscriptions).where(subscriptions.c.name == name)
                       .values(values))
    # Sent items wired before the look-back window are never candidates again.
    old = sa.select(items.c.id).where(items.c.first_created < cursor_at - settle)
    connection.execute(sa.delete(subscription_deliveries).where(
        subscription_deliveries.c.subscription == name,
        subscription_deliveries.c.item_id.in_(old)))


def record_error(connection: Connection, name: str, message: str, now: datetime) -> None:
    connection.execute(sa.update(subscriptions).where(subscriptions.c.name == name)
                       .values(last_error=message, last_error_at=now))


def sent_ids(connection: Connection, name: str) -> list[str]:
    """Items noted as sent by ``name`` (those still in the look-back window)."""
    column = subscription_deliveries.c.item_id
    return list(connection.scalars(sa.select(column).where(
        subscription_deliveries.c.subscription == name).order_by(column)))
