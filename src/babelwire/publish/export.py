"""``babelwire export``: the items of a filtered view, in one of four formats.

The same filters and query path as the web UI and the feeds. Output is one
stream (a file or stdout):

- ``wire``: each item's wire text, items separated by one blank line (the wire
  text itself never contains a blank line, so the separator is unambiguous);
- ``ninjs``: JSON Lines, one ninjs 3.1 object per line;
- ``rss`` / ``atom``: one feed document holding every exported item.

Items come newest first, read page by page with the store's cursor.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from babelwire.compose import render_wire
from babelwire.model import Item
from babelwire.publish.context import PublishStore
from babelwire.publish.feeds import build_feed
from babelwire.publish.filters import Filters
from babelwire.publish.pages import with_params
from babelwire.publish.settings import MAX_PAGE_SIZE, PublishSettings
from babelwire.publish.views import item_json

FORMATS = ("wire", "ninjs", "atom", "rss")


def iter_items(store: PublishStore, filters: Filters, *, limit: int | None) -> Iterator[Item]:
    """Every matching item, newest first, at most ``limit`` (None: all)."""
    cursor: str | None = None
    left = limit
    while left is None or left > 0:
        page_size = MAX_PAGE_SIZE if left is None else min(left, MAX_PAGE_SIZE)
        page = store.items(filters.query(limit=page_size, cursor=cursor))
        yield from page.items
        if left is not None:
            left -= len(page.items)
        cursor = page.next_cursor
        if not cursor or not page.items:
            return


def export(
    store: PublishStore,
    filters: Filters,
    fmt: str,
    out: BinaryIO,
    *,
    settings: PublishSettings,
    limit: int | None = None,
) -> int:
    """Write the items to ``out``; returns how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"export: unknown format {fmt!r} (use {', '.join(FORMATS)})")
    items = iter_items(store, filters, limit=limit)
    if fmt in ("rss", "atom"):
        listed = list(items)
        self_url = settings.root_url + with_params(f"/feeds/{fmt}", filters.params())
        out.write(build_feed(fmt, listed, filters, settings, self_url))
        return len(listed)
    count = 0
    for item in items:
        if fmt == "wire":
            text = ("\n" if count else "") + render_wire(item)
        else:
            ninjs = item_json(item, settings.root_url, store.enrichment(item.document_id))
            text = json.dumps(ninjs, ensure_ascii=False)
            text += "\n"
        out.write(text.encode("utf-8"))
        count += 1
    return count
