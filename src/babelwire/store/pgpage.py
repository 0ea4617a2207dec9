"""Search on PostgreSQL: a page of matches newest first, and facet counts,
without the planner's bad guesses.

PostgreSQL prices ``tsv @@ query`` as almost free. For "newest matches
first" its planner then likes to walk ``items_search`` backwards by ``seq``
and test every row until the page is full: ideal for a common word (a page
after a few dozen rows), ruinous for a rare one (every row tested: 25 ms at
20,000 items, seconds at a million). For a count it likes a sequential scan
over a GIN lookup. It cannot tell the cases apart well (phrase estimates are
the worst), so we do:

1. test only the :data:`RECENT_ROWS` newest rows below the cursor (a LIMIT in
   a subquery, which the match cannot be pushed below): a common word fills
   the page here, at a bounded cost;
2. otherwise, and for facet counts, let the planner use bitmap scans only
   (``SET LOCAL``, undone right after): every match comes from the GIN
   index, and a page is a top-N sort of those.

``items_search`` holds copies of the filter columns, so both steps read that
one table; the page's items are then read by ``seq``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.store.fulltext import search

#: Rows tested in step 1. A word in 2% of the items fills a page of 20 here.
RECENT_ROWS = 2000


@contextmanager
def bitmap_scans_only(connection: Connection) -> Iterator[None]:
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    connection.exec_driver_sql("SET LOCAL enable_indexscan = off")
    try:
        yield
    finally:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = on")
        connection.exec_driver_sql("SET LOCAL enable_indexscan = on")


#: Builds the search's conditions (the match and the filters) on a table or
#: subquery with the columns of ``items_search``.
Conditions = Callable[[sa.FromClause], list[sa.ColumnElement[bool]]]


def page_seqs(
    connection: Connection, conditions: Conditions, after: int | None, count: int
) -> list[int]:
    """Up to ``count`` seqs of matching items older than ``after``, newest first."""
    window = sa.select(search).order_by(search.c.seq.desc())
    if after is not None:
        window = window.where(search.c.seq < after)
    recent = window.limit(RECENT_ROWS).subquery("recent")
    statement = (
        sa.select(recent.c.seq)
        .where(*conditions(recent))
        .order_by(recent.c.seq.desc())
        .limit(count)
    )
    found = list(connection.scalars(statement))
    if len(found) == count:
        return found
    statement = sa.select(search.c.seq).where(*conditions(search)).order_by(search.c.seq.desc())
    if after is not None:
        statement = statement.where(search.c.seq < after)
    with bitmap_scans_only(connection):
        return list(connection.scalars(statement.limit(count)))


def facet_rows(connection: Connection, columns: Sequence[str], conditions: Conditions) -> list[Any]:
    """(values of ``columns``..., count) groups of the matching items."""
    grouped = [search.c[name] for name in columns]
    statement = sa.select(*grouped, sa.func.count()).where(*conditions(search)).group_by(*grouped)
    with bitmap_scans_only(connection):
        return list(connection.execute(statement))
