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
   index, and a page is a top-N sort of those. The bitmap is ANDed with a
   window of the newest rows (``seq >= bound``), grown until it holds
   enough matches (:func:`newest_matches`).

A phrase is the costly case: the index finds the rows with every word, and
each one's vector (kilobytes, compressed) is then read to check the
positions, about 40 µs a row on a busy machine. Two common words are in a
third of the items, so a rare phrase would read a third of the wire. Phrase
windows stop at :data:`PHRASE_WINDOW_ROWS`: the page then holds what that
window had and its cursor continues below it.

``items_search`` holds copies of the filter columns, so both steps read that
one table; the page's items are then read by ``seq``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.store.fulltext import search
from babelwire.store.searchindex import SEARCH_FILTER_COLUMNS
from babelwire.store.seqspan import SeqSpan

#: Rows tested in step 1. A word in 10% of the items fills a page of 20 here;
#: each row's vector is read, so more would cost rare words dearly.
RECENT_ROWS = 200
#: Most rows one phrase search reads (see the module docstring).
PHRASE_WINDOW_ROWS = 8000
#: Most rows a phrase's facets are counted over: estimates, and each row
#: read costs about 5 µs (its vector tested), 20 ms for these.
PHRASE_FACET_ROWS = 4000


@dataclass(frozen=True, slots=True)
class Matches:
    #: Seqs of matching items, newest first.
    seqs: list[int]
    #: None when every row below the cursor was read; else the rows below
    #: this seq were not (a phrase past :data:`PHRASE_WINDOW_ROWS`).
    unread_below: int | None = None
    #: (rows tested, matches among them) below the cursor, newest first:
    #: how common the match is, for the facets' windows (:func:`next_window`).
    rate: tuple[int, int] | None = None


@contextmanager
def bitmap_scans_only(connection: Connection) -> Iterator[None]:
    # One round trip each way: at a few milliseconds each on a busy
    # machine, they cost more than most of the statements they surround.
    # No parallel workers either: the bitmaps read a few thousand rows, and
    # starting workers took longer (about 90 ms of a 150 ms statement on two
    # busy cores, bench/search_scale.py).
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
                               "SET LOCAL max_parallel_workers_per_gather = 0")
    try:
        yield
    finally:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = on; "
                                   "SET LOCAL enable_indexscan = on; "
                                   "RESET max_parallel_workers_per_gather")


#: A window is read by its primary-key range unless it holds this many
#: times more rows than the whole wire has matches: the planner ANDed a rare
#: word's 7,000 rows (1 ms) with a bitmap of the newest 400,000 keys (32 ms
#: at a million items), while fetching every row the GIN index finds costs
#: about 1.3 µs each (a word in 53,000 items: 70 ms, where the AND took 10).
KEY_RANGE_RATIO = 16


def by_key_range(rows: int, read: int, held: int, span: SeqSpan | None) -> bool:
    """Whether a window of ``rows`` rows is read by its seq range, given
    that ``held`` matches were in the ``read`` rows above it (unknown at
    first: then it is). A small window with no match says little: a word in
    one item of a hundred often has none in the first 84 rows, and reading
    its 12,000 GIN rows one by one took 20-40 ms. So it counts as one match
    until the rows read are enough to tell."""
    if not read or span is None:
        return True
    return max(held, 1) * span.item_count // read * KEY_RANGE_RATIO >= rows


#: A window's match is tested on each of its rows (each row's vector read:
#: about 3 µs) instead of being looked up in the GIN index (about 0.2 µs for
#: every item of the wire that has the word) when the wire is estimated to
#: hold this many times more matches than the window has rows. The planner
#: ANDed the 220,000 GIN rows of a word in a fifth of the items (48 ms at a
#: million items) with a window of 10,000 keys, whose rows test in about 30.
ROW_TEST_RATIO = 12


