"""The archived capture of a document: the page as the wire fetched it.

``/archive/{document_id}`` reads the raw response from the WARC archive (the
record named on the document) and shows it framed as a copy: a banner names
the fetch time and the original address, and says the page is not the live
one. What the source served is third-party markup, so it is sanitised (nh3:
no script, style, form, frame or image survives) and the response's own
Content-Security-Policy adds ``sandbox``: even a fault in the sanitiser could
not run a script or load anything from the source's server.

The archive directory is given to ``create_app`` (``archive_dir``); a server
started without one answers 404 with that reason.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urljoin

import nh3
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from babelwire.errors import FetchError
from babelwire.fetch.archive import Archive, fetched_from_archive
from babelwire.model import Document, Fetched
from babelwire.publish.context import Ctx
from babelwire.publish.pages import render

log = logging.getLogger("babelwire.publish")
router = APIRouter(include_in_schema=False)

#: Scripts off, nothing loaded from anywhere but our stylesheet, no forms.
ARCHIVE_CSP = ("sandbox; default-src 'none'; style-src 'self'; img-src 'none'; "
               "form-action 'none'; base-uri 'none'; frame-ancestors 'none'")
#: Tags kept from the archived page: text structure only. Images, media,
#: frames and forms would load from (or send to) the source's server.
CAPTURE_TAGS = frozenset(nh3.ALLOWED_TAGS) - {"img", "area", "map"}
#: Tags removed with everything inside them (their text is not page text).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "noscript", "template", "title", "head"})
CAPTURE_ATTRIBUTES = {"*": {"lang", "dir", "title"}, "a": {"href"},
                      "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
HTML_TYPES = ("text/html", "application/xhtml+xml")


def sanitise_capture(markup: str, base_url: str) -> str:
    """The archived page's body as inert HTML: text, headings, lists, tables, links.

    Links are made absolute against the page's address: a relative one would
    otherwise lead to a path on this server instead of the source's page.
    """

    def absolute(tag: str, attribute: str, value: str) -> str | None:
        return urljoin(base_url, value) if tag == "a" and attribute == "href" else value

    return nh3.clean(
        markup, tags=set(CAPTURE_TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in CAPTURE_ATTRIBUTES.items()},
        attribute_filter=absolute, link_rel="noopener noreferrer nofollow", strip_comments=True,
    )


def _read(archive_dir: Path, doc: Document) -> Fetched:
    assert doc.warc_file is not None and doc.warc_offset is not None
    try:
        return fetched_from_archive(Archive(archive_dir), doc.warc_file, doc.warc_offset)
    except FetchError as exc:
        # The reason names files on the server: the log gets it, the reader not.
        log.warning("publish: archived capture of %s: %s", doc.id, exc)
        raise HTTPException(404, "publish: the archived capture of this page cannot be "
                                 "read") from None


def _document(ctx: Ctx, document_id: str) -> Document:
    doc = ctx.store.document(document_id)
    if doc is None:
        raise HTTPException(404, f"publish: no document {document_id[:40]!r}")
    if not doc.warc_file or doc.warc_offset is None:
        raise HTTPException(404, "publish: this page was not archived when it was fetched")
    return doc


@router.get("/archive/{document_id}")
def archived_capture(document_id: str, request: Request, ctx: Ctx) -> Response:
    doc = _document(ctx, document_id)
    archive_dir: Path | None = getattr(request.app.state, "archive_dir", None)
    if archive_dir is None:
        raise HTTPException(404, "publish: this server does not keep the archive of fetched "
                                 "pages")
    fetched = _read(Path(archive_dir), doc)
    media_type = fetched.content_type.split(";", 1)[0].strip().lower()
    capture_html = sanitise_capture(fetched.text, fetched.url) if media_type in HTML_TYPES else None
    capture_text = fetched.text if media_type.startswith("text/") and not capture_html else None
    item = ctx.store.item_for_document(doc.id)
    response = render("archive", {
        "site": ctx.settings, "title": f"Archived capture of {fetched.url}",
        "json_url": None, "feeds": [], "doc": doc, "fetched": fetched, "item": item,
        "media_type": media_type or "unknown", "capture_html": capture_html,
        "capture_text": capture_text,
    })
    response.headers["Content-Security-Policy"] = ARCHIVE_CSP
    # A capture never changes: the record is written once.
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
