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
from babelwire.store.seqspan import SeqSpan

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
    connection: Connection,
    conditions: Conditions,
    after: int | None,
    count: int,
    span: SeqSpan | None = None,
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
    return newest_matches(connection, conditions, count, after, span)


def newest_matches(
    connection: Connection,
    conditions: Conditions,
    count: int,
    below: int | None = None,
    span: SeqSpan | None = None,
) -> list[int]:
    """Up to ``count`` seqs of matching items below ``below``, newest first,
    read from ever larger windows of the newest rows (estimated with
    ``span``, and at last every row), so that a match the index cannot
    decide alone (a phrase: every candidate row's vector is read) is tested
    on the recent rows first rather than on the whole wire."""
    found: list[int] = []
    rows = first_window_rows(count)
    while True:
        low = span.bound(rows, below) if span is not None else None
        statement = sa.select(search.c.seq).where(*conditions(search))
        if low is not None:
            statement = statement.where(search.c.seq >= low)
        if below is not None:
            statement = statement.where(search.c.seq < below)
        with bitmap_scans_only(connection):
            found = list(connection.scalars(statement.order_by(search.c.seq.desc()).limit(count)))
        if low is None or len(found) >= count:
            return found
        rows = next_window_rows(rows, count, len(found))


#: Rows in the first window, as a multiple of the matches wanted.
FIRST_WINDOW_FACTOR = 4
#: A window after one with no match is this many times larger.
EMPTY_WINDOW_GROWTH = 16


def first_window_rows(wanted: int) -> int:
    return wanted * FIRST_WINDOW_FACTOR


def next_window_rows(rows: int, wanted: int, held: int) -> int:
    """Rows of the window after one of ``rows`` rows that held ``held`` of
    the ``wanted`` matches: sized from its match rate to hold them all, with
    a margin, and at least twice as large."""
    grown = rows * wanted * 3 // (2 * held) if held else rows * EMPTY_WINDOW_GROWTH
    return max(grown, rows * 2)


def facet_rows(connection: Connection, columns: Sequence[str], conditions: Conditions) -> list[Any]:
    """(values of ``columns``..., count) groups of the matching items."""
    grouped = [search.c[name] for name in columns]
    statement = sa.select(*grouped, sa.func.count()).where(*conditions(search)).group_by(*grouped)
    with bitmap_scans_only(connection):
        return list(connection.execute(statement))
