"""One delivery pass over every pushed subscription: ``deliver_subscriptions``.

For each webhook or e-mail subscription, in turn:

1. take its lease in the store (another pass holding it is skipped, so two
   workers never send the same batch at once);
2. read the next batch of unsent matching items (``matching.new_items``);
3. send it; only after the receiver accepted it, note its items as sent and
   move the cursor, in one transaction. A crash between sending and noting
   sends that one batch again (with the same delivery id), never more, and
   an item is never skipped: the cursor never passes an unsent match;
4. repeat until nothing new matches, then move the cursor over the items
   considered, and release the lease.

A failed delivery is recorded on the subscription as one line and the pass
goes on with the next one; the batch is tried again by the next pass. Atom
subscriptions are read, not pushed: they have nothing to deliver.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from babelwire.errors import DeliveryError
from babelwire.fetch import Resolver
from babelwire.model import utc_now
from babelwire.settings import Settings
from babelwire.store.query import QueryError
from babelwire.store.subscriptions import Subscription
from babelwire.subscribe.digest import EmailSender
from babelwire.subscribe.matching import Batch, MatchingStore, new_items
from babelwire.subscribe.settings import SubscribeSettings
from babelwire.subscribe.webhook import WebhookSender

log = logging.getLogger("babelwire.subscribe")


class DeliveryStore(MatchingStore, Protocol):
    def subscriptions(self) -> list[Subscription]: ...
    def subscription(self, name: str) -> Subscription | None: ...
    def claim_subscription(self, name: str, now: datetime, until: datetime) -> bool: ...
    def release_subscription(self, name: str) -> None: ...
    def record_delivery(self, name: str, item_ids: Sequence[str],
                        position: tuple[datetime, str], now: datetime,
                        settle: timedelta) -> None: ...
    def record_subscription_error(self, name: str, message: str, now: datetime) -> None: ...


class Sender(Protocol):
    def send(self, subscription: Subscription, batch: Batch) -> None: ...
    def close(self) -> None: ...


@dataclass
class DeliveryReport:
    #: Subscription name -> items delivered in this pass.
    delivered: dict[str, int] = field(default_factory=dict)
    #: Subscription name -> the one-line reason its delivery stopped.
    failed: dict[str, str] = field(default_factory=dict)
    #: Subscriptions another pass was delivering.
    busy: list[str] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(self.delivered.values())


def deliver_subscriptions(
    store: DeliveryStore, settings: Settings, *, subscribe: SubscribeSettings | None = None,
    resolver: Resolver | None = None, clock: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], None] = time.sleep, senders: dict[str, Sender] | None = None,
) -> DeliveryReport:
    """Deliver what is new to every webhook and e-mail subscription.

    ``senders`` (delivery kind -> sender) replaces the real ones in tests.
    """
    subscribe = subscribe or SubscribeSettings.load()
    report = DeliveryReport()
    pushed = [s for s in store.subscriptions() if s.delivery != "atom"]
    if not pushed:
        return report
    kinds = senders or _senders(settings, subscribe, resolver, clock, sleep)
    try:
        for subscription in pushed:
            _deliver_one(store, subscription, kinds[subscription.delivery], subscribe,
                         clock, report)
    finally:
        if senders is None:
            for sender in kinds.values():
                sender.close()
    return report


def _senders(settings: Settings, subscribe: SubscribeSettings, resolver: Resolver | None,
             clock: Callable[[], datetime], sleep: Callable[[float], None]) -> dict[str, Sender]:
    """The sender of each pushed delivery kind (a registry, not a chain of ifs)."""
    return {
        "webhook": WebhookSender(settings, subscribe, resolver=resolver,
                                 now_s=lambda: clock().timestamp(), sleep=sleep),
        "email": EmailSender(subscribe, clock=clock, sleep=sleep),
    }


def _deliver_one(
    store: DeliveryStore, subscription: Subscription, sender: Sender,
    subscribe: SubscribeSettings, clock: Callable[[], datetime], report: DeliveryReport,
) -> None:
    name = subscription.name
    now = clock()
    if not store.claim_subscription(name, now, now + timedelta(seconds=subscribe.lease_s)):
        report.busy.append(name)
        return
    report.delivered[name] = 0
    try:
        while True:
            # Read again: the cursor moved with the last batch.
            current = store.subscription(name)
            if current is None:
                return  # removed meanwhile
            batch = new_items(store, current, settle=subscribe.settle,
                              limit=subscribe.batch_items)
            if batch.position is None:
                return
            if batch.items:
                sender.send(current, batch)
            store.record_delivery(name, [item.id for item in batch.items], batch.position,
                                  clock(), subscribe.settle)
            report.delivered[name] += len(batch.items)
            if len(batch.items) < subscribe.batch_items:
                return
    except (DeliveryError, QueryError) as exc:
        message = str(exc) if isinstance(exc, DeliveryError) else f"subscribe: {exc.reason}"
        log.warning("%s", message)
        report.failed[name] = message
        store.record_subscription_error(name, message, clock())
    finally:
        store.release_subscription(name)
