"""Entries from RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 feeds; the entry point for JSON Feed too.

feedparser is called only here; its "bozo" flag and exception become the one
error line of the :class:`Discovered`. When the strict XML parse fails,
feedparser's lenient fallback is compared with a parse of libxml2's recovered
tree and the one with more linked entries wins, so a feed with an unclosed
tag still yields the entries after it. JSON bodies go to :mod:`jsonfeed`,
sitemaps to :mod:`sitemaps`.
"""

from __future__ import annotations

import io
import xml.sax
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import feedparser
from lxml import etree

from babelwire.discover.collect import EntryCollector, nothing_found
from babelwire.discover.dates import feed_date
from babelwire.discover.fields import language_tag, plain_text, short_summary
from babelwire.discover.jsonfeed import discover_json_feed, looks_like_json
from babelwire.discover.sitemaps import discover_sitemap
from babelwire.discover.urls import is_http_url
from babelwire.discover.xmlprep import FEED_ROOTS, SITEMAP_ROOTS, PreparedXml, prepare_xml
from babelwire.model import Discovered, Fetched, Source

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# feedparser's bozo exceptions that are not defects of the feed: we hand it no
# Content-Type of the server's, and we choose the charset ourselves.
_HARMLESS_BOZO: tuple[type[Exception], ...] = (
    feedparser.NonXMLContentType,
    feedparser.CharacterEncodingOverride,
)


def discover_feed(fetched: Fetched, source: Source, *, max_entries: int = 200) -> Discovered:
    """The entries of one feed, newest first as the feed lists them, at most ``max_entries``.

    Never raises for a bad body: a malformed feed gives what could be
    recovered plus an error line, and a body that is no feed gives no entries
    and says what it is instead. A sitemap given as a feed is read as one.
    """
    found_in = fetched.url
    if fetched.not_modified:
        return Discovered(found_in=found_in, entries=())
    if not fetched.body.strip():
        return nothing_found(found_in, "empty body")
    if looks_like_json(fetched):
        return discover_json_feed(fetched, source, max_entries=max_entries)
    prepared = prepare_xml(fetched)
    if prepared.is_empty:
        return nothing_found(found_in, "; ".join([*prepared.problems, "empty body"]))
    if prepared.root in SITEMAP_ROOTS:
        return discover_sitemap(fetched, source, max_entries=max_entries)
    if prepared.is_html:
        return nothing_found(found_in, "not a feed (HTML page)")
    parsed = _parse(prepared.data, prepared.encoding, fetched)
    if isinstance(parsed.get("bozo_exception"), xml.sax.SAXParseException):
        parsed = _better_of(parsed, _reparse_after_lxml_recovery(prepared, fetched))
    version = str(parsed.get("version") or "")
    entries: list[Any] = list(parsed.get("entries") or [])
    if not version and not entries and prepared.root not in FEED_ROOTS:
        what = f"document element <{prepared.root}>" if prepared.root else "no XML element"
        return nothing_found(found_in, f"not a feed ({what})")
    collector = EntryCollector(
        source_id=source.id,
        found_in=found_in,
        base_url=fetched.final_url or fetched.url,
        max_entries=max_entries,
        problems=list(prepared.problems),
    )
    if problem := _bozo_problem(parsed):
        collector.problems.append(problem)
    feed_language = _feed_language(parsed.get("feed") or {})
    for item in entries:
        _add_entry(collector, item, feed_language)
    return collector.result(_format(version, prepared.root))


def _parse(data: bytes, encoding: str, fetched: Fetched) -> Any:
    headers = {
        "content-type": f"application/xml; charset={encoding}",
        "content-location": fetched.final_url or fetched.url,
    }
    if language := fetched.header("content-language"):
        headers["content-language"] = language
    # A BytesIO, never bytes: feedparser treats a bare string that looks like
    # a URL or a path as something to open. Its HTML sanitiser and the URL
    # rewriting inside HTML content are off: only plain text is kept from
    # entry bodies (fields.html_to_text drops scripts and styles), and both
    # passes double the parse time of long feeds. Entry links are still
    # resolved against xml:base and the feed URL.
    return feedparser.parse(
        io.BytesIO(data),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def _reparse_after_lxml_recovery(prepared: PreparedXml, fetched: Fetched) -> Any | None:
    """Parse again after libxml2's recovery has made the document well-formed.

    feedparser's own fallback (an SGML parser) loses every item after an
    unclosed tag; libxml2 closes the tag where the parent ends and carries on.
    Entities stay unexpanded and nothing is loaded from the network.
    """
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(prepared.data, parser)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    repaired = etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True)
    return _parse(repaired, "utf-8", fetched)


