"""Facet counts over the newest matches, estimated for the rest.

Counting every match of a common word reads hundreds of thousands of rows
(seconds at a million items, ``../shared/notes/search-at-scale.md``). A
reader choosing a filter needs the values and their rough weight, not the
exact figure, so counts stop after about ``cap`` of the newest matches. When
there are more, the counts are scaled by the share of the wire those matches
cover (``seqspan``), rounded to two significant digits, and the page says
they are approximate ("about 12,000").

- SQLite, and lists without search text: the newest ``cap + 1`` matches
  in ``seq`` order (FTS5 walks its rowids backwards; an index on ``seq``
  does the rest), grouped. A phrase (a CJK word is one too) is looked for
  in the newest :data:`SQLITE_PHRASE_ROWS` items only: its words may be in
  most items while the phrase is in few, and FTS5 then checks the positions
  of every item holding them all (30-40 ms over a million items, and the
  facets of the enrichment read them once more);
- PostgreSQL with search text: windows of the newest rows, each counted with
  bitmap scans (as ``pgpage.newest_matches``), until one holds ``cap`` matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.store.pgpage import (
    Conditions,
    bitmap_scans_only,
    first_window_rows,
    next_window,
    next_window_rows,
)
from babelwire.store.seqspan import SeqSpan

#: Newest items a phrase's facets are counted over on SQLite (see above):
#: a tenth of a million-item wire, a few milliseconds of position checks.
SQLITE_PHRASE_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class Sample:
    #: (values of the counted columns..., count) per group.
    groups: list[tuple[Any, ...]]
    #: The lowest seq of the part of the wire read; None when every match
    #: was counted. Counts scale by ``1 / span.share(bound)``.
    bound: int | None = None
    #: The seqs of the matches counted, when read (PostgreSQL), so that
    #: other counts over the same matches need not look for them again.
    seqs: list[int] | None = None


def newest(
    connection: Connection,
    matches: sa.Select[Any],
    order: sa.ColumnElement[int],
    columns: Sequence[sa.ColumnElement[Any]],
    cap: int,
    span: SeqSpan | None,
    low: int | None = None,
) -> Sample:
    """Groups of the newest ``cap`` rows of ``matches`` (a select of
    ``columns``, ordered by ``order``, a seq), of those from ``low`` up when
    given."""
    if low is not None:
        matches = matches.where(order >= low)
    limited = matches.add_columns(order.label("seq")).order_by(order.desc()).limit(cap + 1)
    sub = limited.subquery("newest")
    keys = [sub.c[column.name] for column in columns]
    statement = sa.select(*keys, sa.func.count(), sa.func.min(sub.c.seq)).group_by(*keys)
    rows = [tuple(row) for row in connection.execute(statement)]
    groups = [row[:-1] for row in rows]
    if span is None or sum(row[-2] for row in rows) <= cap:
        return Sample(groups, low if span is not None else None)
    return Sample(groups, min(row[-1] for row in rows))


def pg_windows(
    connection: Connection,
    names: Sequence[str],
    conditions: Conditions,
    cap: int,
    span: SeqSpan | None,
    max_rows: int | None = None,
    rate: tuple[int, int] | None = None,
) -> Sample:
    """Groups of the matches in the smallest window of newest rows that holds
    ``cap`` of them (or of all matches, when fewer), or in the newest
    ``max_rows`` rows when that is smaller (phrases, see ``pgpage``). A
    larger window reads only the rows below the last one (testing a common
    word costs about 2 µs a row) and adds them to its counts. ``rate``:
    (rows tested, matches among them) of the newest rows, when the page's
    search tested some: the first window is then read as they say is
    cheapest (``pgpage.next_window``), not as the planner guesses."""
    # Twice the cap: a common word (in half the items or more) is counted
    # in one window; rarer ones read the rows below it next (see above).
    rows = first_window_rows(cap, max_rows, factor=2)
    counts: dict[tuple[Any, ...], int] = {}
    seqs: list[int] = []
    below, read = None, 0
    while True:
        low = span.bound(rows) if span is not None else None
        source = next_window(low, below, rows - read, read, len(seqs), span,
                             phrase=max_rows is not None, rate=rate)
        grouped = [source.c[name] for name in names]
        statement = (sa.select(*grouped, sa.func.count(), sa.func.array_agg(source.c.seq))
                     .where(*conditions(source)))
        with bitmap_scans_only(connection):
            for *key, count, found in connection.execute(statement.group_by(*grouped)):
                counts[tuple(key)] = counts.get(tuple(key), 0) + count
                seqs += found
        groups = [(*key, count) for key, count in counts.items()]
        if low is None or span is None:
            return Sample(groups, None, seqs)
        if len(seqs) >= cap or (max_rows is not None and rows >= max_rows):
            return Sample(groups, low, seqs)
        below, read = low, rows
        rows = next_window_rows(rows, cap, len(seqs), max_rows)


def about(count: float) -> int:
    """An estimate rounded to two significant digits (12,345 -> 12,000)."""
    whole = round(count)
    if whole < 100:
        return whole
    step = 10 ** (len(str(whole)) - 2)
    return round(whole / step) * step
