"""The reader's pages: the wire, search and source health, each with a JSON twin.

Convention: the JSON twin of a page is the same path with ``.json`` (``/`` is
``/index.json``), takes the same parameters and returns the same data. Every
HTML page names its twin in ``<link rel="alternate" type="application/json">``.
The item page is in ``itempage.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from babelwire.model import Document, SourceHealth
from babelwire.publish import views
from babelwire.publish.context import Context, Ctx
from babelwire.publish.listing import Listing, next_params, run_listing
from babelwire.publish.pages import render, with_params
from babelwire.store.query import FACETS

router = APIRouter(include_in_schema=False)

#: How many waiting documents the wire page lists; the rest are counted.
WAITING_SHOWN = 20
#: How many are read at most: the JSON twin lists them, and a backlog larger
#: than this is shown as "more than" (a page view must not read all of it).
WAITING_READ = 200


def read_waiting(ctx: Context) -> tuple[list[Document], bool]:
    """Up to WAITING_READ waiting documents, and whether there are more."""
    waiting = ctx.store.documents_waiting(limit=WAITING_READ + 1)
    return waiting[:WAITING_READ], len(waiting) > WAITING_READ


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    count: int | None


def filter_options(ctx: Context, listing: Listing) -> dict[str, list[Option]]:
    """Choices for each filter: the catalog's values plus any the items have.

    The catalog gives every region, source and language even before it has
    items; the facets add values the catalog lacks (sections, sources added
    since) and the counts for the current view.
    """
    counts = {name: dict(listing.page.facets.get(name, ())) for name in FACETS}
    known: dict[str, dict[str, str]] = {name: {} for name in FACETS}
    for source in ctx.sources.values():
        known["region"][source.region] = source.region
        known["source"][source.id] = source.name
        for language in source.languages:
            known["language"][language] = language
    for name in FACETS:
        for value in counts[name]:
            known[name].setdefault(value, value)
    return {
        name: sorted(
            (Option(value, label, counts[name].get(value)) for value, label in known[name].items()),
            key=lambda option: option.label.casefold(),
        )
        for name in FACETS
    }


def _feed_links(listing: Listing) -> list[dict[str, str]]:
    params = listing.filters.params()
    what = listing.filters.describe() or "all items"
    return [
        {"type": "application/rss+xml", "title": f"RSS: {what}",
         "url": with_params("/feeds/rss", params), "label": "RSS"},
        {"type": "application/atom+xml", "title": f"Atom: {what}",
         "url": with_params("/feeds/atom", params), "label": "Atom"},
    ]


def _page_context(ctx: Context, listing: Listing, path: str, json_path: str) -> dict[str, Any]:
    following = next_params(listing)
    return {
        "site": ctx.settings,
        "listing": listing,
        "filters": listing.filters,
        "options": filter_options(ctx, listing),
        "source_names": ctx.source_names(),
        "next_url": with_params(path, following) if following else None,
        "json_url": with_params(json_path, {**listing.filters.params(),
                                            "cursor": listing.cursor or ""}),
        "feeds": _feed_links(listing),
    }


def _listing_json(ctx: Context, listing: Listing, path: str) -> dict[str, Any]:
    following = next_params(listing)
    next_url = ctx.settings.root_url + with_params(path, following) if following else None
    body = views.page_json(listing.page, ctx.settings.base_url, next_url)
    body["filters"] = listing.filters.params()
    if listing.error:
        body["error"] = listing.error
    return body


# -- the wire ---------------------------------------------------------------


def _wire_listing(ctx: Context, request: Request) -> Listing:
    return run_listing(ctx.store, request.query_params, limit=ctx.settings.page_size,
                       with_facets=True)


@router.get("/")
def wire_page(request: Request, ctx: Ctx) -> Response:
    listing = _wire_listing(ctx, request)
    waiting, more = read_waiting(ctx)
    page = _page_context(ctx, listing, "/", "/index.json")
    page.update(title="Latest items", waiting=waiting[:WAITING_SHOWN], waiting_total=len(waiting),
                waiting_more=more, document_title=views.document_title)
    return render("wire", page, status_code=listing.status_code)


@router.get("/index.json")
def wire_json(request: Request, ctx: Ctx) -> Response:
    listing = _wire_listing(ctx, request)
    body = _listing_json(ctx, listing, "/index.json")
    waiting, more = read_waiting(ctx)
    body["waiting"] = [views.waiting_json(doc) for doc in waiting]
    body["waiting_truncated"] = more
    return JSONResponse(body, status_code=listing.status_code)


# -- search -----------------------------------------------------------------


def _search_listing(ctx: Context, request: Request) -> Listing | None:
    if not request.query_params.get("q", "").strip():
        return None
    return run_listing(ctx.store, request.query_params, limit=ctx.settings.page_size,
                       with_facets=True)


@router.get("/search")
def search_page(request: Request, ctx: Ctx) -> Response:
    listing = _search_listing(ctx, request)
    if listing is None:
        return render("search", {"site": ctx.settings, "title": "Search", "listing": None,
                                 "json_url": "/search.json", "feeds": [], "q": ""})
    page = _page_context(ctx, listing, "/search", "/search.json")
    page.update(title=f"Search: {listing.filters.text or ''}", q=listing.filters.text or "")
    return render("search", page, status_code=listing.status_code)


@router.get("/search.json")
def search_json(request: Request, ctx: Ctx) -> Response:
    listing = _search_listing(ctx, request)
    if listing is None:
        return JSONResponse({"error": "search: give a query in ?q=", "items": []},
                            status_code=400)
    following = next_params(listing)
    next_url = ctx.settings.root_url + with_params("/search", following) if following else None
    body = views.search_json(listing.page, ctx.settings.base_url, next_url)
    body["query"] = listing.filters.text
    if listing.error:
        body["error"] = listing.error
    return JSONResponse(body, status_code=listing.status_code)


# -- sources ----------------------------------------------------------------


def items_per_day(stats: dict[str, Any]) -> dict[str, float]:
    """Mean items per day over the window ``item_stats`` reports, per source."""
    per_day = stats.get("per_day_by_source") or {}
    days = max(1, int(stats.get("per_day_window_days") or 30))
    return {source_id: round(sum(counts.values()) / days, 2)
            for source_id, counts in per_day.items()}


def sources_rows(ctx: Context) -> list[dict[str, Any]]:
    rates = items_per_day(ctx.store.item_stats())
    health = {h.source_id: h for h in ctx.store.all_health()}
    rows = []
    for source_id in sorted(set(health) | set(ctx.sources)):
        # A catalog source the runner has not stored yet is shown as never polled.
        state = health.get(source_id) or SourceHealth(source_id=source_id)
        rows.append(views.health_json(state, ctx.sources.get(source_id), rates.get(source_id, 0.0)))
    return rows


@router.get("/sources")
def sources_page(ctx: Ctx) -> Response:
    return render("sources", {"site": ctx.settings, "title": "Sources", "rows": sources_rows(ctx),
                              "json_url": "/sources.json", "feeds": []})


@router.get("/sources.json")
def sources_json(ctx: Ctx) -> Response:
    return JSONResponse({"sources": sources_rows(ctx)})
