"""Entries from an HTML page that lists publications, read with the catalog's CSS selectors.

Many ministries publish no feed, only a "news" or "press releases" page. The
catalog names a selector for the links (``Listing.link_selector``) and,
optionally, one for the date printed next to each link. Only links to the
same site are kept: listing pages also link to social networks, partner
agencies and the site's own navigation, which selectors catch by accident.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urljoin

import lxml.html
from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

from babelwire.discover.charset import choose_codec
from babelwire.discover.collect import EntryCollector, nothing_found
from babelwire.discover.dates import DateNotes, loose_date
from babelwire.discover.fields import fold_whitespace
from babelwire.discover.urls import canonicalize_url, is_http_url, same_site
from babelwire.model import Discovered, Fetched, Listing, Source

#: Levels walked up from a link to find "its" date when the date selector
#: matched a different number of elements than the link selector.
_DATE_SEARCH_LEVELS = 4


def discover_listing(
    fetched: Fetched, source: Source, listing: Listing, *, max_entries: int = 200
) -> Discovered:
    """Links matched by ``listing.link_selector``, same-site only, in page order."""
    found_in = fetched.url
    if fetched.not_modified:
        return Discovered(found_in=found_in, entries=())
    try:
        link_selector = CSSSelector(listing.link_selector)
        date_selector = CSSSelector(listing.date_selector) if listing.date_selector else None
    except SelectorError as exc:
        return nothing_found(found_in, f"bad CSS selector in the catalog ({exc})", format="listing")
    document = _parse_html(fetched)
    if document is None:
        return nothing_found(found_in, "empty body", format="listing")
    page_url = fetched.final_url or fetched.url
    base = _base_url(document, page_url)
    matched = link_selector(document)
    if not matched:
        problem = f"link selector {listing.link_selector!r} matched nothing (page layout changed?)"
        return nothing_found(found_in, problem, format="listing")
    collector = EntryCollector(
        source_id=source.id, found_in=found_in, base_url=base, max_entries=max_entries
    )
    dates = _dates_for(matched, date_selector(document), collector.dates) if date_selector else {}
    own_pages = {_canonical_or_none(url) for url in (page_url, fetched.url, listing.url)}
    for index, element in enumerate(matched):
        anchor = _anchor(element)
        href = anchor.get("href") if anchor is not None else None
        if anchor is None or not href or not is_http_url(href, base):
            continue  # "#top", "javascript:", "mailto:" links are not publications
        url = canonicalize_url(href, base)
        if url in own_pages or not (same_site(url, page_url) or same_site(url, listing.url)):
            continue
        collector.add(url, title=_link_title(anchor, element), published=dates.get(index))
    if not collector.seen:
        collector.problems.append(f"none of the {len(matched)} links matched is on this site")
    return collector.result("listing")


def _parse_html(fetched: Fetched) -> lxml.html.HtmlElement | None:
    body = fetched.body
    if not body.strip():
        return None
    text = body.decode(choose_codec(body, fetched, default_type="text/html"), errors="replace")
    # Re-encoded as UTF-8 and parsed as bytes with that encoding: lxml refuses
    # str input that carries an XML declaration, and ignores <meta> this way.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)
    try:
        return lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _base_url(document: lxml.html.HtmlElement, page_url: str) -> str:
    """``<base href>`` resolved against the page URL, when the page has one."""
    for base in document.iterfind(".//base[@href]"):
        href = base.get("href") or ""
        if is_http_url(href, page_url):
            return urljoin(page_url, href.strip())
    return page_url


def _anchor(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element itself when it is a link, else the first link inside it."""
    if element.tag == "a" and element.get("href"):
        return element
    return next(element.iterfind(".//a[@href]"), None)


def _link_title(anchor: lxml.html.HtmlElement, element: lxml.html.HtmlElement) -> str | None:
    for text in (anchor.text_content(), anchor.get("title"), element.text_content()):
        if text and (folded := fold_whitespace(text)):
            return folded
    return None


def _dates_for(
    links: list[lxml.html.HtmlElement],
    date_elements: list[lxml.html.HtmlElement],
    notes: DateNotes,
) -> dict[int, datetime]:
    """Date of each matched link, by index.

    Paired by order when both selectors matched as many elements (the usual
    list of "date, headline" rows). Otherwise each link takes the one date
    element found in its nearest enclosing block, if exactly one is there.
    """
    parsed = {id(el): _element_date(el, notes) for el in date_elements}
    if len(links) == len(date_elements):
        pairs = {i: parsed[id(el)] for i, el in enumerate(date_elements)}
        return {i: moment for i, moment in pairs.items() if moment is not None}
    holders = _date_holders(date_elements)
    found: dict[int, datetime] = {}
    for index, link in enumerate(links):
        ancestor = link
        for _level in range(_DATE_SEARCH_LEVELS):
            ancestor = ancestor.getparent()
            if ancestor is None:
                break
            inside = holders.get(ancestor, ())
            if len(inside) == 1:
                if (moment := parsed[id(inside[0])]) is not None:
                    found[index] = moment
                break
            if len(inside) > 1:
                break
    return found


def _date_holders(
    date_elements: list[lxml.html.HtmlElement],
) -> dict[lxml.html.HtmlElement, list[lxml.html.HtmlElement]]:
    """For each element, the date elements in it (itself included), at most two.

    Built by walking up once from each date element: asking each link's
    ancestors for their whole subtree instead is quadratic, and took seconds
    on a page of a few thousand links. Two are enough to tell "exactly one".
    """
    holders: dict[lxml.html.HtmlElement, list[lxml.html.HtmlElement]] = {}
    for element in date_elements:
        node: lxml.html.HtmlElement | None = element
        while node is not None:
            inside = holders.setdefault(node, [])
            if len(inside) >= 2:
                break  # so do all its ancestors
            inside.append(element)
            node = node.getparent()
    return holders


def _element_date(element: lxml.html.HtmlElement, notes: DateNotes) -> datetime | None:
    # A <time datetime="..."> attribute is machine-readable; prefer it to the text.
    return loose_date(element.get("datetime"), notes) or loose_date(element.text_content(), notes)


def _canonical_or_none(url: str) -> str | None:
    try:
        return canonicalize_url(url)
    except ValueError:
        return None
