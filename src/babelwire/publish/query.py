"""The one query shape shared by the web UI, the JSON API, the feeds and export.

Every surface turns its request into an :class:`ItemQuery`, asks the store for
an :class:`ItemPage`, and renders it; none of them builds SQL or filters
items itself, so a filter means the same thing on every surface.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from babelwire.model import Item

#: Facets counted for every query, in the order the UI shows them.
FACETS = ("region", "source", "language", "section")


@dataclass(frozen=True, slots=True)
class ItemQuery:
    #: Search text in the syntax of ``publish/search_syntax.py``; None lists all.
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