def next_window(
    low: int | None,
    below: int | None,
    rows: int,
    read: int,
    held: int,
    span: SeqSpan | None,
    phrase: bool = False,
    rate: tuple[int, int] | None = None,
) -> sa.Subquery:
    """The window of about ``rows`` rows in ``[low, below)``, read the
    cheapest way given that ``held`` matches were in the ``read`` rows above
    it: a phrase's or a common word's rows are tested one by one, a rare
    word's found in the GIN index alone (:data:`ROW_TEST_RATIO`,
    :data:`KEY_RANGE_RATIO`); others are left to the planner. Before any
    window was read, ``rate`` (rows tested, matches among them, elsewhere:
    the page's newest rows) stands for ``read`` and ``held``."""
    if not read and rate is not None:
        read, held = rate
    common = (bool(read) and span is not None
              and held * span.item_count // read >= rows * ROW_TEST_RATIO)
    return window(low, below, fenced=low is not None and (phrase or common),
                  by_key=by_key_range(rows, read, held, span))


def window(
    low: int | None, below: int | None = None, fenced: bool = False, by_key: bool = True
) -> sa.Subquery:
    """The ``items_search`` rows with seqs in ``[low, below)`` (either end
    open when None), about ``rows`` of them. ``fenced``: the match cannot be
    pushed into the window (OFFSET 0), so it is tested on the window's rows
    instead of looked up in the GIN index. For a phrase the index returns
    every row holding all its words (two Han characters: 155,000 of a
    million, 40 ms to read, however small the window), where a window of
    8,000 rows tests in about as long and a small one in far less."""
    # seq + 0 is no key of the primary key's index (see KEY_RANGE_RATIO).
    seq = search.c.seq if by_key or fenced else search.c.seq + 0
    selected = sa.select(*[search.c[name] for name in ("seq", "tsv", *SEARCH_FILTER_COLUMNS)])
    if low is not None:
        selected = selected.where(seq >= low)
    if below is not None:
        selected = selected.where(seq < below)
    return (selected.offset(0) if fenced else selected).subquery("window")


#: Builds the search's conditions (the match and the filters) on a table or
#: subquery with the columns of ``items_search``.
Conditions = Callable[[sa.FromClause], list[sa.ColumnElement[bool]]]


def page_seqs(
    connection: Connection,
    conditions: Conditions,
    after: int | None,
    count: int,
    span: SeqSpan | None = None,
    max_rows: int | None = None,
) -> Matches:
    """Up to ``count`` matching items older than ``after``, newest first;
    ``max_rows`` bounds the rows read (None: every row if need be)."""
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
    # A full page may have stopped short of the last recent row: the rate
    # is then at least this.
    rate = (RECENT_ROWS, len(found))
    if len(found) == count:
        return Matches(found, rate=rate)
    return newest_matches(connection, conditions, count, after, span, max_rows, rate)


def newest_matches(
    connection: Connection,
    conditions: Conditions,
    count: int,
    below: int | None = None,
    span: SeqSpan | None = None,
    max_rows: int | None = None,
    rate: tuple[int, int] | None = None,
) -> Matches:
    """Up to ``count`` seqs of matching items below ``below``, newest first,
    read from ever larger windows of the newest rows (estimated with
    ``span``, and at last every row), so that a match the index cannot
    decide alone (a phrase: every candidate row's vector is read) is tested
    on the recent rows first rather than on the whole wire. ``rate``:
    (rows tested, matches among them) of the newest rows below ``below``,
    for reading the first window (:func:`next_window`)."""
    found: list[int] = []
    rows = first_window_rows(count, max_rows)
    # Each window reads only the rows below the last one (``top``).
    top, read = below, 0
    while True:
        low = span.bound(rows, below) if span is not None else None
        source = next_window(low, top, rows - read, read, len(found), span,
                             phrase=max_rows is not None, rate=rate)
        statement = (sa.select(source.c.seq).where(*conditions(source))
                     .order_by(source.c.seq.desc()).limit(count - len(found)))
        with bitmap_scans_only(connection):
            found += connection.scalars(statement)
        # Every row below ``below`` when ``low`` is None.
        seen = (rows if low is not None or span is None else span.item_count, len(found))
        if low is None or len(found) >= count:
            return Matches(found, rate=seen)
        if max_rows is not None and rows >= max_rows:
            return Matches(found, low, seen)
        top, read = low, rows
        rows = next_window_rows(rows, count, len(found), max_rows)


#: Rows in the first window, as a multiple of the matches wanted.
FIRST_WINDOW_FACTOR = 4
#: A window after one with no match is this many times larger.
EMPTY_WINDOW_GROWTH = 16


def first_window_rows(wanted: int, max_rows: int | None = None,
                      factor: int = FIRST_WINDOW_FACTOR) -> int:
    rows = wanted * factor
    return rows if max_rows is None else min(rows, max_rows)


def next_window_rows(rows: int, wanted: int, held: int, max_rows: int | None = None) -> int:
    """Rows of the window after one of ``rows`` rows that held ``held`` of
    the ``wanted`` matches: sized from its match rate to hold them all, with
    a margin, and at least twice as large (at most ``max_rows``)."""
    grown = rows * wanted * 3 // (2 * held) if held else rows * EMPTY_WINDOW_GROWTH
    grown = max(grown, rows * 2)
    return grown if max_rows is None else min(grown, max_rows)


def facet_rows(connection: Connection, columns: Sequence[str], conditions: Conditions) -> list[Any]:
    """(values of ``columns``..., count) groups of the matching items."""
    grouped = [search.c[name] for name in columns]
    statement = sa.select(*grouped, sa.func.count()).where(*conditions(search)).group_by(*grouped)
    with bitmap_scans_only(connection):
        return list(connection.execute(statement))
