"""Run one item query for a request: the path every list surface shares.

``?story=ID`` (or the search text ``story:ID``) lists the items of one
story instead; :func:`collapse_stories` shows each story once on the wire.

A query can fail in ways the reader caused and should be told about in the
page itself (a malformed search, a date that is not a date, a cursor from
another query); those come back as ``Listing.error`` with an empty page and
HTTP 400, never as an error page or a stack trace.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from babelwire.publish.context import Context, PublishStore
from babelwire.publish.filters import FilterError, Filters, Params, read_cursor, read_filters
from babelwire.publish.pages import for_reader
from babelwire.publish.storypage import breaking_ids, no_story, valid_story_id
from babelwire.store.query import ItemPage, QueryError

EMPTY_PAGE = ItemPage(items=())
#: Search text that asks for one story's items.
_STORY_TEXT = re.compile(r"\s*story:(\S+)\s*")


@dataclass(frozen=True, slots=True)
class StoryBadge:
    """What the wire says of a story shown by one of its items."""

    story_id: str
    url: str
    #: Its other items, other sources, and languages in all.
    more_items: int
    more_sources: int
    languages: int
    breaking: bool


@dataclass(frozen=True, slots=True)
class Listing:
    filters: Filters
    page: ItemPage
    #: A message for the reader when the request could not be answered.
    error: str | None = None
    #: The cursor this page was asked for (None: the first page).
    cursor: str | None = None
    #: Item id -> its story, for items that stand for a story (see collapse_stories).
    stories: Mapping[str, StoryBadge] = field(default_factory=dict)
    #: The story whose items these are (``?story=ID``).
    story_id: str | None = None

    @property
    def status_code(self) -> int:
        return 400 if self.error else 200


def run_listing(
    store: PublishStore, params: Mapping[str, str], *, limit: int, with_facets: bool = False,
    rank_text: bool = False,
) -> Listing:
    """``rank_text``: without ``sort``, search text is ranked by relevance."""
    story = params.get("story") or _story_in_text(params.get("q"))
    if story is not None:
        return story_listing(store, story)
    try:
        filters = read_filters(params)
        cursor = read_cursor(params)
    except FilterError as exc:
        return Listing(Filters(), EMPTY_PAGE, for_reader(str(exc)))
    query = filters.query(limit=limit, cursor=cursor, with_facets=with_facets,
                          rank_text=rank_text)
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


def _story_in_text(text: str | None) -> str | None:
    match = _STORY_TEXT.fullmatch(text or "")
    return match.group(1) if match else None


def story_listing(store: PublishStore, story_id: str) -> Listing:
    """Every item of one story, newest first, on one page."""
    story = store.stories.find(story_id) if valid_story_id(story_id) else None
    if story is None:
        return Listing(Filters(), EMPTY_PAGE, no_story(story_id), story_id=story_id[:64])
    members = sorted(store.stories.members(story.id),
                     key=lambda m: (m.seen_at, m.item.id), reverse=True)
    page = ItemPage(items=tuple(m.item for m in members), total=len(members))
    return Listing(Filters(), page, story_id=story.id)


def collapse_stories(listing: Listing, ctx: Context) -> Listing:
    """Each story once: the first of its items on the page stands for the
    others, which are left out of the page and counted in its badge.

    Within a page only: a story's items on later pages are shown there
    (they are older, and the reader has gone past the lead).
    """
    if listing.error or listing.story_id or not listing.page.items:
        return listing
    found = ctx.store.stories.of_documents([item.document_id for item in listing.page.items])
    grouped = {s.id: s for s in found.values() if s.member_count > 1}
    breaking = breaking_ids(ctx, list(grouped.values()))
    kept, badges, shown = [], {}, set()
    for item in listing.page.items:
        story = found.get(item.document_id)
        if story is None or story.id not in grouped:
            kept.append(item)
        elif story.id not in shown:
            shown.add(story.id)
            kept.append(item)
            badges[item.id] = StoryBadge(story.id, f"/stories/{story.id}",
                                         story.member_count - 1, story.source_count - 1,
                                         story.language_count, story.id in breaking)
    return replace(listing, page=replace(listing.page, items=tuple(kept)), stories=badges)
