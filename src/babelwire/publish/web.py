"""The reader's pages: the wire, search and source health, each with a JSON twin.

Convention: the JSON twin of a page is the same path with ``.json`` (``/`` is
``/index.json``), takes the same parameters and returns the same data. Every
HTML page names its twin in ``<link rel="alternate" type="application/json">``.
The item page is in ``itempage.py``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from babelwire.compose.labels import language_name
from babelwire.model import Document
from babelwire.publish import documentpage, recent, views
from babelwire.publish.context import Context, Ctx
from babelwire.publish.filters import FACET_NAMES, FACET_PARAMS
from babelwire.publish.listing import Listing, collapse_stories, next_params, run_listing
from babelwire.publish.pages import render, with_params

router = APIRouter(include_in_schema=False)

#: How many waiting documents the wire page lists; the rest are counted.
WAITING_SHOWN = 20
#: How many are read at most: the JSON twin lists them, and a backlog larger
#: than this is shown as "more than" (a page view must not read all of it).
WAITING_READ = 200


def read_waiting(ctx: Context, listing: Listing | None = None) -> tuple[list[Document], bool]:
    """Up to WAITING_READ waiting documents (those that match the listing's
    filters and search text, when given), and whether there are more."""
    if listing is not None and listing.error:
        return [], False
    query = listing.filters.query(limit=WAITING_READ) if listing is not None else None
    waiting = ctx.store.documents_waiting(limit=WAITING_READ + 1, query=query)
    return waiting[:WAITING_READ], len(waiting) > WAITING_READ


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    count: int | None
    #: The view with this value added to the facet's chosen ones.
    url: str = ""


@dataclass(frozen=True, slots=True)
class Chosen:
    param: str
    value: str
    label: str
    #: The view without this one value (the search and other filters kept).
    remove_url: str


def filter_options(ctx: Context, listing: Listing, path: str) -> dict[str, list[Option]]:
    """Choices for each facet: the values the current result has, with
    counts (a chosen facet counts as if it were free, so its other values
    stay offered), less the values already chosen."""
    filters = listing.filters
    options: dict[str, list[Option]] = {}
    for name in FACET_NAMES:
        chosen = {value.casefold() for value in getattr(filters, FACET_PARAMS[name])}
        options[name] = sorted(
            (Option(value, views.facet_label(name, value, ctx.sources), count,
                    with_params(path, filters.adding(name, value).params()))
             for value, count in listing.page.facets.get(name, ())
             if value.casefold() not in chosen),
            key=lambda option: option.label.casefold(),
        )
    return options


def chosen_values(ctx: Context, listing: Listing, path: str) -> list[Chosen]:
    """Each chosen facet value, labelled as the items spell it (a value is
    matched whatever its case: "france" is shown as France)."""
    filters = listing.filters
    chosen = []
    for name in FACET_NAMES:
        spelled = {value.casefold(): value for value, _ in listing.page.facets.get(name, ())}
        for value in getattr(filters, FACET_PARAMS[name]):
            label = views.facet_label(name, spelled.get(value.casefold(), value), ctx.sources)
            chosen.append(Chosen(name, value, label,
                                 with_params(path, filters.without(name, value).params())))
    return chosen


def _feed_links(listing: Listing) -> list[dict[str, str]]:
    params = listing.filters.params()
    what = listing.filters.describe() or "all items"
    return [
        {"type": "application/rss+xml", "title": f"RSS: {what}",
         "url": with_params("/feeds/rss", params), "label": "RSS"},
        {"type": "application/atom+xml", "title": f"Atom: {what}",
         "url": with_params("/feeds/atom", params), "label": "Atom"},
    ]


def _page_context(ctx: Context, listing: Listing, request: Request, path: str,
                  json_path: str) -> dict[str, Any]:
    following = next_params(listing)
    now = ctx.clock()
    refresh = recent.refresh_seconds(request.query_params.get("refresh"))
    return {
        "site": ctx.settings,
        "listing": listing,
        "filters": listing.filters,
        "options": filter_options(ctx, listing, path),
        "chosen": chosen_values(ctx, listing, path),
        "source_names": ctx.source_names(),
        "source_label": lambda source_id: views.source_label(source_id,
                                                             ctx.sources.get(source_id)),
        "next_url": with_params(path, following) if following else None,
        "json_url": with_params(json_path, {**listing.filters.params(),
                                            "cursor": listing.cursor or ""}),
        "feeds": _feed_links(listing),
        "days": recent.by_day(listing.page.items, now),
        "ago": lambda moment: recent.ago(moment, now),
        "refresh": refresh,
        "refresh_url": with_params(path, {**listing.filters.params(),
                                          "refresh": "" if refresh else "60"}),
        "document_title": documentpage.document_title,
        "waiting_reason": documentpage.waiting_reason,
        "text_dir": documentpage.text_dir,
        "language_name": language_name,
        "not_translated": documentpage.NOT_TRANSLATED,
    }


def _listing_json(ctx: Context, listing: Listing, path: str) -> dict[str, Any]:
    following = next_params(listing)
    next_url = ctx.settings.root_url + with_params(path, following) if following else None
    body = views.page_json(listing.page, ctx.settings.root_url, next_url)
    body["filters"] = listing.filters.params()
    if listing.stories:
        body["stories"] = {item_id: asdict(badge) for item_id, badge in listing.stories.items()}
    if listing.error:
        body["error"] = listing.error
    return body


# -- the wire ---------------------------------------------------------------


def _wire_listing(ctx: Context, request: Request) -> Listing:
    return collapse_stories(run_listing(ctx.store, request.query_params,
                                        limit=ctx.settings.page_size, with_facets=True), ctx)


@router.get("/")
def wire_page(request: Request, ctx: Ctx) -> Response:
    listing = _wire_listing(ctx, request)
    waiting, more = read_waiting(ctx, listing)
    page = _page_context(ctx, listing, request, "/", "/index.json")
    page.update(title="Latest items", waiting=waiting[:WAITING_SHOWN], waiting_total=len(waiting),
                waiting_more=more, waiting_json_url=page["json_url"])
    return render("wire", page, status_code=listing.status_code)


@router.get("/index.json")
def wire_json(request: Request, ctx: Ctx) -> Response:
    listing = _wire_listing(ctx, request)
    body = _listing_json(ctx, listing, "/index.json")
    waiting, more = read_waiting(ctx, listing)
    body["waiting"] = [views.waiting_json(doc, ctx.settings.root_url) for doc in waiting]
    body["waiting_truncated"] = more
    return JSONResponse(body, status_code=listing.status_code)


# -- search -----------------------------------------------------------------


def _search_listing(ctx: Context, request: Request) -> Listing | None:
    if not request.query_params.get("q", "").strip():
        return None
    return run_listing(ctx.store, request.query_params, limit=ctx.settings.page_size,
                       with_facets=True, rank_text=True)


@router.get("/search")
def search_page(request: Request, ctx: Ctx) -> Response:
    listing = _search_listing(ctx, request)
    if listing is None:
        return render("search", {"site": ctx.settings, "title": "Search", "listing": None,
                                 "json_url": "/search.json", "feeds": [], "q": ""})
    waiting, more = read_waiting(ctx, listing)
    page = _page_context(ctx, listing, request, "/search", "/search.json")
    page.update(title=f"Search: {listing.filters.text or ''}", q=listing.filters.text or "",
                waiting=waiting[:WAITING_SHOWN], waiting_total=len(waiting), waiting_more=more)
    return render("search", page, status_code=listing.status_code)


@router.get("/search.json")
def search_json(request: Request, ctx: Ctx) -> Response:
    listing = _search_listing(ctx, request)
    if listing is None:
        return JSONResponse({"error": "Give a query in ?q=", "items": []}, status_code=400)
    following = next_params(listing)
    next_url = ctx.settings.root_url + with_params("/search", following) if following else None
    body = views.search_json(listing.page, ctx.settings.root_url, next_url)
    body["query"] = listing.filters.text
    waiting, more = read_waiting(ctx, listing)
    body["waiting"] = [views.waiting_json(doc, ctx.settings.root_url) for doc in waiting]
    body["waiting_truncated"] = more
    if listing.error:
        body["error"] = listing.error
    return JSONResponse(body, status_code=listing.status_code)


# -- documents --------------------------------------------------------------


def _document(ctx: Context, doc_id: str) -> Document:
    doc = ctx.store.document(doc_id)
    if doc is None:
        raise HTTPException(status_code=404, detail=f"No document {doc_id!r} is stored here.")
    return doc


@router.get("/documents/{doc_id}.json")
def document_json(doc_id: str, ctx: Ctx) -> Response:
    doc = _document(ctx, doc_id)
    item = ctx.store.item_for_document(doc.id)
    return JSONResponse(documentpage.document_json(doc, item, ctx.sources.get(doc.source_id),
                                                   ctx.settings.root_url))


@router.get("/documents/{doc_id}")
def document_page(doc_id: str, ctx: Ctx) -> Response:
    doc = _document(ctx, doc_id)
    item = ctx.store.item_for_document(doc.id)
    source = ctx.sources.get(doc.source_id)
    language = documentpage.document_language(doc)
    return render("document", {
        "site": ctx.settings, "title": documentpage.document_title(doc), "doc": doc,
        "item": item, "source": source, "source_label": views.source_label(doc.source_id, source),
        "language": language, "language_label": language_name(language) if language else None,
        "text_dir": documentpage.text_dir(language), "why": documentpage.waiting_reason(doc),
        "not_translated": documentpage.NOT_TRANSLATED,
        "document_title": documentpage.document_title,
        "json_url": f"/documents/{doc.id}.json", "feeds": [],
    })
