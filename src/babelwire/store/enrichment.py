"""What the enrich stage found, per document: saved, read back, filtered on.

Store API (``Store`` methods, each one transaction):

- ``save_enrichment(enrichment, input_key=...)`` replaces everything stored
  for the document with ``enrichment`` (places, entities, topics, quotes) and
  marks it enriched from ``input_key``; saving the same again changes no row,
  so a reprocess or a retried task converges.
- ``record_enrichment_failure(document_id, reason, input_key=...)`` keeps the
  stage's error, and the rows of an earlier enrichment, if any.
- ``enrichment(document_id)`` / ``enrichments(document_ids)`` read
  :class:`~babelwire.enrich.records.Enrichment` records back, exactly as
  saved (mentions included); documents never enriched are absent.
- ``enrichment_keys(document_ids)`` gives the ``input_key`` each document was
  enriched (or failed) from, so a runner enriches only what changed.

Items are filtered by country (ISO 3166-1 alpha-2), entity (key or name)
and topic (``medtop:…`` code, bare code or name) through
:func:`item_conditions`, and counted per value by :func:`facet_counts`; both
reach the enrichment through ``items.document_id``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.enrich import records
from babelwire.enrich.records import Enrichment, Entity, Mention, Place, Quote, Topic
from babelwire.store.engine import upsert_insert
from babelwire.store.items import chunks
from babelwire.store.query import ENRICH_FACETS, ItemQuery, Query
from babelwire.store.rows import clean
from babelwire.store.schema import (
    document_enrichment,
    document_entities,
    document_places,
    document_quotes,
    document_topics,
    items,
)

#: The tables that hold one document's findings, replaced together.
FINDINGS = (document_places, document_entities, document_topics, document_quotes)

#: Facet name (= its ItemQuery attribute) -> (table, counted column).
FACET_TABLES: dict[str, tuple[sa.Table, str]] = {
    "country": (document_places, "country_code"),
    "topic": (document_topics, "code"),
    "entity": (document_entities, "name"),
}
#: Most values listed per enrichment facet: a page shows the leading names,
#: and thousands of rule-found names would only slow the count's answer.
MAX_FACET_VALUES = 30
#: The enrichment facets are counted over this many of the newest matches:
#: what a wire is about now, at a bounded cost (the front page asks on every
#: visit, and a million items joined to their places take seconds). A list
#: with fewer matches is counted whole; one with more is estimated from them
#: (``search._enrich_facets``). ``search.SearchLimits.enrich_window`` passes it.
FACET_WINDOW = 20_000

TOPIC_PREFIX = "medtop:"


# -- writing -------------------------------------------------------------------


def save(connection: Connection, enrichment: Enrichment, input_key: str, at: datetime) -> None:
    doc_id = enrichment.document_id
    for table in FINDINGS:
        connection.execute(sa.delete(table).where(table.c.document_id == doc_id))
    rows: list[tuple[sa.Table, list[dict[str, Any]]]] = [
        (document_places, [_place_row(doc_id, n, p) for n, p in enumerate(enrichment.places)]),
        (document_entities,
         [_entity_row(doc_id, n, e) for n, e in enumerate(_unique(enrichment.entities))]),
        (document_topics, [{"document_id": doc_id, "code": t.code, "rank": n, "name": t.name,
                            "score": t.score} for n, t in enumerate(enrichment.topics)]),
        (document_quotes, [_quote_row(doc_id, n, q) for n, q in enumerate(enrichment.quotes)]),
    ]
    for table, values in rows:
        if values:
            connection.execute(sa.insert(table), clean(values))
    _mark(connection, doc_id, input_key, at, None)


def record_failure(connection: Connection, doc_id: str, reason: str, input_key: str,
                   at: datetime) -> None:
    _mark(connection, doc_id, input_key, at, reason)


def _mark(connection: Connection, doc_id: str, input_key: str, at: datetime,
          error: str | None) -> None:
    row = clean({"document_id": doc_id, "input_key": input_key, "enriched_at": at,
                 "error": error})
    insert = upsert_insert(connection, document_enrichment).values(row)
    connection.execute(insert.on_conflict_do_update(
        index_elements=[document_enrichment.c.document_id],
        set_={name: insert.excluded[name] for name in row if name != "document_id"},
    ))


def _unique(entities: Sequence[Entity]) -> list[Entity]:
    # The key is the row's identity; the stage keys each entity once, but a
    # repeated key must not fail the whole save.
    return list({e.key: e for e in reversed(entities)}.values())[::-1]


def _mentions(mentions: Sequence[Mention]) -> list[list[Any]]:
    return [[m.side.value, m.block, m.start, m.end, m.surface] for m in mentions]


def _place_row(doc_id: str, rank: int, place: Place) -> dict[str, Any]:
    return {"document_id": doc_id, "place_key": place.key, "rank": rank, "kind": place.kind,
            "name": place.name, "country_code": place.country_code,
            "latitude": place.latitude, "longitude": place.longitude,
            "mentions": _mentions(place.mentions)}


def _entity_row(doc_id: str, rank: int, entity: Entity) -> dict[str, Any]:
    return {"document_id": doc_id, "entity_key": entity.key, "rank": rank,
            "kind": entity.kind.value, "name": entity.name,
            "mentions": _mentions(entity.mentions)}


def _quote_row(doc_id: str, position: int, quote: Quote) -> dict[str, Any]:
    return {"document_id": doc_id, "position": position, "text": quote.text,
            "english": quote.english, "original_sentence": quote.original_sentence,
            "sentence": quote.sentence, "block": quote.block, "speaker": quote.speaker,
            "speaker_key": quote.speaker_key}


# -- reading -------------------------------------------------------------------


def load(connection: Connection, doc_ids: Iterable[str]) -> dict[str, Enrichment]:
    """The enrichment of each document that has one (a failed one has none)."""
    found: dict[str, dict[str, list[Any]]] = {}
    for part in chunks(sorted(set(doc_ids))):
        status = sa.select(document_enrichment.c.document_id).where(
            document_enrichment.c.document_id.in_(part), document_enrichment.c.error.is_(None))
        for doc_id in connection.scalars(status):
            found[doc_id] = {"places": [], "entities": [], "topics": [], "quotes": []}
        ids = [doc_id for doc_id in part if doc_id in found]
        if not ids:
            continue
        for name, table, order in (("places", document_places, "rank"),
                                   ("entities", document_entities, "rank"),
                                   ("topics", document_topics, "rank"),
                                   ("quotes", document_quotes, "position")):
            query = (sa.select(table).where(table.c.document_id.in_(ids))
                     .order_by(table.c.document_id, table.c[order]))
            for row in connection.execute(query):
                found[row.document_id][name].append(row)
    return {doc_id: _enrichment(doc_id, rows) for doc_id, rows in found.items()}


def input_keys(connection: Connection, doc_ids: Iterable[str]) -> dict[str, str]:
    keys: dict[str, str] = {}
    table = document_enrichment.c
    for part in chunks(sorted(set(doc_ids))):
        query = sa.select(table.document_id, table.input_key).where(table.document_id.in_(part))
        keys.update({doc_id: key for doc_id, key in connection.execute(query)})
    return keys


def _enrichment(doc_id: str, rows: dict[str, list[Any]]) -> Enrichment:
    return Enrichment(
        document_id=doc_id,
        places=tuple(Place(r.place_key, r.kind, r.name, r.country_code, r.latitude,
                           r.longitude, _mentions_of(r.mentions)) for r in rows["places"]),
        entities=tuple(Entity(r.entity_key, records.EntityKind(r.kind), r.name,
                              _mentions_of(r.mentions)) for r in rows["entities"]),
        topics=tuple(Topic(r.code, r.name, r.score) for r in rows["topics"]),
        quotes=tuple(Quote(r.text, r.english, r.original_sentence, r.block, r.speaker,
                           r.speaker_key, r.sentence) for r in rows["quotes"]),
    )


def _mentions_of(value: list[list[Any]]) -> tuple[Mention, ...]:
    return tuple(Mention(records.Side(side), block, start, end, surface)
                 for side, block, start, end, surface in value)


# -- filters and facets ----------------------------------------------------------


def normalized(attribute: str, values: Sequence[str]) -> tuple[str, ...]:
    """Filter values as stored: country codes in capitals, topic codes with
    their ``medtop:`` prefix (a bare code is taken too)."""
    if attribute == "country":
        return tuple(v.strip().upper() for v in values)
    if attribute == "topic":
        return tuple(f"{TOPIC_PREFIX}{v.strip()}" if v.strip().isdigit()
                     else v.strip() for v in values)
    return tuple(v.strip() for v in values)


def _matching(attribute: str, values: Sequence[str]) -> sa.ColumnElement[bool]:
    """Documents whose enrichment has one of ``values`` for ``attribute``."""
    wanted = normalized(attribute, values)
    if attribute == "country":
        return document_places.c.country_code.in_(wanted)
    if attribute == "topic":
        # Names are few and fixed (the IPTC top level): matched without case.
        folded = [v.casefold() for v in wanted]
        return sa.or_(sa.func.lower(document_topics.c.code).in_(folded),
                      sa.func.lower(document_topics.c.name).in_(folded))
    return sa.or_(document_entities.c.entity_key.in_(wanted),
                  document_entities.c.name.in_(wanted))


def _asked(query: ItemQuery, parsed: Query | None) -> list[tuple[str, tuple[str, ...]]]:
    """(attribute, values) of each enrichment filter of the query and of its
    search text (``country:FR``); every group must match."""
    asked = [(name, query.values(name)) for name in ENRICH_FACETS if query.values(name)]
    if parsed is not None:
        asked += [(name, (typed,)) for name in ENRICH_FACETS
                  if (typed := parsed.field(name)) is not None]
    return asked


def filtered(query: ItemQuery, parsed: Query | None) -> bool:
    """Whether the query filters on anything the enrich stage found."""
    return bool(_asked(query, parsed))


def item_conditions(table: sa.FromClause, query: ItemQuery,
                    parsed: Query | None) -> list[sa.ColumnElement[bool]]:
    """The query's enrichment filters on ``table`` (``items``, ``items_search``
    or a subquery of either: anything with ``seq``)."""
    return [_item_condition(table, name, values) for name, values in _asked(query, parsed)]


def _item_condition(table: sa.FromClause, attribute: str,
                    values: Sequence[str]) -> sa.ColumnElement[bool]:
    """Items whose document matches one of ``values``."""
    findings, _ = FACET_TABLES[attribute]
    matched = (sa.select(items.c.seq)
               .join(findings, findings.c.document_id == items.c.document_id)
               .where(_matching(attribute, values)))
    return table.c.seq.in_(matched)


@dataclass(frozen=True, slots=True)
class FacetCount:
    #: (value, number of items), most frequent first.
    values: tuple[tuple[str, int], ...]
    #: The lowest seq counted when the window held fewer items than matched
    #: (the counts are then a part of the whole); None when all were counted.
    bound: int | None = None


def facet_counts(connection: Connection, facets: Sequence[str], matched_seqs: sa.Select[Any],
                 window: int | None = FACET_WINDOW) -> dict[str, FacetCount]:
    """Counts of each of ``facets`` over the newest ``window`` items whose
    ``seq`` ``matched_seqs`` selects (over all of them when None).

    One statement: the window is read once (a common table expression used
    by every facet, which both databases then compute once) and joined to
    each facet's table. Reading the window is what costs (a common word's
    matches, newest first); three facets read it once instead of three times.
    A full window counts ``window + 1`` items, whose oldest seq is the bound.
    """
    seq = matched_seqs.selected_columns[0]
    newest = matched_seqs if window is None else (
        matched_seqs.order_by(seq.desc()).limit(window + 1))
    # Each match's document looked up by its seq (ix_items_seq_document):
    # joined or with IN, PostgreSQL hashed the seq of every item instead.
    window_seqs = newest.subquery("window_seqs")
    window_seq = next(iter(window_seqs.c))
    document = sa.select(items.c.document_id).where(items.c.seq == window_seq).scalar_subquery()
    counted = (sa.select(window_seq.label("seq"), document.label("document_id"))
               .select_from(window_seqs).cte("counted_window"))
    no_text = sa.cast(sa.null(), sa.Text)
    # The first row says how many items the window held and its oldest seq.
    parts: list[Any] = [sa.select(sa.literal_column("''"), no_text,
                                             sa.func.count(), sa.func.min(counted.c.seq))]
    for facet in facets:
        findings, column = FACET_TABLES[facet]
        value = findings.c[column]
        parts.append(
            sa.select(sa.literal_column(f"'{facet}'"), sa.cast(value, sa.Text),
                      sa.func.count(sa.distinct(counted.c.seq)),
                      sa.cast(sa.null(), sa.BigInteger))
            .select_from(counted.join(findings, findings.c.document_id == counted.c.document_id))
            .group_by(value))
    rows = list(connection.execute(sa.union_all(*parts)))
    held, lowest = next((int(n), low) for name, _, n, low in rows if name == "")
    bound = int(lowest) if window is not None and held > window else None
    found: dict[str, list[tuple[str, int]]] = {facet: [] for facet in facets}
    for name, value, n, _ in rows:
        if name and value is not None:
            found[name].append((str(value), int(n)))
    return {facet: FacetCount(tuple(sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
                                    [:MAX_FACET_VALUES]), bound)
            for facet, pairs in found.items()}
