"""The one query shape shared by the web UI, the JSON API, the feeds and export.

Every surface turns its request into an :class:`ItemQuery`, asks the store for
an :class:`ItemPage`, and renders it; none of them builds SQL or filters
items itself, so a filter means the same thing on every surface. A query the
store cannot answer because of what was asked raises :class:`QueryError`,
whose ``reason`` is written for the person who asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from babelwire.errors import BabelwireError
from babelwire.model import Item

#: Facets counted for every query, in the order the UI shows them.
FACETS = ("region", "source", "language", "section")


@dataclass(frozen=True, slots=True)
class ItemQuery:
    #: Search text in the syntax of ``store/query/syntax.py``; None lists all.
    text: str | None = None
    region: str | None = None
    source_id: str | None = None
    #: The original language (ISO 639-1).
    language: str | None = None
    section: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 50
    #: Opaque cursor from a previous page's ``next_cursor``.
    cursor: str | None = None
    with_facets: bool = False


@dataclass(frozen=True, slots=True)
class ItemPage:
    items: tuple[Item, ...]
    next_cursor: str | None = None
    #: Facet name -> ((value, count), ...), most frequent first.
    facets: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    #: Item id -> snippet with matches wrapped in <mark>…</mark> (already escaped).
    snippets: dict[str, str] = field(default_factory=dict)
    total: int | None = None


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
