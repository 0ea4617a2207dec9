"""RSS 2.0 and Atom feeds for every filter the web UI offers.

``/feeds/rss`` and ``/feeds/atom`` take the same parameters as the wire page
(``q``, ``region``, ``source``, ``language``, ``section``, ``from``, ``to``)
and list the newest ``feed_size`` items of that view.

- Identity: an entry's RSS ``guid`` and Atom ``id`` are the item permalink,
  which is fixed at the item's first version, so an edited item updates its
  entry instead of appearing twice.
- Provenance: every entry names the original (Atom ``link rel="via"`` with the
  source language as ``hreflang``; ``dc:source`` and ``dc:language`` in both
  formats), its source (Atom ``author``, RSS ``dc:creator``), and starts its
  content with the label of ``compose.labels`` and the quality notes, the
  same words as the item page and ninjs.
- Dates: RSS ``pubDate`` and Atom ``published`` are when the SOURCE published
  (a date-only publication is that day at 00:00 in the source's zone, as in
  ninjs; the first wire time when the source gave no date); Atom ``updated``
  is the wire time of the latest version. The feed's own date is the newest
  ``version_created`` in it, so the same items give the same bytes and the
  same ETag; an empty feed is dated now and sends no Last-Modified.
- Content: the wire text as HTML paragraphs, every line escaped (Atom
  ``type="html"``, RSS ``description``), so a reader keeps the paragraphs and
  markup in a source's text stays text.
- Titles name sources by name and desk, languages by name, never by id.
- Self link: the address the feed was asked for, as it was written (a
  space sent as ``%20`` stays ``%20``), with its media type, so that a
  reader's subscription and the feed's own link are the same string.
- Caching: a strong ETag over the body and Last-Modified from the feed date;
  If-None-Match (or, without it, If-Modified-Since) answers 304.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from feedgen.feed import FeedGenerator
from lxml import etree

from babelwire.compose import render_wire
from babelwire.compose.labels import flag_notes, language_name, text_label
from babelwire.compose.ninjs import content_created
from babelwire.model import Item, Source
from babelwire.publish.caching import body_etag, etag_matches
from babelwire.publish.context import Context, Ctx
from babelwire.publish.filters import Filters
from babelwire.publish.listing import run_listing
from babelwire.publish.pages import with_params
from babelwire.publish.settings import PublishSettings

router = APIRouter(include_in_schema=False)

MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
ATOM = "http://www.w3.org/2005/Atom"
#: How a filter is named in a feed title, by URL parameter.
TITLE_WORDS = {"q": "search", "region": "region", "source": "source", "language": "language",
               "section": "section", "from": "from", "to": "to"}
#: Characters XML 1.0 forbids (C0 controls except tab, LF, CR; surrogates;
#: U+FFFE/U+FFFF). Source text can hold them and lxml refuses to write them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def wire_html(item: Item) -> str:
    """The wire text as HTML paragraphs, every line escaped."""
    lines = render_wire(item).splitlines()
    return "".join(f"<p>{html.escape(xml_text(line))}</p>" for line in lines if line)


def feed_date(items: Sequence[Item], now: datetime) -> datetime:
    """The newest version in the feed; ``now`` for an empty feed (never 1970)."""
    return max((item.version_created for item in items), default=now)


def _view_url(settings: PublishSettings, filters: Filters) -> str:
    """The HTML page that shows the same items as the feed."""
    path = "/search" if filters.text else "/"
    return settings.root_url + with_params(path, filters.params())


def source_label(source_id: str, sources: Mapping[str, Source], items: Sequence[Item]) -> str:
    """"United Nations – UN News": a source's name with its desk (many share a name)."""
    if source_id in sources:
        name, desk = sources[source_id].name, sources[source_id].desk
    elif named := next((item for item in items if item.source_id == source_id), None):
        name, desk = named.source_name, named.desk
    else:
        return source_id
    return f"{name} – {desk}" if desk and desk != name else name


def describe(filters: Filters, sources: Mapping[str, Source], items: Sequence[Item]) -> str:
    """"region France, source United Nations – UN News, language Chinese (zh)"."""
    parts = []
    for param, given in filters.params().items():
        # A facet may hold several values (a list); every other filter one.
        values = [given] if isinstance(given, str) else list(given)
        if param == "source":
            values = [source_label(v, sources, items) for v in values]
        elif param == "language":
            values = [f"{language_name(v)} ({v})" for v in values]
        elif param == "q":
            values = [f"“{v}”" for v in values]
        parts.append(f"{TITLE_WORDS.get(param, param)} {' or '.join(values)}")
    return ", ".join(parts)


def source_time(item: Item) -> datetime:
    """When the source published, as a feed date (see the module doc)."""
    created = content_created(item)
    return datetime.fromisoformat(created) if created else item.first_created


def provenance_html(item: Item) -> str:
    """The entry's first paragraphs: the label, the original, the dates, the quality notes."""
    language = language_name(item.original_language) if item.original_language else "unknown"
    published = ("the source gave no date" if item.published is None else
                 f"published by the source {source_time(item).isoformat()}"
                 + ("" if item.published_has_time else " (date only)"))
    url = html.escape(xml_text(item.original_url))
    lines = [
        f"<p><strong>{html.escape(xml_text(text_label(item)))}</strong>. "
        f"Original ({html.escape(language)}) by {html.escape(xml_text(item.source_name))}: "
        f'<a href="{url}">{url}</a>; {published}; '
        f"on the wire {item.first_created.isoformat()}.</p>",
    ]
    notes = flag_notes(item.flags)
    if notes:
        lines.append("<p>Translation checks: "
                     + html.escape(xml_text("; ".join(notes))) + ".</p>")
    return "".join(lines)


