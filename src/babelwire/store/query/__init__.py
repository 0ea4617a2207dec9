"""The store's query language: what a surface may ask and how search text reads.

``contract`` is the request and the answer (:class:`ItemQuery`,
:class:`ItemPage`, the facet names, :class:`QueryError`); ``syntax`` parses
the search box into the token tree the full-text modules compile. Both sit
below the store so that the store never imports the surfaces that call it.
"""

from babelwire.store.query.contract import (
    ENRICH_FACETS,
    FACET_ATTRIBUTES,
    FACETS,
    ORDERS,
    CursorError,
    FacetValues,
    ItemPage,
    ItemQuery,
    QueryError,
    same_but_case,
)
from babelwire.store.query.syntax import (
    CJK_RANGES,
    FIELDS,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    AnyOf,
    ParseError,
    Query,
    Term,
    parse,
    tokens,
)

__all__ = [
    "CJK_RANGES",
    "ENRICH_FACETS",
    "FACETS",
    "FACET_ATTRIBUTES",
    "FIELDS",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "ORDERS",
    "AnyOf",
    "CursorError",
    "FacetValues",
    "ItemPage",
    "ItemQuery",
    "ParseError",
    "Query",
    "QueryError",
    "Term",
    "parse",
    "same_but_case",
    "tokens",
]
