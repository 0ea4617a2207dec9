"""Entries from XML sitemaps: ``<urlset>`` (with the Google News extension) and ``<sitemapindex>``.

Parsed with lxml in recover mode and with every door closed: entities are
never expanded (no XXE, no "billion laughs"), nothing is loaded from the
network, and the tree size limits stay on. Element names are matched by local
name, because sitemaps in the wild use the wrong namespace or none.
A plain-text sitemap (one URL per line) is read too. A feed given where a
sitemap was expected goes to the feed reader (:mod:`dispatch` decides).
"""

from __future__ import annotations

import codecs
import functools
import heapq
from collections.abc import Iterator
from datetime import datetime
from itertools import chain
from typing import Any

from lxml import etree

from babelwire.discover.collect import EntryCollector, nothing_found
from babelwire.discover.dates import as_utc, w3c_datetime
from babelwire.discover.fields import language_tag, plain_text
from babelwire.discover.urls import canonicalize_url
from babelwire.discover.xmlprep import PreparedXml
from babelwire.model import Discovered, Fetched, Source

_ITEM_NAMES = frozenset({"url", "sitemap"})
#: Links (or child sitemaps) resolved per entry a poll keeps: room for
#: repeated and unusable ones among the newest.
_CANDIDATES_PER_ENTRY = 4


def read_sitemap(
    fetched: Fetched,
    prepared: PreparedXml,
    source: Source,
    *,
    max_entries: int = 200,
    since: datetime | None = None,
) -> Discovered:
    """Entries of a ``<urlset>``, or child sitemaps of a ``<sitemapindex>``.

    ``prepared`` is ``fetched.body`` made ready for the parser. With
    ``since``, links (and child sitemaps) dated before it are left out;
    undated ones are kept. Over ``max_entries``, the most recent are kept.
    """
    found_in = fetched.url
    collector = EntryCollector(
        source_id=source.id,
        found_in=found_in,
        base_url=fetched.final_url or fetched.url,
        max_entries=max_entries,
        problems=list(prepared.problems),
    )
    if prepared.root is None:
        return _text_sitemap(prepared, collector)
    kind = None
    newest = _Newest(max_entries * _CANDIDATES_PER_ENTRY)
    for root, element in _elements(prepared, collector.problems):
        kind = _local(root.tag)
        # iter(), not the element alone: after a recovered error libxml2 may
        # nest the following <url> inside the broken one.
        for item in element.iter() if element is not None else ():
            name = _local(item.tag)
            if kind == "urlset" and name == "url":
                _offer_url(newest, collector, item, since)
            elif kind == "sitemapindex" and name == "sitemap":
                _offer_child_sitemap(newest, collector, item, since)
    if kind == "urlset":
        _add_urls(collector, newest)
        return collector.result("sitemap", keep_newest=True)
    if kind == "sitemapindex":
        children = _child_sitemaps(collector, newest)
        return collector.result("sitemapindex", sitemaps=_newest_first(children, collector))
    what = f"document element <{kind}>" if kind else "no XML element could be read"
    problems = "; ".join([*collector.problems, f"not a sitemap ({what})"])
    return nothing_found(found_in, problems)


def _elements(
    prepared: PreparedXml, problems: list[str]
) -> Iterator[tuple[etree._Element, etree._Element | None]]:
    """(document element, <url> or <sitemap>) as each ends, parsed a megabyte at a time.

    A sitemap may hold 50,000 links and, gzipped, inflate to the
    decompression cap: the whole tree of one took ten times the body's
    size. Each element read is emptied, so the tree stays small.
    """
    parser = etree.XMLPullParser(
        events=("end",), recover=True, resolve_entities=False, no_network=True,
        huge_tree=False, load_dtd=False, remove_comments=True, remove_pis=True,
    )
    try:
        for chunk in prepared.parser_chunks():
            parser.feed(chunk)
            yield from _read_events(parser)
        root = parser.close()
    except etree.XMLSyntaxError as exc:
        problems.append(f"not well-formed XML ({exc})")
        return
    yield from _read_events(parser)
    if root is not None:
        yield root, None  # says what the document is when it holds no item
    errors = parser.feed_error_log.filter_from_errors()
    if errors:
        first = errors[0]
        problems.append(f"not well-formed XML at line {first.line} ({first.message.strip()})")
    if root is not None:
        dtd = root.getroottree().docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.iterentities()):
            problems.append("DTD declares entities; they were not expanded")


def _read_events(
    parser: etree.XMLPullParser,
) -> Iterator[tuple[etree._Element, etree._Element | None]]:
    """Each <url> or <sitemap> that is not inside another, once it ends; emptied after."""
    for _, element in parser.read_events():
        name = _local(element.tag)
        if name not in _ITEM_NAMES or any(_local(up.tag) == name for up in element.iterancestors()):
            continue
        yield element.getroottree().getroot(), element
        element.clear(keep_tail=True)
        while (previous := element.getprevious()) is not None and _local(previous.tag) == name:
            previous.getparent().remove(previous)


