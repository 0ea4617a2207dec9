"""Which items a subscription has not seen yet, through the one item query.

The store lists items in wire order after the subscription's cursor; which
of them match the saved search is asked of the store's own query
(``Store.items`` with the search text), so a subscription matches exactly
what the search page would show for the same text, filters included.

That query pages items by the date lists are ordered by (``dated_at``), not
by wire time. The new items are therefore grouped by that date, and each
group is asked for with ``since``/``until`` around it: an item published
long ago but wired today costs one narrow query, not a walk through every
match since its date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from babelwire.enrich.records import Enrichment
from babelwire.model import Item
from babelwire.store.query import ItemPage, ItemQuery
from babelwire.store.subscriptions import Subscription, WiredItem

#: Items read from the store per step.
CHUNK_ITEMS = 500
#: New items whose dates lie closer than this are asked for in one query.
DATE_GAP = timedelta(hours=1)
#: ``until`` is exclusive: the newest date of a group plus the smallest step.
_TICK = timedelta(microseconds=1)


class MatchingStore(Protocol):
    def items(self, query: ItemQuery) -> ItemPage: ...
    def wired_after(
        self, name: str, after: tuple[datetime, str], limit: int
    ) -> list[WiredItem]: ...


@dataclass(frozen=True, slots=True)
class Batch:
    """Matching items in wire order, and the wire position considered up to."""

    items: tuple[Item, ...]
    #: None when nothing new was wired.
    position: tuple[datetime, str] | None
    #: Document id -> what the enrich stage found in it (for ninjs subjects).
    enrichments: dict[str, Enrichment] = field(default_factory=dict)


def new_items(
    store: MatchingStore, subscription: Subscription, *, settle: timedelta, limit: int,
) -> Batch:
    """Up to ``limit`` unsent items that match, oldest on the wire first.

    The look-back starts ``settle`` before the cursor (see
    ``store/subscriptions.py``), but not before the subscription was made;
    items already sent are left out by the store.
    """
    # Never before the subscription was made: it starts with what comes next.
    after = (max(subscription.cursor_at - settle, subscription.created_at), "")
    matched: list[Item] = []
    enrichments: dict[str, Enrichment] = {}
    position = None
    while True:
        wired = store.wired_after(subscription.name, after, CHUNK_ITEMS)
        if not wired:
            break
        found, enriched = matching(store, subscription.query, wired)
        enrichments |= enriched
        for item in wired:
            position = item.position
            if item.id in found:
                matched.append(found[item.id])
                if len(matched) == limit:
                    return _batch(matched, position, enrichments)
        if len(wired) < CHUNK_ITEMS:
            break
        after = wired[-1].position
    return _batch(matched, position, enrichments)


def _batch(matched: list[Item], position: tuple[datetime, str] | None,
           enrichments: dict[str, Enrichment]) -> Batch:
    kept = {item.document_id for item in matched}
    return Batch(tuple(matched), position,
                 {doc_id: found for doc_id, found in enrichments.items() if doc_id in kept})


def matching(
    store: MatchingStore, query: str, wired: Sequence[WiredItem],
) -> tuple[dict[str, Item], dict[str, Enrichment]]:
    """The items of ``wired`` that ``query`` finds, by id, and their
    documents' enrichment. Raises the store's ``QueryError`` for a query it
    cannot read."""
    wanted = {item.id for item in wired}
    found: dict[str, Item] = {}
    enrichments: dict[str, Enrichment] = {}
    for since, until in date_groups([item.dated_at for item in wired]):
        cursor = None
        while True:
            page = store.items(ItemQuery(text=query, since=since, until=until, limit=500,
                                         cursor=cursor))
            for item in page.items:
                if item.id in wanted:
                    found[item.id] = item
                    if item.document_id in page.enrichments:
                        enrichments[item.document_id] = page.enrichments[item.document_id]
            cursor = page.next_cursor
            if cursor is None:
                break
    return found, enrichments


def date_groups(dates: Sequence[datetime]) -> list[tuple[datetime, datetime]]:
    """[since, until) ranges that cover ``dates``, split where two dates lie
    more than :data:`DATE_GAP` apart."""
    groups: list[tuple[datetime, datetime]] = []
    for moment in sorted(dates):
        if groups and moment - groups[-1][1] <= DATE_GAP:
            groups[-1] = (groups[-1][0], moment + _TICK)
        else:
            groups.append((moment, moment + _TICK))
    return groups
