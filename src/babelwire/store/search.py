"""The one item query: filters, full-text search, facets and cursor paging.

Every surface (web pages, API, feeds, export) calls :func:`find_items` with
an ``ItemQuery``. Items come newest first by ``seq`` (the sources'
publication times, wire time breaking ties, see ``items.py``). Paging is
keyset on ``seq``: the cursor says "items older than this one", so an item
published while a reader pages never shifts a page, and no item is
repeated or skipped. The cursor also carries a fingerprint of the query's
filters, so a cursor used with another query is refused rather than silently mixing two lists.

At a million items a common word matches hundreds of thousands of them, so
a search reads only part of them (:class:`SearchLimits`): "relevance" order
scores the newest matches (``ranking``), and facets are counted over the
newest matches and estimated past them (``facetsample``, ``ItemPage.approximate``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from babelwire.model import Item
from babelwire.store import (
    enrichment,
    facetcounts,
    facetsample,
    fulltext,
    pgpage,
    ranking,
    seqspan,
)
from babelwire.store.itemrows import item_from_json
from babelwire.store.pgpage import Conditions
from babelwire.store.query import (
    ENRICH_FACETS,
    FACET_ATTRIBUTES,
    FACETS,
    ORDERS,
    CursorError,
    ItemPage,
    ItemQuery,
    Query,
    QueryError,
    parse,
    same_but_case,
)
from babelwire.store.rows import clean_text
from babelwire.store.schema import item_facet_counts, items

#: Most items one page may hold, whatever the query asks.
MAX_PAGE_ITEMS = 500


@dataclass(frozen=True, slots=True)
class SearchLimits:
    """How much of a large match set a search reads (None: all of it)."""

    #: Relevance is computed over this many newest matches.
    rank_window: int | None = 1000
    #: Facets are counted over this many newest matches; past it they are
    #: estimated and the page says so (``ItemPage.approximate``).
    facet_cap: int | None = 2000
    #: Country, topic and entity facets likewise (``enrichment.facet_counts``).
    enrich_window: int | None = enrichment.FACET_WINDOW


#: Every match ranked and counted: the straightforward query (benchmarks).
NO_LIMITS = SearchLimits(rank_window=None, facet_cap=None, enrich_window=None)
#: The limits of every search that names none (tests make them small).
DEFAULT_LIMITS = SearchLimits()


@dataclass(frozen=True, slots=True)
class _Found:
    """What finding the page learnt about the query's own matches, which
    their counts then use rather than search again."""

    #: The seqs of every match, when the first page holds them all.
    every: list[int] | None = None
    #: The groups of the matches a relevance page scored.
    scored: facetsample.Sample | None = None
    #: (rows tested, matches among them), newest first (PostgreSQL): how
    #: common the match is (``pgpage.next_window``).
    rate: tuple[int, int] | None = None


#: ItemQuery attribute -> column it filters (same name in items and items_search).
_FILTER_COLUMNS = {
    "region": "region",
    "source_id": "source_id",
    "language": "original_language",
    "section": "section",
}
#: Facet name -> column counted.
_FACET_COLUMNS = {
    "region": "region",
    "source": "source_id",
    "language": "original_language",
    "section": "section",
}


def find_items(
    connection: Connection, query: ItemQuery, limits: SearchLimits | None = None
) -> ItemPage:
    """Raises ``ParseError`` for malformed search text and ``CursorError`` for
    a cursor this query did not make (both are ``QueryError``)."""
    limits = limits or DEFAULT_LIMITS
    text = clean_text(query.text).strip() if query.text else ""
    parsed = parse(text) if text else None
    fingerprint = _fingerprint(query, text)
    limit = max(1, min(query.limit, MAX_PAGE_ITEMS))
    after = read_cursor(query.cursor, fingerprint) if query.cursor else None
    conditions = _conditions(connection, query, parsed)
    # Read only where windows or estimates need it (three index lookups).
    needs_span = query.with_facets or _on_pg_search(connection, parsed)
    span = seqspan.seq_span(connection) if needs_span and limits != NO_LIMITS else None
    unread_below = None
    scored = rate = None
    if _by_relevance(query, parsed):
        assert parsed is not None
        # A relevance cursor carries how many items were shown before.
        shown = after or 0
        ranked = _ranked(connection, conditions, parsed, limits, span, shown, limit + 1,
                         query.with_facets)
        seqs, scored = ranked.seqs, ranked.sample
        next_after = shown + limit
    elif _on_pg_search(connection, parsed):
        matches = pgpage.page_seqs(connection, conditions, after, limit + 1, span,
                                   _max_rows(parsed, limits))
        seqs, unread_below, rate = matches.seqs, matches.unread_below, matches.rate
    else:
        seqs = _page_seqs(connection, conditions, parsed, after, limit + 1)
    if not _by_relevance(query, parsed):
        next_after = seqs[limit - 1] if len(seqs) > limit else 0
    more = len(seqs) > limit
    if not more and unread_below is not None:
        # A phrase read part of the wire: the next page goes on below it.
        more, next_after = True, unread_below
    found = _items_by_seq(connection, seqs[:limit])
    page = [(seq, found[seq]) for seq in seqs[:limit] if seq in found]
    next_cursor = make_cursor(next_after, fingerprint) if more else None
    snippets: dict[str, str] = {}
    if parsed is not None:
        by_seq = fulltext.snippets(connection, parsed, [seq for seq, _ in page])
        snippets = {item.id: by_seq[seq] for seq, item in page if seq in by_seq}
    facets: dict[str, tuple[tuple[str, int], ...]] = {}
    total = None
    bound = None
    estimated = False
    if query.with_facets:
        every = _every_match(connection, query, parsed, limits, after, more, seqs)
        known = _Found(every, scored, rate)
        facets, total, bound, read = _facets(connection, query, parsed, limits, span, known)
        enriched, estimated = _enrich_facets(connection, query, parsed, limits, bound, span, read)
        facets.update(enriched)
        if bound is not None:
            # A window of the newest items may hold fewer matches than the
            # page found below it: the estimate is at least what is shown.
            total = max(total, len(page) + int(more))
    return ItemPage(
        items=tuple(item for _, item in page),
        next_cursor=next_cursor,
        facets=facets,
        snippets=snippets,
        total=total,
        approximate=bound is not None or estimated,
        enrichments=enrichment.load(connection, [item.document_id for _, item in page]),
    )


def _every_match(
    connection: Connection,
    query: ItemQuery,
    parsed: Query | None,
    limits: SearchLimits,
    after: int | None,
    more: bool,
    seqs: list[int],
) -> list[int] | None:
    """The seqs of every match when the first page holds them all, else
    None. Facets are then counted over those items, exactly, instead of
    searching again: a rare phrase of common words is found only after
    checking the positions of most of the wire, and the counts would do it
    twice more (or estimate from a window that holds none of it)."""
    if after is not None or more:
        return None
    # A relevance page on PostgreSQL may have stopped at a phrase's row
    # bound (``pgpage``) short of a full page; every other page that is not
    # full read every row below it.
    if (_by_relevance(query, parsed) and connection.dialect.name == "postgresql"
            and _max_rows(parsed, limits) is not None):
        return None
    return seqs


def _by_relevance(query: ItemQuery, parsed: Query | None) -> bool:
    if query.order not in ORDERS:
        raise QueryError(f"unknown order {query.order[:40]!r}: use one of {', '.join(ORDERS)}")
    # Only required terms can be scored; without them the list is newest first.
    return query.order == "relevance" and parsed is not None and bool(parsed.required)


def _ranked(
    connection: Connection,
    conditions: Conditions,
    parsed: Query,
    limits: SearchLimits,
    span: seqspan.SeqSpan | None,
    shown: int,
    count: int,
    grouped: bool,
) -> ranking.Ranked:
    """One relevance page, and with ``grouped``, the facet columns of the
    matches it scored (``ranking.Ranked.sample``)."""
    window = limits.rank_window
    names = list(_FACET_COLUMNS.values()) if grouped else []
    if connection.dialect.name == "postgresql":
        tsquery = fulltext.pg_tsquery(parsed)
        assert tsquery is not None
        return ranking.pg_page(connection, conditions, tsquery, window, shown, count, span,
                               _max_rows(parsed, limits), names)
    source, _ = _items_source(parsed)
    where = [*conditions(items), *_fts5_conditions(parsed)]
    return ranking.sqlite_page(connection, source, where, window, shown, count,
                               [items.c[name] for name in names])


def _max_rows(parsed: Query | None, limits: SearchLimits) -> int | None:
    """Most rows a PostgreSQL search reads: bounded for phrases (``pgpage``)."""
    if limits == NO_LIMITS:  # the straightforward query reads all
        return None
    return pgpage.PHRASE_WINDOW_ROWS if _has_phrase(parsed) else None


def _has_phrase(parsed: Query | None) -> bool:
    """Whether a term has several tokens (a phrase, or a CJK word), which
    the index must check word positions for."""
    if parsed is None:
        return False
    terms = [term for group in parsed.required for term in group.terms] + list(parsed.excluded)
    return any(len(term.tokens) > 1 for term in terms)


def _on_pg_search(connection: Connection, parsed: Query | None) -> bool:
    """Whether the query is answered from ``items_search`` (``pgpage``)."""
    return connection.dialect.name == "postgresql" and parsed is not None and parsed.has_text


def _conditions(connection: Connection, query: ItemQuery, parsed: Query | None) -> Conditions:
    """A builder of the query's conditions on ``items`` (or, on PostgreSQL
    with search text, on ``items_search`` or a subquery of it)."""
    tsquery = None
    if connection.dialect.name == "postgresql" and parsed is not None:
        tsquery = fulltext.pg_tsquery(parsed)

    wanted = _wanted(connection, query, parsed)

    def build(table: sa.FromClause) -> list[sa.ColumnElement[bool]]:
        conditions = _filters(table, query, wanted)
        conditions += enrichment.item_conditions(table, query, parsed)
        if tsquery is not None:
            conditions.append(table.c.tsv.op("@@")(tsquery))
        return conditions

    return build


def _page_seqs(
    connection: Connection,
    conditions: Conditions,
    parsed: Query | None,
    after: int | None,
    count: int,
) -> list[int]:
    """Seqs of one page from ``items`` (and FTS5 on SQLite), newest first."""
    source, order = _items_source(parsed)
    statement = (
        sa.select(order).select_from(source).where(*conditions(items), *_fts5_conditions(parsed))
    )
    if after is not None:
        statement = statement.where(order < after)
    return list(connection.scalars(statement.order_by(order.desc()).limit(count)))


def _items_source(parsed: Query | None) -> tuple[sa.FromClause, sa.ColumnElement[int]]:
    """What a query on ``items`` reads, and its order column."""
    if parsed is None or fulltext.fts5_required(parsed) is None:
        return items, items.c.seq
    # The FTS5 table drives the query and its rowid (= seq) gives the order,
    # so "newest matches first" stops after one page instead of sorting all.
    joined = fulltext.fts.join(items, items.c.seq == fulltext.fts.c.rowid)
    return joined, fulltext.fts.c.rowid


def _fts5_conditions(parsed: Query | None) -> list[sa.ColumnElement[bool]]:
    """The FTS5 conditions of the search text (none without text, hence none
    on PostgreSQL, whose text searches go through ``pgpage``)."""
    if parsed is None or not parsed.has_text:
        return []
    required = fulltext.fts5_required(parsed)
    if required is not None:
        return [fulltext.fts5_match(required)]
    # Only exclusions: every item but those that match one of them.
    excluded = fulltext.fts5_excluded(parsed)
    assert excluded is not None
    matching = sa.select(fulltext.fts.c.rowid).where(fulltext.fts5_match(excluded))
    return [items.c.seq.not_in(matching)]


def _items_by_seq(connection: Connection, seqs: Sequence[int]) -> dict[int, Item]:
    if not seqs:
        return {}
    query = sa.select(items.c.seq, items.c.data).where(items.c.seq.in_(list(seqs)))
    return {seq: item_from_json(data) for seq, data in connection.execute(query)}


def _stored_values(connection: Connection, column: str) -> list[str]:
    """Every value of a facet column that some item has (a small table)."""
    table = item_facet_counts.c
    return [value for value in connection.scalars(sa.select(table[column]).distinct()) if value]


#: Column -> every group of values it must match (one of each group).
Wanted = dict[str, list[tuple[str, ...]]]


def _wanted(connection: Connection, query: ItemQuery, parsed: Query | None) -> Wanted:
    """The facet filters of the query and of its search text, resolved to
    stored values. Resolving here rather than with ``lower()`` in SQL keeps
    the indexes usable and folds case beyond ASCII on SQLite too."""
    wanted: Wanted = {}
    for attribute, name in _FILTER_COLUMNS.items():
        groups = [tuple(clean_text(value) for value in query.values(attribute))]
        typed = parsed.field(attribute) if parsed is not None else None
        if typed is not None:
            groups.append((typed,))
        groups = [group for group in groups if group]
        if groups:
            stored = _stored_values(connection, name)
            wanted[name] = [same_but_case(group, stored) for group in groups]
    return wanted


def _filters(
    table: sa.FromClause, query: ItemQuery, wanted: Wanted
) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    for name, groups in wanted.items():
        conditions.extend(table.c[name].in_(group) for group in groups)
    if query.since is not None:
        conditions.append(table.c.dated_at >= query.since)
    if query.until is not None:
        conditions.append(table.c.dated_at < query.until)
    return conditions


def _facets(
    connection: Connection,
    query: ItemQuery,
    parsed: Query | None,
    limits: SearchLimits,
    span: seqspan.SeqSpan | None,
    found: _Found,
) -> tuple[dict[str, tuple[tuple[str, int], ...]], int, int | None, list[int] | None]:
    """Counts per facet value, the size of the filtered set, the lowest
    seq counted when they are estimates (``facetsample``), else None, and
    the seqs of the matches counted (from that seq up), when known and every
    facet was counted over the query's own matches, which ``found`` tells
    about.

    A facet with values chosen is counted as if it were free (the other
    filters still apply), so that its list keeps the values one may add;
    every other facet is counted over the filtered set."""
    counted: dict[ItemQuery, dict[str, dict[str, int]]] = {}
    facets: dict[str, tuple[tuple[str, int], ...]] = {}
    total = 0
    bound = None
    seqs = None
    for name in FACETS:
        attribute = FACET_ATTRIBUTES[name]
        asked = query.without(attribute) if query.values(attribute) else query
        if asked not in counted:
            counted[asked], size, lowest, read = _count_groups(
                connection, asked, parsed, limits, span, found if asked == query else _Found())
            bound = bound if lowest is None else max(lowest, bound or lowest)
            if asked == query:
                total, seqs = size, read
        facets[name] = tuple(sorted(counted[asked][name].items(),
                                    key=lambda pair: (-pair[1], pair[0])))
    if query not in counted:
        _, total, lowest, _ = _count_groups(connection, query, parsed, limits, span, found)
        bound = bound if lowest is None else max(lowest, bound or lowest)
    return facets, total, bound, seqs if len(counted) == 1 else None


def _count_groups(
    connection: Connection,
    query: ItemQuery,
    parsed: Query | None,
    limits: SearchLimits,
    span: seqspan.SeqSpan | None,
    found: _Found,
) -> tuple[dict[str, dict[str, int]], int, int | None, list[int] | None]:
    """Counts per value of every facet over the query's items, their number,
    and the lowest seq counted when both are estimates, in one grouped pass (the groups are
    few: sources times sections). A list filtered by facet values only is
    read from ``facetcounts``; a relevance search's, from the matches it
    scored (``found.scored``); others are counted over the newest
    ``limits.facet_cap`` matches (``facetsample``)."""
    names = list(_FACET_COLUMNS.values())
    conditions = _conditions(connection, query, parsed)
    bound = None
    every, scored = found.every, found.scored
    seqs = every
    if scored is not None:
        groups: list[Any] = scored.groups
        bound, seqs = scored.bound, scored.seqs
    elif every is not None:
        columns = [items.c[name] for name in names]
        statement = (sa.select(*columns, sa.func.count()).where(items.c.seq.in_(every))
                     .group_by(*columns))
        groups = list(connection.execute(statement))
    elif (parsed is None and query.since is None and query.until is None
            and not enrichment.filtered(query, parsed)):
        groups = facetcounts.counted(connection, _wanted(connection, query, parsed))
    elif limits.facet_cap is not None:
        sample = _sample(connection, names, conditions, parsed, limits.facet_cap, span,
                         found.rate)
        groups, bound, seqs = sample.groups, sample.bound, sample.seqs
    elif _on_pg_search(connection, parsed):
        groups = pgpage.facet_rows(connection, names, conditions)
    else:
        source, _ = _items_source(parsed)
        columns = [items.c[name] for name in names]
        statement = (
            sa.select(*columns, sa.func.count())
            .select_from(source)
            .where(*conditions(items), *_fts5_conditions(parsed))
            .group_by(*columns)
        )
        groups = list(connection.execute(statement))
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    total = 0
    for *values, count in groups:
        total += count
        for name, value in zip(_FACET_COLUMNS, values, strict=True):
            if value is not None:
                counts[name][value] = counts[name].get(value, 0) + count
    if bound is None or span is None:
        return counts, total, None, seqs
    scale = 1 / span.share(bound)
    estimated = {name: {value: facetsample.about(count * scale) for value, count in values.items()}
                 for name, values in counts.items()}
    return estimated, facetsample.about(total * scale), bound, seqs


def _sample(
    connection: Connection,
    names: list[str],
    conditions: Conditions,
    parsed: Query | None,
    cap: int,
    span: seqspan.SeqSpan | None,
    rate: tuple[int, int] | None = None,
) -> facetsample.Sample:
    if _on_pg_search(connection, parsed):
        phrase_rows = pgpage.PHRASE_FACET_ROWS if _has_phrase(parsed) else None
        return facetsample.pg_windows(connection, names, conditions, cap, span, phrase_rows,
                                      rate)
    source, order = _items_source(parsed)
    columns = [items.c[name] for name in names]
    matches = (
        sa.select(*columns).select_from(source).where(*conditions(items), *_fts5_conditions(parsed))
    )
    low = None
    if span is not None and _has_phrase(parsed):
        low = span.bound(facetsample.SQLITE_PHRASE_ROWS)
    return facetsample.newest(connection, matches, order, columns, cap, span, low)


def _matched_seqs(
    connection: Connection, query: ItemQuery, parsed: Query | None, bound: int | None
) -> sa.Select[Any]:
    """The seqs of every item the query matches (from ``bound`` up, when
    given), as a subquery."""
    conditions = _conditions(connection, query, parsed)
    if _on_pg_search(connection, parsed):
        table = fulltext.search
        matched = sa.select(table.c.seq).where(*conditions(table))
        return matched if bound is None else matched.where(table.c.seq >= bound)
    source, order = _items_source(parsed)
    matched = (sa.select(order).select_from(source)
               .where(*conditions(items), *_fts5_conditions(parsed)))
    return matched if bound is None else matched.where(order >= bound)


def _listed_seqs(connection: Connection, seqs: list[int]) -> sa.Select[Any]:
    """A select of the given seqs: one array parameter on PostgreSQL."""
    if connection.dialect.name == "postgresql":
        # As one array literal: the driver quoted each of thousands of
        # numbers as it dumped a list (5 ms a search).
        text = sa.bindparam(None, "{" + ",".join(map(str, seqs)) + "}", sa.Text)
        listed = sa.cast(text, postgresql.ARRAY(sa.BigInteger))
        return sa.select(sa.func.unnest(listed).column_valued("seq"))
    return sa.select(items.c.seq).where(items.c.seq.in_(seqs))


def _enrich_facets(
    connection: Connection,
    query: ItemQuery,
    parsed: Query | None,
    limits: SearchLimits,
    bound: int | None,
    span: seqspan.SeqSpan | None,
    seqs_read: list[int] | None = None,
) -> tuple[dict[str, tuple[tuple[str, int], ...]], bool]:
    """Counts per country, topic and entity (store/enrichment.py), and
    whether any is an estimate; a facet with values chosen is counted as if
    free, as in :func:`_facets`. When the other facets were estimated, these
    are counted over the same newest part of the wire and estimated alike;
    so are they when more items match than ``limits.enrich_window``.
    ``seqs_read``: the seqs of the query's matches from ``bound`` up, when
    the other facets read them (the match is then not tested again: a
    common word or a phrase costs tens of milliseconds a window on
    PostgreSQL)."""
    # Facets whose list is the same (none of them chosen) are counted together.
    asked: dict[ItemQuery, list[str]] = {}
    for name in ENRICH_FACETS:
        asked.setdefault(query.without(name), []).append(name)
    counts: dict[str, enrichment.FacetCount] = {}
    for free, names in asked.items():
        if seqs_read is not None and free == query:
            matched = _listed_seqs(connection, seqs_read)
            # The planner sees the list and looks each seq up in an index:
            # bitmap scans took four times as long.
            scans: AbstractContextManager[None] = nullcontext()
        else:
            matched = _matched_seqs(connection, free, parsed, bound)
            scans = _bitmap_scans(connection, parsed)
        with scans:
            counts.update(enrichment.facet_counts(connection, names, matched,
                                                  limits.enrich_window))
    facets: dict[str, tuple[tuple[str, int], ...]] = {}
    estimated = False
    for name in ENRICH_FACETS:
        counted = counts[name]
        lowest = counted.bound if counted.bound is not None else bound
        if lowest is None or span is None:
            facets[name] = counted.values
            continue
        scale = 1 / span.share(lowest)
        facets[name] = tuple((value, facetsample.about(count * scale))
                             for value, count in counted.values)
        estimated = True
    return facets, estimated


@contextmanager
def _bitmap_scans(connection: Connection, parsed: Query | None) -> Iterator[None]:
    """On a PostgreSQL text search, the newest matches found by bitmap scans:
    left to itself, the planner walks ``items_search`` backwards by seq for
    a rare word, reading every row's tsvector (a second at 100,000 items)."""
    if not _on_pg_search(connection, parsed):
        yield
        return
    with pgpage.bitmap_scans_only(connection):
        yield


