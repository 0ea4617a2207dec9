"""Gathering entries into a :class:`Discovered`: canonical URLs, de-duplication, cap, error line.

Every reader (feed, JSON Feed, sitemap, listing) hands its links to one
:class:`EntryCollector`, so the rules are the same everywhere: a link is kept
under its canonical URL, the first occurrence wins, links that are not
http(s) are counted and reported, and the error line has one shape::

    discover: http://x.test/feed.xml: not well-formed XML at line 12
    (undefined entity); recovered 7 entries      <- one line in reality
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from babelwire.discover.dates import DateNotes, as_utc
from babelwire.discover.urls import canonicalize_url
from babelwire.model import Discovered, Entry


@dataclass(slots=True)
class EntryCollector:
    source_id: str
    #: The URL the entries were found in (the feed as the catalog names it).
    found_in: str
    #: What relative links are resolved against (the URL after redirects).
    base_url: str
    max_entries: int
    problems: list[str] = field(default_factory=list)
    seen: int = 0
    unusable: int = 0
    #: Dates given but left unknown, handed to the date readers.
    dates: DateNotes = field(default_factory=DateNotes)
    _entries: dict[str, Entry] = field(default_factory=dict)
    #: The feed's own URLs: an entry linking there is no publication.
    _own_urls: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        own = set()
        for url in (self.found_in, self.base_url):
            try:
                own.add(canonicalize_url(url))
            except ValueError:
                continue
        self._own_urls = frozenset(own)

    @property
    def kept(self) -> int:
        """Distinct entries kept so far."""
        return len(self._entries)

    def add(
        self,
        url: str | None,
        *,
        base: str | None = None,
        title: str | None = None,
        published: datetime | None = None,
        summary: str | None = None,
        language: str | None = None,
    ) -> None:
        """Keep one link, unless it is unusable; a repeated link only fills gaps."""
        self.seen += 1
        # An empty link would resolve to the base, i.e. to the feed itself.
        try:
            canonical = canonicalize_url(url, base or self.base_url) if url and url.strip() else ""
        except ValueError:
            canonical = ""
        if not canonical or canonical in self._own_urls:
            self.unusable += 1
            return
        if existing := self._entries.get(canonical):
            # A listing often links one article twice (picture, then headline);
            # the second link may carry the title the first lacked.
            self._entries[canonical] = replace(
                existing,
                title=existing.title or title,
                published=existing.published or published,
                summary=existing.summary or summary,
                language=existing.language or language,
            )
            return
        self._entries[canonical] = Entry(
            source_id=self.source_id,
            url=canonical,
            found_in=self.found_in,
            title=title,
            published=published,
            summary=summary,
            language=language,
        )

    def result(
        self, format: str, *, sitemaps: tuple[str, ...] = (), keep_newest: bool = False
    ) -> Discovered:
        """The Discovered record; ``keep_newest`` picks the most recent when over the cap.

        Feeds list the newest first, so their first entries are kept. Sitemaps
        are often in site order (oldest first) and run to 50,000 links, so
        there the newest ``max_entries`` are kept, still in document order.
        """
        entries = list(self._entries.values())
        if len(entries) > self.max_entries:
            entries = (
                _newest(entries, self.max_entries) if keep_newest else entries[: self.max_entries]
            )
        problems = list(self.problems)
        if date_problem := self.dates.problem():
            problems.append(date_problem)
        if self.unusable:
            problems.append(f"{self.unusable} of {self.seen} entries had no usable http(s) URL")
        error = None
        if problems:
            error = error_line(self.found_in, "; ".join(problems), recovered=len(entries))
        return Discovered(
            found_in=self.found_in,
            entries=tuple(entries),
            sitemaps=sitemaps,
            format=format,
            error=error,
        )


def error_line(found_in: str, problem: str, *, recovered: int | None = None) -> str:
    """``discover: <url>: <problem>[; recovered N entries]`` on one line."""
    line = f"discover: {found_in}: {problem}"
    if recovered is not None:
        line += f"; recovered {recovered} {'entry' if recovered == 1 else 'entries'}"
    return " ".join(line.split())


def nothing_found(found_in: str, problem: str, *, format: str | None = None) -> Discovered:
    """A Discovered with no entries and the reason why."""
    return Discovered(
        found_in=found_in, entries=(), format=format, error=error_line(found_in, problem)
    )


def _newest(entries: list[Entry], limit: int) -> list[Entry]:
    def stamp(index: int) -> float:
        published = entries[index].published
        return as_utc(published).timestamp() if published else float("-inf")

    # sorted() is stable, also in reverse: equal dates keep document order.
    newest_first = sorted(range(len(entries)), key=stamp, reverse=True)
    return [entries[i] for i in sorted(newest_first[:limit])]
