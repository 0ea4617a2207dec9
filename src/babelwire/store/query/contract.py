"""The one query shape shared by the web UI, the JSON API, the feeds and export.

Every surface turns its request into an :class:`ItemQuery`, asks the store for
an :class:`ItemPage`, and renders it; none of them builds SQL or filters
items itself, so a filter means the same thing on every surface. A query the
store cannot answer because of what was asked raises :class:`QueryError`,
whose ``reason`` is written for the person who asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from babelwire.enrich.records import Enrichment
from babelwire.errors import BabelwireError
from babelwire.model import Item

#: Facets counted for every query, in the order the UI shows them.
FACETS = ("region", "source", "language", "section")
#: Facet name -> the ItemQuery attribute that filters on it.
FACET_ATTRIBUTES = {"region": "region", "source": "source_id", "language": "language",
                    "section": "section"}
#: Facets of what the enrich stage found, counted after those of FACETS; the
#: attribute of each has the facet's own name.
ENRICH_FACETS = ("country", "topic", "entity")

#: A facet filter: one value, several (any of them matches), or None for any.
FacetValues = str | tuple[str, ...] | None

#: How a list is ordered: newest first, or the best matches of the search
#: text first (among the recent ones, see ``store/search.py``).
ORDERS = ("newest", "relevance")


@dataclass(frozen=True, slots=True)
class ItemQuery:
    """Facet filters match case-insensitively; several values of one facet
    mean any of them, and different facets must all match."""

    #: Search text in the syntax of ``store/query/syntax.py``; None lists all.
    text: str | None = None
    region: FacetValues = None
    source_id: FacetValues = None
    #: The original language (ISO 639-1).
    language: FacetValues = None
    section: FacetValues = None
    #: Enrichment filters (store/enrichment.py): ISO 3166-1 alpha-2 code of a
    #: place named; entity key or canonical name; IPTC Media Topic code or name.
    country: FacetValues = None
    entity: FacetValues = None
    topic: FacetValues = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 50
    #: Opaque cursor from a previous page's ``next_cursor``.
    cursor: str | None = None
    with_facets: bool = False
    #: One of :data:`ORDERS`; "relevance" without search text lists newest first.
    order: str = "newest"

    def values(self, attribute: str) -> tuple[str, ...]:
        """The values asked for one facet attribute (``region``, ``source_id``...)."""
        value = getattr(self, attribute)
        if value is None:
            return ()
        return (value,) if isinstance(value, str) else tuple(value)

    def without(self, attribute: str) -> ItemQuery:
        """The same query with one facet left free (for that facet's counts)."""
        free: dict[str, FacetValues] = {attribute: None}
        return replace(self, **free)  # type: ignore[arg-type]  # only facet attributes come here


@dataclass(frozen=True, slots=True)
class ItemPage:
    items: tuple[Item, ...]
    next_cursor: str | None = None
    #: Facet name -> ((value, count), ...), most frequent first.
    facets: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    #: Item id -> snippet with matches wrapped in <mark>…</mark> (already escaped).
    snippets: dict[str, str] = field(default_factory=dict)
    total: int | None = None
    #: True when ``facets`` and ``total`` were estimated from the newest
    #: matches rather than counted over all of them (shown as "about N").
    approximate: bool = False
    #: Document id -> what the enrich stage found in it (places, entities,
    #: topics, quotes), for the items of the page that were enriched.
    enrichments: dict[str, Enrichment] = field(default_factory=dict)


def same_but_case(wanted: tuple[str, ...], stored: list[str]) -> tuple[str, ...]:
    """The ``stored`` values equal to one of ``wanted`` but for case (Unicode
    case folding, the same on both databases, unlike SQL ``lower()``); a
    value that matches none is kept as asked, so it matches nothing rather
    than being dropped (which would widen the list)."""
    folded = {value.casefold() for value in wanted}
    found = {value for value in stored if value.casefold() in folded}
    matched = {value.casefold() for value in found}
    found |= {value for value in wanted if value.casefold() not in matched}
    return tuple(sorted(found))


class QueryError(BabelwireError, ValueError):
    """A query that cannot be answered as asked.

    ``str()`` starts with the stage, as every message does (for logs and the
    command line); ``reason`` is the same without it, for a page or an API
    answer, where "store:" means nothing to the reader.
    """

    stage = "store"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{self.stage}: {reason}")


class CursorError(QueryError):
    """A cursor this query did not make: edited, truncated or from another list."""
