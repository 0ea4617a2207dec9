"""Run one item query for a request: the path every list surface shares.

A query can fail in ways the reader caused and should be told about in the
page itself (a malformed search, a date that is not a date, a cursor from
another query); those come back as ``Listing.error`` with an empty page and
HTTP 400, never as an error page or a stack trace.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from babelwire.publish.context import PublishStore
from babelwire.publish.filters import FilterError, Filters, Params, read_cursor, read_filters
from babelwire.publish.pages import for_reader
from babelwire.store.query import ItemPage, QueryError

EMPTY_PAGE = ItemPage(items=())


@dataclass(frozen=True, slots=True)
class Listing:
    filters: Filters
    page: ItemPage
    #: A message for the reader when the request could not be answered.
    error: str | None = None
    #: The cursor this page was asked for (None: the first page).
    cursor: str | None = None

    @property
    def status_code(self) -> int:
        return 400 if self.error else 200


def run_listing(
    store: PublishStore, params: Mapping[str, str], *, limit: int, with_facets: bool = False
) -> Listing:
    try:
        filters = read_filters(params)
        cursor = read_cursor(params)
    except FilterError as exc:
        return Listing(Filters(), EMPTY_PAGE, for_reader(str(exc)))
    query = filters.query(limit=limit, cursor=cursor, with_facets=with_facets)
    try:
        page = store.items(query)
    except QueryError as exc:
        # Malformed search text, or a cursor the store did not make (edited,
        # or from another list's link).
        return Listing(filters, EMPTY_PAGE, for_reader(str(exc)), cursor)
    return Listing(filters, page, None, cursor)


def next_params(listing: Listing) -> Params | None:
    """URL parameters of the next page, or None on the last one."""
    if not listing.page.next_cursor:
        return None
    return {**listing.filters.params(), "cursor": listing.page.next_cursor}