def _fingerprint(query: ItemQuery, text: str) -> str:
    filters: list[object] = [text]
    filters += [sorted(query.values(attribute)) for attribute in _FILTER_COLUMNS]
    if enrichment.filtered(query, None):
        filters += [sorted(query.values(attribute)) for attribute in ENRICH_FACETS]
    filters += [moment.isoformat() if moment else None for moment in (query.since, query.until)]
    if query.order != "newest":  # newest-first cursors made before orders existed stay valid
        filters.append(query.order)
    digest = hashlib.sha256(json.dumps(filters, ensure_ascii=False).encode()).hexdigest()
    return digest[:12]


def make_cursor(seq: int, fingerprint: str) -> str:
    raw = json.dumps({"after": seq, "query": fingerprint}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def read_cursor(cursor: str, fingerprint: str) -> int:
    """The seq a cursor continues after; CursorError when it is not one of
    this query's cursors."""
    damaged = CursorError(
        f"the page link (cursor {cursor[:40]!r}) is damaged: start again from the first page"
    )
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        seq, made_for = data["after"], data["query"]
    except (ValueError, binascii.Error, KeyError, TypeError, UnicodeError):
        raise damaged from None
    if not isinstance(seq, int) or isinstance(seq, bool) or not -(2**63) <= seq < 2**63:
        raise damaged
    if made_for != fingerprint:
        raise CursorError(f"the page link (cursor {cursor[:40]!r}) belongs to another list: "
                          "start again from the first page")
    return seq
