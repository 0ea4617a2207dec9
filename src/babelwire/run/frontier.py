"""Which addresses one poll of one source reads, in what order, and what is
remembered of each address between polls.

A poll reads the source's own feeds, sitemaps and listing pages first, in
catalog order; then the child sitemaps that sitemap indexes name, depth
first and newest first (discover lists an index's children newest first),
so that when the cap on fetches per poll stops the walk, what was read is the
most recent news; then the addresses an earlier poll had to leave.

A big sitemap tree is therefore read over several polls: what the cap leaves
is queued in the fetch state (a row never fetched since it was queued), the
source is due again at once, and a child sitemap read successfully less than
half a poll interval ago is not read again, so the next poll spends its
fetches on what is left.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from babelwire.model import Fetched, FetchState, Source, SourceURL, source_urls

#: Sitemap indexes may nest; real sites rarely go deeper than two levels, and
#: a cap stops a hostile index from sending us round in circles.
MAX_SITEMAP_DEPTH = 2

#: (address, depth): 0 for the source's own addresses, 1 for the children of
#: a sitemap index, and so on.
Step = tuple[SourceURL, int]


@dataclass
class Frontier:
    """The addresses one poll still has to read, with the cap on fetches."""

    max_fetches: int
    #: True for a child sitemap that need not be read again in this poll.
    recently_read: Callable[[str], bool]
    roots: deque[Step] = field(default_factory=deque)
    #: A stack: the top is the next child to read.
    children: list[Step] = field(default_factory=list)
    queued: deque[Step] = field(default_factory=deque)
    seen: set[str] = field(default_factory=set)
    fetches: int = 0

    @classmethod
    def start(cls, source: Source, queued: Iterable[str], *, max_fetches: int,
              recently_read: Callable[[str], bool]) -> Frontier:
        return cls(
            max_fetches=max_fetches,
            recently_read=recently_read,
            roots=deque((where, 0) for where in source_urls(source)),
            queued=deque((SourceURL(url, "sitemap"), 1) for url in queued),
        )

    def next(self) -> Step | None:
        """The next address to fetch; None when the walk is done or the cap is spent."""
        while self.fetches < self.max_fetches:
            step = self._pop()
            if step is None:
                return None
            if not self._wanted(step):
                continue
            self.seen.add(step[0].url)
            self.fetches += 1
            return step
        return None

    def add_children(self, urls: Sequence[str], depth: int) -> None:
        """Queue the child sitemaps of an index read at ``depth - 1``, newest first."""
        if depth > MAX_SITEMAP_DEPTH:
            return
        steps = [(SourceURL(url, "sitemap"), depth) for url in reversed(urls)]
        if depth == 1:
            # Below the subtrees already queued: each root's subtree is read
            # in catalog order.
            self.children[0:0] = steps
        else:
            self.children.extend(steps)

    def left(self) -> tuple[str, ...]:
        """The addresses the cap kept this poll from reading, in walk order."""
        remaining = [*self.roots, *reversed(self.children), *self.queued]
        return tuple(dict.fromkeys(where.url for where, depth in remaining
                                   if where.url not in self.seen
                                   and not (depth and self.recently_read(where.url))))

    def _pop(self) -> Step | None:
        if self.roots:
            return self.roots.popleft()
        if self.children:
            return self.children.pop()
        if self.queued:
            return self.queued.popleft()
        return None

    def _wanted(self, step: Step) -> bool:
        where, depth = step
        if where.url in self.seen:
            return False
        return depth == 0 or not self.recently_read(where.url)


def read_since(
    states: Callable[[str], FetchState | None], since: datetime
) -> Callable[[str], bool]:
    """``recently_read`` for a frontier: read successfully at or after ``since``."""
    def recently_read(url: str) -> bool:
        state = states(url)
        return bool(state and state.last_success_at and state.last_success_at >= since)

    return recently_read


def recent_window(source: Source) -> timedelta:
    """Half a poll interval: a child read this recently is still fresh for this poll."""
    return timedelta(seconds=source.poll_interval_s / 2)


def ok_state(url: str, source: Source, fetched: Fetched, at: datetime) -> FetchState:
    return FetchState(
        url=url,
        source_id=source.id,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        status=fetched.status,
        consecutive_failures=0,
        last_success_at=at,
        last_error=None,
        last_fetched_at=at,
        next_due_at=at + timedelta(seconds=source.poll_interval_s),
    )


def failed_state(
    url: str,
    source: Source,
    previous: FetchState | None,
    error: str,
    at: datetime,
    backoff_max_s: int,
) -> FetchState:
    failures = (previous.consecutive_failures if previous else 0) + 1
    return FetchState(
        url=url,
        source_id=source.id,
        etag=previous.etag if previous else None,
        last_modified=previous.last_modified if previous else None,
        status=previous.status if previous else None,
        consecutive_failures=failures,
        last_success_at=previous.last_success_at if previous else None,
        last_error=error,
        last_fetched_at=at,
        next_due_at=at + timedelta(seconds=failure_backoff_s(source, failures, backoff_max_s)),
    )


def queued_state(url: str, source: Source, previous: FetchState | None,
                 at: datetime) -> FetchState:
    """An address left for the next poll: what was known of it stays, it is due now,
    and an empty ``last_fetched_at`` marks it as queued."""
    if previous is None:
        return FetchState(url=url, source_id=source.id, next_due_at=at)
    return replace(previous, last_fetched_at=None, next_due_at=at)


def failure_backoff_s(source: Source, failures: int, backoff_max_s: int) -> int:
    """Wait longer after each consecutive failure, up to a ceiling.

    Doubling from the poll interval keeps a broken source from being hammered
    while still noticing within a day when it comes back.
    """
    return min(source.poll_interval_s * 2 ** min(failures - 1, 16), backoff_max_s)
