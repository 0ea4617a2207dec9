"""Entries from JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1).

feedparser 6 does not read JSON Feed, and the format is small enough to read
with :mod:`json`. Every value is checked for its type: a hostile or sloppy feed
may put a number where a string belongs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from babelwire.discover.collect import EntryCollector, nothing_found
from babelwire.discover.dates import w3c_datetime
from babelwire.discover.fields import language_tag, plain_text, short_summary
from babelwire.discover.urls import is_http_url
from babelwire.model import Discovered, Fetched, Source

_VERSION_PREFIX = "https://jsonfeed.org/version/"


def looks_like_json(fetched: Fetched) -> bool:
    """True for a JSON body: it opens with "{", or is labelled JSON and is not markup.

    The first character decides before the label does, because servers label
    RSS as JSON (and JSON as text/html) more often than feeds change format.
    """
    head = fetched.body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"{":
        return True
    return head != b"<" and "json" in fetched.content_type.lower()


def discover_json_feed(fetched: Fetched, source: Source, *, max_entries: int = 200) -> Discovered:
    found_in = fetched.url
    try:
        document = json.loads(_text(fetched))
    except json.JSONDecodeError as exc:
        problem = f"not valid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})"
        return nothing_found(found_in, problem, format="json")
    except RecursionError:
        return nothing_found(found_in, "JSON nested too deeply", format="json")
    except ValueError as exc:
        # Python refuses to convert integers of more than 4,300 digits (a
        # denial-of-service guard); no feed needs one.
        return nothing_found(found_in, f"not a feed (JSON value refused: {exc})", format="json")
    if not isinstance(document, dict) or not (
        str(document.get("version", "")).startswith(_VERSION_PREFIX) or "items" in document
    ):
        return nothing_found(found_in, "not a feed (JSON without a JSON Feed version)")
    collector = EntryCollector(
        source_id=source.id,
        found_in=found_in,
        base_url=fetched.final_url or fetched.url,
        max_entries=max_entries,
    )
    items = document.get("items")
    if not isinstance(items, list):
        collector.problems.append("JSON Feed has no list of items")
        items = []
    feed_language = language_tag(_string(document, "language"))
    for item in items:
        if isinstance(item, dict):
            _add_item(collector, item, feed_language)
        else:
            collector.seen += 1
            collector.unusable += 1
    return collector.result("json")


def _add_item(
    collector: EntryCollector, item: Mapping[str, Any], feed_language: str | None
) -> None:
    # "url" is the item's own page; "id" is often the same URL. "external_url"
    # is a page the item is about, on another site, so it is not used.
    url = _string(item, "url")
    item_id = _string(item, "id")
    if not url and item_id and is_http_url(item_id):
        url = item_id
    summary = plain_text(_string(item, "summary") or _string(item, "content_text"), is_html=False)
    if not summary:
        summary = plain_text(_string(item, "content_html"), is_html=True)
    collector.add(
        url,
        title=plain_text(_string(item, "title"), is_html=False),
        published=w3c_datetime(_string(item, "date_published"), collector.dates)
        or w3c_datetime(_string(item, "date_modified"), collector.dates),
        summary=short_summary(summary),
        language=language_tag(_string(item, "language")) or feed_language,
    )


def _string(mapping: Mapping[str, Any], key: str) -> str | None:
    """The value when it is a string, as the spec requires; anything else is ignored."""
    value = mapping.get(key)
    return value if isinstance(value, str) else None


def _text(fetched: Fetched) -> str:
    """JSON is UTF-8 (RFC 8259); a server's other charset is honoured if it decodes."""
    body = fetched.body.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if fetched.charset:
        try:
            return body.decode(fetched.charset)
        except (UnicodeDecodeError, LookupError):
            pass
    return body.decode("utf-8", errors="replace")
