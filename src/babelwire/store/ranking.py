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

The window's matches come back to Python with their scores and, when asked,
their facet columns; the page is sorted here, and the facets of the search
are counted over those matches (``Ranked.sample``) instead of looking for
them again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.store import pgpage
from babelwire.store.facetsample import Sample
from babelwire.store.fulltext import fts, search
from babelwire.store.pgpage import Conditions, bitmap_scans_only
from babelwire.store.seqspan import SeqSpan

#: bm25 weight of each items_fts column: headline, body, original headline,
#: original text, section, source name. A word in the headline says more
#: about what an item is about than one in a long body.
BM25_WEIGHTS = (4.0, 1.0, 2.0, 1.0, 1.0, 0.5)


@dataclass(frozen=True, slots=True)
class Ranked:
    #: Seqs of the page, best first.
    seqs: list[int]
    #: The matches scored, grouped by the columns asked for (facets are then
    #: counted over them, not looked for again); None when none were asked
    #: or every match was scored in the database (no window).
    sample: Sample | None = None


def sqlite_page(
    connection: Connection,
    source: sa.FromClause,
    where: Sequence[sa.ColumnElement[bool]],
    window: int | None,
    offset: int,
    count: int,
    columns: Sequence[sa.ColumnElement[Any]] = (),
) -> Ranked:
    """One relevance page; ``source`` joins ``items_fts`` and ``where``
    holds its MATCH. ``columns`` (of ``source``): grouped over the matches
    scored, when ``window`` bounds them."""
    weights = [sa.literal(weight) for weight in BM25_WEIGHTS]
    # bm25: the lower, the better.
    score = sa.func.bm25(sa.literal_column("items_fts"), *weights)
    newest = (
        sa.select(fts.c.rowid.label("seq"), score.label("score"), *_labelled(columns))
        .select_from(source)
        .where(*where)
        .order_by(fts.c.rowid.desc())
    )
    scored = _scored(connection, newest, window, offset, count)
    return _page(scored, window, offset, count, unread_below=None, grouped=bool(columns))


def pg_page(
    connection: Connection,
    conditions: Conditions,
    tsquery: sa.ColumnElement[Any],
    window: int | None,
    offset: int,
    count: int,
    span: SeqSpan | None,
    max_rows: int | None = None,
    columns: Sequence[str] = (),
) -> Ranked:
    """One relevance page from ``items_search``; ``max_rows`` bounds the
    rows read for the window (phrases, see ``pgpage``); ``columns`` (of
    ``items_search``) are grouped over the matches scored.

    The newest ``window`` matches are found and scored in one statement per
    window of rows (``pgpage``), which also says how many the window held."""
    rows = pgpage.first_window_rows(window, max_rows) if window is not None else 0
    while True:
        low = span.bound(rows) if span is not None and window is not None else None
        newest = sa.select(search.c.seq, search.c.tsv,
                           *[search.c[name] for name in columns]).where(*conditions(search))
        if low is not None:
            newest = newest.where(search.c.seq >= low)
        # ts_rank reads each vector again: only those of the window's matches.
        inner = (newest.order_by(search.c.seq.desc())
                 .limit(window + 1 if window is not None else None).subquery("newest"))
        score = (-sa.func.ts_rank(inner.c.tsv, tsquery)).label("score")
        outer = sa.select(inner.c.seq, score, *[inner.c[name] for name in columns])
        with bitmap_scans_only(connection):
            scored = _scored(connection, outer, window, offset, count)
        held = len(scored)
        if (window is None or low is None or held >= window
                or (max_rows is not None and rows >= max_rows)):
            # Rows below ``low`` (when set) were not read.
            return _page(scored, window, offset, count, low, bool(columns))
        rows = pgpage.next_window_rows(rows, window, held, max_rows)


def _labelled(columns: Sequence[sa.ColumnElement[Any]]) -> list[sa.ColumnElement[Any]]:
    return [column.label(f"group_{index}") for index, column in enumerate(columns)]


def _scored(
    connection: Connection,
    statement: sa.Select[Any],
    window: int | None,
    offset: int,
    count: int,
) -> list[tuple[Any, ...]]:
    """(seq, score, grouped values...) rows: of the newest ``window``
    matches and one more (which tells whether there are more), or, with no
    window, of the page only, sorted by the database, which scores every
    match."""
    if window is not None:
        return [tuple(row) for row in connection.execute(statement.limit(window + 1))]
    scored = statement.subquery("scored")
    ordered = (sa.select(scored).order_by(scored.c.score, scored.c.seq.desc())
               .limit(offset + count))
    return [tuple(row) for row in connection.execute(ordered)]


def _page(
    scored: list[tuple[Any, ...]],
    window: int | None,
    offset: int,
    count: int,
    unread_below: int | None,
    grouped: bool,
) -> Ranked:
    """The page of ``scored`` rows, best first (ties: newest first), and
    the groups of those scored: the newest ``window`` matches from the
    lowest seq scored up (``Sample.bound``) when there were more, else the
    matches from ``unread_below`` up (rows below it were not read), else
    all of them."""
    bound = unread_below
    if window is not None and len(scored) > window:
        scored = sorted(scored, key=lambda row: row[0], reverse=True)[:window]
        bound = scored[-1][0]
    best = sorted(scored, key=lambda row: (row[1], -row[0]))
    seqs = [row[0] for row in best[offset:offset + count]]
    if window is None or not grouped:
        return Ranked(seqs)
    groups = Counter(row[2:] for row in scored)
    return Ranked(seqs, Sample([(*key, number) for key, number in groups.items()], bound,
                               [row[0] for row in scored]))
