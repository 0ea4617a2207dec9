"""Where the newest N items start, estimated without reading them.

``seq`` grows with the sources' publication times (``items.py``), so "the
newest N items" is a range ``seq >= bound``. Finding the exact bound means
stepping over N index entries (tens of milliseconds at a million items on a
busy machine); searches only need it roughly, to decide how much of the wire
to read before they have enough matches. So the bound is estimated from the
newest and oldest seq (the two ends of an index) and the item count (the sum
of ``item_facet_counts``, a few hundred rows), as if the wire published at an
even rate. The same fraction turns a count over a window into an estimate
over the whole wire (``facetsample``).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.store.schema import item_facet_counts, items


@dataclass(frozen=True, slots=True)
class SeqSpan:
    oldest: int
    newest: int
    item_count: int

    def bound(self, rows: int, below: int | None = None) -> int | None:
        """Estimated seq above which about ``rows`` items lie (below ``below``
        when given); None when that is every item."""
        top = self.newest + 1 if below is None else min(below, self.newest + 1)
        width = self.newest + 1 - self.oldest
        if rows >= self.item_count or top <= self.oldest:
            return None
        bound = top - width * rows // self.item_count
        return bound if bound > self.oldest else None

    def share(self, bound: int | None, below: int | None = None) -> float:
        """Estimated fraction of all items in ``[bound, below)``."""
        top = self.newest + 1 if below is None else min(below, self.newest + 1)
        low = self.oldest if bound is None else max(bound, self.oldest)
        width = self.newest + 1 - self.oldest
        return max(top - low, 1) / width


def seq_span(connection: Connection) -> SeqSpan | None:
    """The wire's seq range and size; None when it holds no item."""
    # One subquery each: SQLite reads an index end for a lone min() or max()
    # only, and scans the whole index for both in one select. One statement:
    # a round trip costs more than the three lookups on a busy machine.
    oldest = sa.select(sa.func.min(items.c.seq)).scalar_subquery()
    newest = sa.select(sa.func.max(items.c.seq)).scalar_subquery()
    count = sa.select(sa.func.sum(item_facet_counts.c.item_count)).scalar_subquery()
    low, high, size = connection.execute(sa.select(oldest, newest, count)).one()
    if low is None or high is None:
        return None
    return SeqSpan(oldest=int(low), newest=int(high), item_count=max(int(size or 0), 1))
