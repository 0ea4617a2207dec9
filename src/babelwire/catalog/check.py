"""The live check of a source (``babelwire sources check``).

Every feed, sitemap and listing page of a source is fetched once and read by
discovery; each URL gets a verdict. A source is verified when every one of its
URLs answered and yielded something, because a catalog entry that silently
returns nothing is the failure the wire must not have.

The fetcher is passed in (the CLI builds it from settings), so the check runs
the same HTTP code, with the same guards, as the wire itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from babelwire.discover import DEFAULT_MAX_DECOMPRESSED_BYTES, discover
from babelwire.errors import BabelwireError
from babelwire.model import Discovered, Fetched, Source, SourceURL, source_urls


class PageGetter(Protocol):
    """What the check needs of :class:`babelwire.fetch.Fetcher`."""

    def get(self, url: str) -> Fetched: ...


@dataclass(frozen=True, slots=True)
class UrlCheck:
    """The verdict on one URL of a source."""

    url: str
    #: "feed", "sitemap" or "listing".
    kind: str
    ok: bool
    entries: int
    #: What was found ("12 entries (rss)") or why it failed, in one line.
    detail: str


@dataclass(frozen=True, slots=True)
class SourceCheck:
    source_id: str
    urls: tuple[UrlCheck, ...]
    checked_at: datetime

    @property
    def ok(self) -> bool:
        return bool(self.urls) and all(u.ok for u in self.urls)


def check_source(
    source: Source,
    fetcher: PageGetter,
    *,
    now: Callable[[], datetime],
    max_entries: int = 200,
    max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES,
) -> SourceCheck:
    """Fetch and read each of ``source``'s URLs once; never raises for one URL."""
    checks = [
        _check_url(where, source, fetcher, max_entries, max_decompressed_bytes)
        for where in source_urls(source)
    ]
    return SourceCheck(source.id, tuple(checks), now())


def _check_url(
    where: SourceURL, source: Source, fetcher: PageGetter, max_entries: int,
    max_decompressed_bytes: int,
) -> UrlCheck:
    try:
        found = discover(fetcher.get(where.url), source, where, max_entries=max_entries,
                         max_decompressed_bytes=max_decompressed_bytes)
    except BabelwireError as exc:
        return UrlCheck(where.url, where.kind, ok=False, entries=0, detail=str(exc))
    return verdict(where.url, where.kind, found)


def verdict(url: str, kind: str, found: Discovered) -> UrlCheck:
    """Whether what discovery read counts as a working URL.

    A sitemap index lists no articles, only child sitemaps, so those count as
    a result. A feed that parsed with a warning but still gave entries works;
    the warning is kept in the detail so the operator sees it.
    """
    count = len(found.entries)
    what = f"{count} entries" if count != 1 else "1 entry"
    if found.sitemaps:
        what += f", {len(found.sitemaps)} child sitemaps"
    if found.format:
        what += f" ({found.format})"
    if not count and not found.sitemaps:
        why = found.error or f"{kind}: nothing found"
        return UrlCheck(url, kind, ok=False, entries=0, detail=f"{why} [{what}]")
    if found.error:
        what += f"; warning: {found.error}"
    return UrlCheck(url, kind, ok=True, entries=count, detail=what)
