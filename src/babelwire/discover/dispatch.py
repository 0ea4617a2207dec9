"""Which reader handles which kind of source address."""

from __future__ import annotations

from babelwire.discover.feeds import discover_feed
from babelwire.discover.listings import discover_listing
from babelwire.discover.sitemaps import discover_sitemap
from babelwire.model import Discovered, Fetched, Source, SourceURL


def discover(fetched: Fetched, source: Source, where: SourceURL, *,
             max_entries: int = 200) -> Discovered:
    """Read ``fetched`` with the reader for ``where.kind``."""
    if where.kind == "feed":
        return discover_feed(fetched, source, max_entries=max_entries)
    if where.kind == "sitemap":
        return discover_sitemap(fetched, source, max_entries=max_entries)
    if where.kind == "listing" and where.listing is not None:
        return discover_listing(fetched, source, where.listing, max_entries=max_entries)
    raise ValueError(f"discover: no reader for a {where.kind!r} address ({where.url})")
