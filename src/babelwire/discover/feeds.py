"""Entries from RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 feeds.

feedparser is called only here; its "bozo" flag and exception become the one
error line of the :class:`Discovered`. When the strict XML parse fails,
feedparser's lenient fallback is compared with a parse of libxml2's recovered
tree and the one with more linked entries wins, so a feed with an unclosed
tag still yields the entries after it. Which reader a body goes to (JSON
Feed, sitemap, this one) is decided in :mod:`dispatch`.
"""

from __future__ import annotations

import html
import io
import xml.sax
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import feedparser
from lxml import etree

from babelwire.discover.collect import EntryCollector, nothing_found
from babelwire.discover.dates import DateNotes, feed_date
from babelwire.discover.fields import language_tag, plain_text, short_summary
from babelwire.discover.urls import is_http_url
from babelwire.discover.xmlprep import FEED_ROOTS, PreparedXml
from babelwire.discover.xmlstream import MAX_TEXT_CHARS
from babelwire.model import Discovered, Fetched, Source

#: Feeds from this size on are parsed incrementally (see ``_parse_large``);
#: real feeds of 200 entries are well below it.
LARGE_FEED_BYTES = 2_000_000
_ENTRY_NAMES = frozenset({"item", "entry"})
#: Bytes at the end of a feed searched for a cut-off link.
_DANGLING_SCAN_BYTES = 65_536
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# feedparser's bozo exceptions that are not defects of the feed: we hand it no
# Content-Type of the server's, and we choose the charset ourselves.
_HARMLESS_BOZO: tuple[type[Exception], ...] = (
    feedparser.NonXMLContentType,
    feedparser.CharacterEncodingOverride,
)


def read_feed(
    fetched: Fetched, prepared: PreparedXml, source: Source, *, max_entries: int = 200
) -> Discovered:
    """The entries of one feed, newest first as the feed lists them, at most ``max_entries``.

    ``prepared`` is ``fetched.body`` made ready for the parser
    (:func:`~babelwire.discover.xmlprep.prepare_xml`). Never raises for a bad
    body: a malformed feed gives what could be recovered plus an error line,
    and a body that is no feed gives no entries and says what it is instead.
    """
    found_in = fetched.url
    large_problems: list[str] = []
    large = prepared.size_bytes >= LARGE_FEED_BYTES
    if large:
        parsed = _parse_large(prepared, fetched, max_entries, large_problems)
    else:
        parsed = _parse(prepared.data, prepared.encoding, fetched)
    dangling = None
    if isinstance(parsed.get("bozo_exception"), (xml.sax.SAXParseException, _FeedParserCrash)):
        if not large:  # a large feed was parsed from libxml2's recovered tree already
            parsed = _better_of(parsed, _reparse_after_lxml_recovery(prepared, fetched))
        dangling = _dangling_text(prepared)
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
        problems=[*prepared.problems, *large_problems],
    )
    if problem := _bozo_problem(parsed):
        collector.problems.append(problem)
    feed_language = _feed_language(parsed.get("feed") or {})
    for item in entries:
        if collector.kept >= max_entries:
            break  # feeds list the newest first; the rest would be cut anyway
        _add_entry(collector, item, feed_language, dangling)
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
    try:
        return feedparser.parse(
            io.BytesIO(data),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:
        # feedparser's lenient parser has bugs of its own on broken markup
        # (int(None) for an empty <width>); the feed is then read like one
        # that is not well-formed, from libxml2's recovered tree.
        return feedparser.FeedParserDict(
            bozo=True, bozo_exception=_FeedParserCrash(exc), entries=[], feed={}, version=""
        )


class _FeedParserCrash(Exception):  # never leaves this module
    """feedparser raised instead of reporting a bad feed."""

    def __init__(self, error: Exception) -> None:
        super().__init__(f"{type(error).__name__}: {error}")


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


def _parse_large(
    prepared: PreparedXml, fetched: Fetched, max_entries: int, problems: list[str]
) -> Any:
    """A large feed read by libxml2 a megabyte at a time, its first ``max_entries`` entries kept.

    feedparser holds several copies of what it parses: a feed inflated to
    the decompression cap took hundreds of megabytes, and tens of thousands
    of entries minutes. Feeds list the newest first and the entries past the
    cap are not read anyway, so parsing stops after them; what feedparser
    gets is the small, well-formed document libxml2 recovered.
    """
    parser = etree.XMLPullParser(
        events=("end",), recover=True, resolve_entities=False, no_network=True,
        huge_tree=False, load_dtd=False, remove_comments=True, remove_pis=True,
    )
    entries = 0
    for chunk in prepared.parser_chunks():
        parser.feed(chunk)
        for _, element in parser.read_events():
            if _local_name(element.tag) in _ENTRY_NAMES:
                entries += 1
                if entries > max_entries:
                    element.getparent().remove(element)
        if entries > max_entries:
            break
    errors = parser.feed_error_log.filter_from_errors()
    if errors and entries <= max_entries:  # past the cap, the end was never given
        first = errors[0]
        problems.append(f"not well-formed XML at line {first.line} ({first.message.strip()})")
    root = parser.close()
    if root is None:
        return _parse(b"", "utf-8", fetched)
    for element in root.iter():
        element.tail = _within_text_cap(element.tail, problems)
        if not isinstance(element.tag, str):
            continue
        element.text = _within_text_cap(element.text, problems)
    repaired = etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True)
    return _parse(repaired, "utf-8", fetched)


