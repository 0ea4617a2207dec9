"""RSS 2.0 and Atom feeds for every filter the web UI offers.

``/feeds/rss`` and ``/feeds/atom`` take the same parameters as the wire page
(``q``, ``region``, ``source``, ``language``, ``section``, ``from``, ``to``)
and list the newest ``feed_size`` items of that view.

- Identity: an entry's RSS ``guid`` and Atom ``id`` are the item permalink,
  which is fixed at the item's first version, so an edited item updates its
  entry instead of appearing twice.
- Dates: RSS ``pubDate`` (RFC 822) and Atom ``published`` (RFC 3339) are when
  the wire first published the item; Atom ``updated`` is its latest version.
  The feed's own date is the newest ``version_created`` in it (never "now"),
  so the same items give the same bytes, and so the same ETag.
- Content: the wire text. Atom carries it as ``type="text"``; RSS readers
  treat ``description`` as HTML, so there it is the wire text escaped line by
  line into paragraphs (markup in a source's text stays text in a reader).
- Self link: the address the feed was asked for, as it was written (a
  space sent as ``%20`` stays ``%20``), with its media type, so that a
  reader's subscription and the feed's own link are the same string.
- Caching: a strong ETag over the body and Last-Modified from the feed date;
  If-None-Match (or, without it, If-Modified-Since) answers 304.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from feedgen.feed import FeedGenerator

from babelwire.compose import render_wire
from babelwire.model import Item
from babelwire.publish.context import Context, Ctx
from babelwire.publish.filters import Filters
from babelwire.publish.listing import run_listing
from babelwire.publish.pages import with_params
from babelwire.publish.settings import PublishSettings

router = APIRouter(include_in_schema=False)

MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
#: The feed date of an empty feed: fixed, so that its ETag is stable too.
EMPTY_FEED_DATE = datetime(1970, 1, 1, tzinfo=UTC)
#: Characters XML 1.0 forbids (C0 controls except tab, LF, CR; surrogates;
#: U+FFFE/U+FFFF). Source text can hold them and lxml refuses to write them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def wire_html(item: Item) -> str:
    """The wire text as HTML paragraphs, every line escaped."""
    lines = render_wire(item).splitlines()
    return "".join(f"<p>{html.escape(xml_text(line))}</p>" for line in lines if line)


def feed_date(items: Sequence[Item]) -> datetime:
    return max((item.version_created for item in items), default=EMPTY_FEED_DATE)


def _view_url(settings: PublishSettings, filters: Filters) -> str:
    """The HTML page that shows the same items as the feed."""
    path = "/search" if filters.text else "/"
    return settings.root_url + with_params(path, filters.params())


def build_feed(
    fmt: str, items: Sequence[Item], filters: Filters, settings: PublishSettings, self_url: str
) -> bytes:
    """The feed document (``fmt`` "rss" or "atom") for ``items``, newest first."""
    what = filters.describe()
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(xml_text(f"{settings.publisher}: {what}" if what else settings.publisher))
    fg.description(xml_text(f"Wire items from official sources, in English ({what or 'all'})."))
    fg.author({"name": settings.publisher})
    # feedgen gives RSS's <channel><link> the last link added: the HTML view.
    fg.link(href=self_url, rel="self", type=MEDIA_TYPES[fmt])
    fg.link(href=_view_url(settings, filters), rel="alternate")
    fg.language("en")
    fg.generator("babelwire")
    fg.updated(feed_date(items))
    fg.lastBuildDate(feed_date(items))
    for item in items:
        permalink = f"{settings.root_url}/items/{item.id}/{item.slug}"
        entry = fg.add_entry(order="append")
        entry.id(permalink)
        entry.guid(permalink, permalink=True)
        entry.title(xml_text(item.headline))
        entry.link(href=permalink, rel="alternate")
        entry.published(item.first_created)
        entry.updated(item.version_created)
        entry.author({"name": xml_text(item.source_name)})
        for term in (item.region, item.section):
            if term:
                entry.category(term=xml_text(term))
        if fmt == "atom":
            entry.content(xml_text(render_wire(item)), type="text")
        else:
            entry.description(wire_html(item))
    return bytes(fg.atom_str(pretty=True) if fmt == "atom" else fg.rss_str(pretty=True))


def _not_modified(request: Request, etag: str, last_modified: datetime) -> bool:
    # RFC 9110 §13.2.2: when If-None-Match is present, If-Modified-Since is ignored.
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = request.headers.get("if-modified-since")
    if since is None:
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
    body = build_feed(fmt, listing.page.items, listing.filters, ctx.settings, self_url)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    updated = feed_date(listing.page.items).astimezone(UTC)
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(updated, usegmt=True),
        "Cache-Control": "public, max-age=60",
    }
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
