"""Which reader handles which body: by the kind of address, then by what the body is.

The one place that knows every reader. Feeds and sitemaps are often given
for each other (a catalog lists a news sitemap as a feed, a site serves RSS
at sitemap.xml), so the document element decides between them, after the
body is prepared once (:func:`~babelwire.discover.xmlprep.prepare_xml`).
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import Literal

from babelwire.discover.collect import nothing_found
from babelwire.discover.feeds import read_feed
from babelwire.discover.jsonfeed import discover_json_feed, looks_like_json
from babelwire.discover.listings import discover_listing
from babelwire.discover.sitemaps import read_sitemap
from babelwire.discover.xmlprep import (
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    FEED_ROOTS,
    GZIP_MAGIC,
    SITEMAP_ROOTS,
    prepare_xml,
)
from babelwire.libxml import TREE_LOCK
from babelwire.model import Discovered, Fetched, Source, SourceURL

#: Bodies from this size on (and every gzipped one, whose inflated size is
#: unknown) are read one at a time, all on one thread. Reading a body costs a
#: few times its size while the parser works: four gzip bombs inflated to the
#: cap at once took four times that. One thread, not a lock, because the C
#: allocator keeps freed memory in the arena of the thread that used it:
#: bombs read one after another on different threads held memory in each.
LARGE_BODY_BYTES = 2_000_000


def _large_body_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="discover-large")


def _fresh_thread_after_fork() -> None:
    # A forked worker (Celery's prefork pool) inherits the executor but not
    # its thread; work handed to it would wait for ever.
    global _large_bodies
    _large_bodies = _large_body_thread()



#: glibc's mallopt() parameter for the size from which a block is mapped on
#: its own (and unmapped the moment it is freed).
_M_MMAP_THRESHOLD = -3
#: That size, fixed. glibc otherwise raises it to the size of each large
#: block freed (up to 32 MB): after one body at the inflation cap, the next
#: body's megabyte pieces came from the heap, whose holes they did not fit,
#: and each gzip bomb after the first peaked 25-30 MB higher than the first.
MMAP_THRESHOLD_BYTES = 1 << 20


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.malloc_trim.restype = ctypes.c_int
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.mallopt.restype = ctypes.c_int
    except (OSError, AttributeError):  # glibc has both; other C libraries may not
        return None
    libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    return libc


_LIBC = _glibc()
_large_bodies = _large_body_thread()
os.register_at_fork(after_in_child=_fresh_thread_after_fork)


def discover(
    fetched: Fetched,
    source: Source,
    where: SourceURL,
    *,
    max_entries: int = 200,
    max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES,
) -> Discovered:
    """Read ``fetched`` with the reader for ``where.kind``.

    ``max_decompressed_bytes`` bounds a gzipped body served without
    Content-Encoding; runs pass the setting of that name.
    """
    if where.kind == "feed":
        return discover_feed(
            fetched, source, max_entries=max_entries, max_decompressed_bytes=max_decompressed_bytes
        )
    if where.kind == "sitemap":
        return discover_sitemap(
            fetched, source, max_entries=max_entries, max_decompressed_bytes=max_decompressed_bytes
        )
    if where.kind == "listing" and where.listing is not None:
        with TREE_LOCK:
            return discover_listing(fetched, source, where.listing, max_entries=max_entries)
    raise ValueError(f"discover: no reader for a {where.kind!r} address ({where.url})")


def discover_feed(
    fetched: Fetched,
    source: Source,
    *,
    max_entries: int = 200,
    max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES,
) -> Discovered:
    """The entries of a feed: RSS, RDF, Atom or JSON Feed; a sitemap given as a feed is read as one.

    Never raises for a bad body (see :func:`~babelwire.discover.feeds.read_feed`).
    """
    if not _blank(fetched.body) and not fetched.not_modified and looks_like_json(fetched):
        return discover_json_feed(fetched, source, max_entries=max_entries)
    return _in_turn(fetched, partial(
        _read_xml, fetched, source, "feed", max_entries, None, max_decompressed_bytes))


def discover_sitemap(
    fetched: Fetched,
    source: Source,
    *,
    max_entries: int = 200,
    since: datetime | None = None,
    max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES,
) -> Discovered:
    """Entries or child sitemaps of a sitemap; a feed given as a sitemap is read as a feed.

    See :func:`~babelwire.discover.sitemaps.read_sitemap` for ``since``.
    """
    return _in_turn(fetched, partial(
        _read_xml, fetched, source, "sitemap", max_entries, since, max_decompressed_bytes))


def _blank(body: bytes) -> bool:
    # isspace(), not strip(): strip() copies a large body that ends in blanks.
    return not body or body.isspace()


def _in_turn(fetched: Fetched, read: Callable[[], Discovered]) -> Discovered:
    """``read()`` here for a small body, on the one large-body thread for a large one.

    The tree lock is taken by the thread that reads, never around the wait
    for the large-body thread, which needs it.
    """
    body = fetched.body
    if len(body) < LARGE_BODY_BYTES and not body.startswith(GZIP_MAGIC):
        with TREE_LOCK:
            return read()
    return _large_bodies.submit(_then_give_back, read).result()


def _then_give_back(read: Callable[[], Discovered]) -> Discovered:
    """``read()``, then the memory it freed handed back to the system.

    glibc keeps what a large parse freed for reuse, but the next large body's
    copies do not fit the holes it left, so each stacked on the last.
    """
    try:
        with TREE_LOCK:
            return read()
    finally:
        if _LIBC is not None:
            _LIBC.malloc_trim(0)


def _read_xml(
    fetched: Fetched,
    source: Source,
    expected: Literal["feed", "sitemap"],
    max_entries: int,
    since: datetime | None,
    max_decompressed_bytes: int,
) -> Discovered:
    """The feed or sitemap reader, chosen by the document element, else by ``expected``."""
    found_in = fetched.url
    if fetched.not_modified:
        return Discovered(found_in=found_in, entries=())
    if _blank(fetched.body):
        return nothing_found(found_in, "empty body")
    prepared = prepare_xml(fetched, max_decompressed_bytes=max_decompressed_bytes)
    if prepared.is_empty:
        return nothing_found(found_in, "; ".join([*prepared.problems, "empty body"]))
    as_sitemap = prepared.root in SITEMAP_ROOTS or (
        expected == "sitemap" and prepared.root not in FEED_ROOTS
    )
    if as_sitemap:
        if prepared.is_html:
            return nothing_found(found_in, "not a sitemap (HTML page)")
        return read_sitemap(fetched, prepared, source, max_entries=max_entries, since=since)
    if prepared.is_html:
        return nothing_found(found_in, "not a feed (HTML page)")
    return read_feed(fetched, prepared, source, max_entries=max_entries)