def _within_text_cap(text: str | None, problems: list[str]) -> str | None:
    """``text`` cut at ``MAX_TEXT_CHARS``, and None when it is only blanks.

    Only short fields are kept from a feed (titles, links, dates, a summary),
    and megabytes of blanks between elements are a bomb's padding.
    """
    if text is None or not text.strip():
        return None
    if len(text) <= MAX_TEXT_CHARS:
        return text
    problems.append(f"text over {MAX_TEXT_CHARS} characters cut")
    return text[:MAX_TEXT_CHARS]


def _local_name(tag: object) -> str | None:
    if not isinstance(tag, str):
        return None
    return tag.rpartition("}")[2].lower()


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
    collector: EntryCollector,
    item: Mapping[str, Any],
    feed_language: str | None,
    dangling: str | None,
) -> None:
    link = _entry_link(item, collector.base_url)
    if link and dangling and link.endswith(dangling):
        # The document stops inside this link: "http://exa" names another site.
        collector.problems.append("document cut off inside an entry's link (entry dropped)")
        link = None
    title_detail = item.get("title_detail") or {}
    collector.add(
        link,
        title=plain_text(item.get("title"), is_html=title_detail.get("type") in _HTML_TYPES),
        published=_entry_date(item, collector.dates),
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
    # An id is used only when the feed says it is the entry's page (an RSS guid
    # without isPermaLink="false", which feedparser marks "guidislink") and it
    # is a URL on its own: "cp-2025-118" resolved against the feed URL would
    # name a page that does not exist, and a non-permalink guid that looks
    # like a URL is often an internal address.
    item_id = item.get("id")
    if not item.get("guidislink") or not isinstance(item_id, str):
        return None
    return item_id if is_http_url(item_id) else None


def _dangling_text(prepared: PreparedXml) -> str | None:
    """The text after the last markup character of a document cut off before its end.

    A feed cut off in transit ends inside some element; when that element is
    a link, its text is the start of a URL ("http://exa") and must not be
    taken for the entry's page. None when the document element is closed or
    the document ends with markup.
    """
    # The end is enough; decoding the whole of a large feed would copy it.
    tail = prepared.tail(_DANGLING_SCAN_BYTES)
    text = tail.decode(prepared.encoding, errors="replace").rstrip()
    closing = text.rfind("</")
    if closing >= 0 and text.endswith(">"):
        name = text[closing + 2 : -1].strip().rpartition(":")[2].lower()
        if name == prepared.root:
            return None
    last_markup = max(text.rfind(">"), text.rfind('"'), text.rfind("'"))
    dangling = html.unescape(text[last_markup + 1 :]).strip()
    return dangling or None


def _entry_date(item: Mapping[str, Any], notes: DateNotes) -> datetime | None:
    # feedparser copies one date under several keys; an entry counts once.
    unusable = DateNotes()
    for key in ("published", "updated", "created"):
        raw, parsed = item.get(key), item.get(f"{key}_parsed")
        if raw is None and parsed is None:
            continue
        if moment := feed_date(raw if isinstance(raw, str) else None, parsed, unusable):
            return moment
    if unusable.first is not None:
        notes.note(unusable.first)
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
