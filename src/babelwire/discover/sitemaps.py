"""Entries from XML sitemaps: ``<urlset>`` (with the Google News extension) and ``<sitemapindex>``.

Parsed with lxml in recover mode and with every door closed: entities are
never expanded (no XXE, no "billion laughs"), nothing is loaded from the
network, and the tree size limits stay on. Element names are matched by local
name, because sitemaps in the wild use the wrong namespace or none.
A plain-text sitemap (one URL per line) is read too. A feed given where a
sitemap was expected goes to the feed reader (:mod:`dispatch` decides).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from lxml import etree

from babelwire.discover.collect import EntryCollector, nothing_found
from babelwire.discover.dates import as_utc, w3c_datetime
from babelwire.discover.fields import language_tag, plain_text
from babelwire.discover.urls import canonicalize_url
from babelwire.discover.xmlprep import PreparedXml
from babelwire.model import Discovered, Fetched, Source

_CHUNK_BYTES = 1_000_000
_ITEM_NAMES = frozenset({"url", "sitemap"})


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
    children: dict[str, datetime | None] = {}
    for root, element in _elements(prepared, collector.problems):
        kind = _local(root.tag)
        # iter(), not the element alone: after a recovered error libxml2 may
        # nest the following <url> inside the broken one.
        for item in element.iter() if element is not None else ():
            name = _local(item.tag)
            if kind == "urlset" and name == "url":
                _add_url(collector, item, since)
            elif kind == "sitemapindex" and name == "sitemap":
                _add_child_sitemap(children, collector, item, since)
    if kind == "urlset":
        return collector.result("sitemap", keep_newest=True)
    if kind == "sitemapindex":
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
    data = prepared.data
    try:
        for start in range(0, len(data), _CHUNK_BYTES):
            parser.feed(data[start : start + _CHUNK_BYTES])
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


def _add_url(collector: EntryCollector, element: etree._Element, since: datetime | None) -> None:
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
    collector.add(
        fields.get("loc"),
        title=plain_text(fields.get("title"), is_html=False),
        published=published,
        language=language_tag(fields.get("language")),
    )


def _news_fields(news: etree._Element) -> dict[str, str]:
    """``publication_date``, ``title`` and ``language`` of a ``<news:news>`` element."""
    fields: dict[str, str] = {}
    for child in news.iter():
        name = _local(child.tag)
        if name in ("publication_date", "title", "language"):
            fields[name] = _text(child)
    return fields


def _add_child_sitemap(
    found: dict[str, datetime | None],
    collector: EntryCollector,
    element: etree._Element,
    since: datetime | None,
) -> None:
    """Note a child sitemap's URL and date; one unchanged since ``since`` is left out."""
    # Entity references (never expanded) are children too, but have no text.
    fields = {_local(child.tag): _text(child) for child in element if _local(child.tag)}
    lastmod = w3c_datetime(fields.get("lastmod"), collector.dates)
    if since is not None and lastmod is not None and as_utc(lastmod) < as_utc(since):
        return
    try:
        found.setdefault(canonicalize_url(fields.get("loc", ""), collector.base_url), lastmod)
    except ValueError:
        collector.unusable += 1
    collector.seen += 1


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
    lines = [
        line.strip() for line in prepared.data.decode(prepared.encoding, "replace").splitlines()
    ]
    urls = [line for line in lines if line.startswith(("http://", "https://"))]
    if not urls:
        return nothing_found(collector.found_in, "not a sitemap (no XML and no URL lines)")
    for url in urls:
        collector.add(url)
    return collector.result("sitemap")


def _local(tag: object) -> str | None:
    """Local name of an element tag; None for comments, entities and the like."""
    if not isinstance(tag, str):
        return None
    return tag.rpartition("}")[2].rpartition(":")[2].lower()


def _text(element: etree._Element) -> str:
    # itertext() keeps an entity reference as its literal "&name;" text; it is
    # never replaced by what the DTD declares.
    return "".join(element.itertext()).strip()