class _Newest:
    """The newest ``size`` of the links offered, by date, the earlier first among equals.

    Only these are resolved and normalised (``canonicalize_url``), which is
    most of the cost of a link: a sitemap of 750,000 links spent a minute
    on links that a poll, which keeps ``max_entries``, would never take.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.offered = 0
        self._heap: list[tuple[tuple[float, int], Any]] = []

    def offer(self, moment: datetime | None, item: Any) -> None:
        # Positions are unique, so items themselves are never compared.
        key = (as_utc(moment).timestamp() if moment else float("-inf"), -self.offered)
        self.offered += 1
        if len(self._heap) < self.size:
            heapq.heappush(self._heap, (key, item))
        elif key > self._heap[0][0]:
            heapq.heapreplace(self._heap, (key, item))

    def in_document_order(self) -> list[Any]:
        return [item for key, item in sorted(self._heap, key=lambda kept: -kept[0][1])]


def _offer_url(
    newest: _Newest, collector: EntryCollector, element: etree._Element, since: datetime | None
) -> None:
    fields: dict[str, str] = {}
    for child in element:
        name = _local(child.tag)
        if name == "news":
            fields.update(_news_fields(child))
        elif name in ("loc", "lastmod"):
            fields[name] = _text(child)
    published = w3c_datetime(fields.get("publication_date"), collector.dates) or w3c_datetime(
        fields.get("lastmod"), collector.dates
    )
    if since is not None and published is not None and as_utc(published) < as_utc(since):
        return
    newest.offer(published, (fields, published))


def _add_urls(collector: EntryCollector, newest: _Newest) -> None:
    """The newest links, in document order, as entries; the others count as seen."""
    kept = newest.in_document_order()
    for fields, published in kept:
        collector.add(
            fields.get("loc"),
            title=plain_text(fields.get("title"), is_html=False),
            published=published,
            language=language_tag(fields.get("language")),
        )
    collector.seen += newest.offered - len(kept)


def _news_fields(news: etree._Element) -> dict[str, str]:
    """``publication_date``, ``title`` and ``language`` of a ``<news:news>`` element."""
    fields: dict[str, str] = {}
    for child in news.iter():
        name = _local(child.tag)
        if name in ("publication_date", "title", "language"):
            fields[name] = _text(child)
    return fields


def _offer_child_sitemap(
    newest: _Newest, collector: EntryCollector, element: etree._Element, since: datetime | None
) -> None:
    """Offer a child sitemap's URL and date; one unchanged since ``since`` is left out."""
    # Entity references (never expanded) are children too, but have no text.
    fields = {_local(child.tag): _text(child) for child in element if _local(child.tag)}
    lastmod = w3c_datetime(fields.get("lastmod"), collector.dates)
    if since is not None and lastmod is not None and as_utc(lastmod) < as_utc(since):
        return
    newest.offer(lastmod, (fields.get("loc", ""), lastmod))
    collector.seen += 1


def _child_sitemaps(collector: EntryCollector, newest: _Newest) -> dict[str, datetime | None]:
    """The newest child sitemaps by canonical URL, the first of a repeated one kept."""
    found: dict[str, datetime | None] = {}
    for loc, lastmod in newest.in_document_order():
        try:
            found.setdefault(canonicalize_url(loc, collector.base_url), lastmod)
        except ValueError:
            collector.unusable += 1
    return found


def _newest_first(found: dict[str, datetime | None], collector: EntryCollector) -> tuple[str, ...]:
    """Child sitemap URLs, de-duplicated, newest first, at most ``max_entries``."""

    # Newest first, undated last: each child costs a request, a poll reads
    # children in this order within its cap, and recent ones hold the news.
    def stamp(url: str) -> float:
        lastmod = found[url]
        return as_utc(lastmod).timestamp() if lastmod else float("-inf")

    return tuple(sorted(found, key=stamp, reverse=True)[: collector.max_entries])


def _text_sitemap(prepared: PreparedXml, collector: EntryCollector) -> Discovered:
    """A text sitemap: one absolute URL per line (sitemaps.org allows it)."""
    found = False
    for line in _lines(prepared):
        if line.startswith(("http://", "https://")):
            collector.add(line)
            found = True
    if not found:
        return nothing_found(collector.found_in, "not a sitemap (no XML and no URL lines)")
    return collector.result("sitemap")


def _lines(prepared: PreparedXml) -> Iterator[str]:
    """The stripped lines of the text, read a piece at a time (a large one is never whole)."""
    decoder = codecs.getincrementaldecoder(prepared.encoding)(errors="replace")
    rest = ""
    for chunk in chain(prepared.chunks(), [b""]):
        lines = (rest + decoder.decode(chunk, final=not chunk)).splitlines(keepends=True)
        # The last line may go on in the next piece; a "\r\n" cut in two
        # only adds an empty line.
        rest = lines.pop() if chunk and lines and lines[-1] == lines[-1].rstrip("\r\n") else ""
        yield from (line.strip() for line in lines)


@functools.lru_cache(maxsize=1024)  # a sitemap repeats a handful of tags 50,000 times
def _local(tag: object) -> str | None:
    """Local name of an element tag; None for comments, entities and the like."""
    if not isinstance(tag, str):
        return None
    return tag.rpartition("}")[2].rpartition(":")[2].lower()


def _text(element: etree._Element) -> str:
    # itertext() keeps an entity reference as its literal "&name;" text; it is
    # never replaced by what the DTD declares.
    return "".join(element.itertext()).strip()