def _better_of(first: Any, second: Any | None) -> Any:
    """The parse with more linked entries; the first keeps its error for the error line."""
    if second is None:
        return first

    def linked(parsed: Any) -> int:
        return sum(1 for item in parsed.get("entries") or [] if item.get("link"))

    if linked(second) <= linked(first):
        return first
    second["bozo"], second["bozo_exception"] = first["bozo"], first["bozo_exception"]
    return second


def _add_entry(
    collector: EntryCollector, item: Mapping[str, Any], feed_language: str | None
) -> None:
    title_detail = item.get("title_detail") or {}
    collector.add(
        _entry_link(item, collector.base_url),
        title=plain_text(item.get("title"), is_html=title_detail.get("type") in _HTML_TYPES),
        published=_entry_date(item),
        summary=short_summary(_entry_summary(item)),
        language=_entry_language(item) or feed_language,
    )


def _entry_link(item: Mapping[str, Any], base: str) -> str | None:
    """The entry's page: its alternate link, else its link, else an id that is a URL.

    Links with other relations (self, edit, enclosure, related) point to API
    documents, media files or other sites, never to the publication itself.
    """
    candidates = [
        link.get("href")
        for link in item.get("links") or []
        if link.get("rel", "alternate") == "alternate"
        and link.get("type", "text/html") in ("text/html", "application/xhtml+xml", "")
    ]
    candidates.append(item.get("link"))
    for candidate in candidates:
        if isinstance(candidate, str) and is_http_url(candidate, base):
            return candidate
    # An id is used only when it is a URL on its own: "cp-2025-118" resolved
    # against the feed URL would name a page that does not exist.
    item_id = item.get("id")
    return item_id if isinstance(item_id, str) and is_http_url(item_id) else None


def _entry_date(item: Mapping[str, Any]) -> datetime | None:
    for key in ("published", "updated", "created"):
        raw, parsed = item.get(key), item.get(f"{key}_parsed")
        if raw is None and parsed is None:
            continue
        if moment := feed_date(raw if isinstance(raw, str) else None, parsed):
            return moment
    return None


def _entry_summary(item: Mapping[str, Any]) -> str | None:
    detail = item.get("summary_detail") or {}
    value = item.get("summary")
    if not value and item.get("content"):
        detail = item["content"][0]
        value = detail.get("value")
    return plain_text(value, is_html=detail.get("type", "text/html") in _HTML_TYPES)


def _entry_language(item: Mapping[str, Any]) -> str | None:
    for value in (
        item.get("language"),
        (item.get("title_detail") or {}).get("language"),
        (item.get("summary_detail") or {}).get("language"),
    ):
        if tag := language_tag(value):
            return tag
    return None


def _feed_language(feed: Mapping[str, Any]) -> str | None:
    for value in (feed.get("language"), (feed.get("title_detail") or {}).get("language")):
        if tag := language_tag(value):
            return tag
    return None


def _bozo_problem(parsed: Mapping[str, Any]) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    if exc is None or isinstance(exc, _HARMLESS_BOZO):
        return None
    if isinstance(exc, xml.sax.SAXParseException):
        return f"not well-formed XML at line {exc.getLineNumber()} ({exc.getMessage()})"
    return f"feed could not be read cleanly ({type(exc).__name__}: {exc})"


def _format(version: str, root: str | None) -> str:
    if version in ("rss090", "rss10") or (not version and root == "rdf"):
        return "rdf"
    if version.startswith("atom") or (not version and root == "feed"):
        return "atom"
    return "rss"
