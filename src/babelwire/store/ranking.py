"""Best matches first, among the newest ones.

Scoring every match of a common word costs about 2 µs a match in SQLite
(bm25) and more in PostgreSQL (``ts_rank`` reads each row's vector): seconds
at a million items (``../shared/notes/search-at-scale.md``). A wire reader
asking for the best matches wants recent ones anyway, so only the newest
``window`` matches are scored: "most relevant among the latest 1,000". A
query with fewer matches than that has all of them scored, whatever their
age, so a rare word still finds its one old item.

The page after a relevance page is the next ``count`` of the same ranking:
the cursor carries how many were shown (``offset``), ties go newest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.store import pgpage
from babelwire.store.fulltext import fts, search
from babelwire.store.pgpage import Conditions, bitmap_scans_only
from babelwire.store.seqspan import SeqSpan

#: bm25 weight of each items_fts column: headline, body, original headline,
#: original text, section, source name. A word in the headline says more
#: about what an item is about than one in a long body.
BM25_WEIGHTS = (4.0, 1.0, 2.0, 1.0, 1.0, 0.5)


def sqlite_page(
    connection: Connection,
    source: sa.FromClause,
    where: Sequence[sa.ColumnElement[bool]],
    window: int | None,
    offset: int,
    count: int,
) -> list[int]:
    """Seqs of one relevance page; ``source`` joins ``items_fts`` and
    ``where`` holds its MATCH."""
    weights = [sa.literal(weight) for weight in BM25_WEIGHTS]
    score = sa.func.bm25(sa.literal_column("items_fts"), *weights)
    newest = (
        sa.select(fts.c.rowid.label("seq"), score.label("score"))
        .select_from(source)
        .where(*where)
        .order_by(fts.c.rowid.desc())
    )
    scored = (newest.limit(window) if window is not None else newest).subquery("scored")
    statement = (
        sa.select(scored.c.seq)
        .order_by(scored.c.score, scored.c.seq.desc())
        .offset(offset)
        .limit(count)
    )
    return list(connection.scalars(statement))


def pg_page(
    connection: Connection,
    conditions: Conditions,
    tsquery: sa.ColumnElement[Any],
    window: int | None,
    offset: int,
    count: int,
    span: SeqSpan | None,
    max_rows: int | None = None,
) -> list[int]:
    """Seqs of one relevance page from ``items_search``; ``max_rows``
    bounds the rows read for the window (phrases, see ``pgpage``).

    The newest ``window`` matches are found and ranked in one statement per
    window of rows (``pgpage``), which also says how many the window held."""
    rows = pgpage.first_window_rows(window, max_rows) if window is not None else 0
    while True:
        low = span.bound(rows) if span is not None and window is not None else None
        newest = sa.select(search.c.seq, search.c.tsv).where(*conditions(search))
        if low is not None:
            newest = newest.where(search.c.seq >= low)
        newest = newest.order_by(search.c.seq.desc())
        scored = (newest.limit(window) if window is not None else newest).subquery("newest")
        rank = sa.func.ts_rank(scored.c.tsv, tsquery)
        statement = (
            sa.select(scored.c.seq, sa.func.count().over())
            .order_by(rank.desc(), scored.c.seq.desc())
            # No OFFSET: the first row must come back to say how many matched.
            .limit(offset + count)
        )
        with bitmap_scans_only(connection):
            found = [tuple(row) for row in connection.execute(statement)]
        held = found[0][1] if found else 0
        if window is None or low is None or held >= window:
            return [seq for seq, _ in found[offset:]]
        if max_rows is not None and rows >= max_rows:
            return [seq for seq, _ in found[offset:]]
        rows = pgpage.next_window_rows(rows, window, held, max_rows)