def build_feed(
    fmt: str, items: Sequence[Item], filters: Filters, settings: PublishSettings, self_url: str,
    *, sources: Mapping[str, Source] | None = None, now: datetime | None = None,
) -> bytes:
    """The feed document (``fmt`` "rss" or "atom") for ``items``, newest first."""
    what = describe(filters, sources or {}, items)
    updated = feed_date(items, now or datetime.now(UTC))
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.id(self_url)
    fg.title(xml_text(f"{settings.publisher}: {what}" if what else settings.publisher))
    fg.description(xml_text(f"Wire items from official sources, in English ({what or 'all'})."))
    fg.author({"name": settings.publisher})
    # feedgen gives RSS's <channel><link> the last link added: the HTML view.
    fg.link(href=self_url, rel="self", type=MEDIA_TYPES[fmt])
    fg.link(href=_view_url(settings, filters), rel="alternate")
    fg.language("en")
    fg.generator("babelwire")
    fg.updated(updated)
    fg.lastBuildDate(updated)
    for item in items:
        permalink = f"{settings.root_url}/items/{item.id}/{item.slug}"
        original = xml_text(item.original_url)
        entry = fg.add_entry(order="append")
        entry.id(permalink)
        entry.guid(permalink, permalink=True)
        entry.title(xml_text(item.headline))
        entry.link(href=permalink, rel="alternate")
        entry.published(source_time(item))
        entry.updated(item.version_created)
        entry.author({"name": xml_text(item.source_name)})
        entry.dc.dc_creator(xml_text(item.source_name))
        entry.dc.dc_source(original)
        if item.original_language:
            entry.dc.dc_language(item.original_language)
        for term in (item.region, item.section):
            if term:
                entry.category(term=xml_text(term))
        content = provenance_html(item) + wire_html(item)
        if fmt == "atom":
            entry.content(content, type="html")
        else:
            entry.description(content)
    if fmt == "rss":
        return bytes(fg.rss_str(pretty=True))
    return add_via_links(bytes(fg.atom_str(pretty=True)), items, settings)


def add_via_links(atom: bytes, items: Sequence[Item], settings: PublishSettings) -> bytes:
    """Each Atom entry gets ``<link rel="via" href=original hreflang=language>``.

    feedgen writes an entry link's ``rel`` and ``hreflang`` from the element
    it has just created instead of the link's data, so every link it writes is
    an "alternate"; the original is added to the document here instead.
    """
    by_permalink = {f"{settings.root_url}/items/{item.id}/{item.slug}": item for item in items}
    tree = etree.fromstring(atom)
    for entry in tree.iterfind(f"{{{ATOM}}}entry"):
        item = by_permalink.get(entry.findtext(f"{{{ATOM}}}id") or "")
        if item is None:
            continue
        link = etree.SubElement(entry, f"{{{ATOM}}}link", href=xml_text(item.original_url),
                                rel="via")
        if item.original_language:
            link.set("hreflang", item.original_language)
    return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


def _not_modified(request: Request, etag: str, last_modified: datetime | None) -> bool:
    # RFC 9110 §13.2.2: when If-None-Match is present, If-Modified-Since is ignored.
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return etag_matches(if_none_match, etag)
    since = request.headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        since_at = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if since_at.tzinfo is None:
        since_at = since_at.replace(tzinfo=UTC)
    # HTTP dates have whole seconds; the feed date is truncated to compare.
    return last_modified.replace(microsecond=0) <= since_at


def feed_response(ctx: Context, request: Request, fmt: str) -> Response:
    params: Mapping[str, str] = {k: v for k, v in request.query_params.items() if k != "cursor"}
    listing = run_listing(ctx.store, params, limit=ctx.settings.feed_size)
    if listing.error:
        return PlainTextResponse(listing.error, status_code=400)
    query = f"?{request.url.query}" if request.url.query else ""
    self_url = xml_text(ctx.settings.root_url + request.url.path + query)
    items = listing.page.items
    body = build_feed(fmt, items, listing.filters, ctx.settings, self_url,
                      sources=ctx.sources, now=ctx.clock())
    etag = body_etag(body)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=60"}
    # An empty feed has no date of its own to state: no Last-Modified at all.
    updated = feed_date(items, ctx.clock()).astimezone(UTC) if items else None
    if updated is not None:
        headers["Last-Modified"] = format_datetime(updated, usegmt=True)
    if _not_modified(request, etag, updated):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=f"{MEDIA_TYPES[fmt]}; charset=utf-8", headers=headers)


# HEAD too: feed validators and some readers check a feed with HEAD first.
@router.api_route("/feeds/rss", methods=["GET", "HEAD"])
def rss_feed(request: Request, ctx: Ctx) -> Response:
    return feed_response(ctx, request, "rss")


@router.api_route("/feeds/atom", methods=["GET", "HEAD"])
def atom_feed(request: Request, ctx: Ctx) -> Response:
    return feed_response(ctx, request, "atom")
