"""The JSON API, read side: ``/api/v1/...``, public, documented by OpenAPI.

Items are ninjs 3.1 objects; lists use the same envelope as the pages' JSON
twins (``views.page_json``). Filters are the web UI's (see ``filters.py``),
paging is by opaque cursor. Errors are ``{"error": "<one line>"}``.
``/api/docs`` is a server-rendered list of the operations (no JavaScript, so
it works under the site's Content-Security-Policy); the machine-readable
description is ``/api/openapi.json``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from babelwire.publish import storypage, views
from babelwire.publish.context import Context, Ctx
from babelwire.publish.listing import Listing, next_params, run_listing
from babelwire.publish.pages import render, with_params
from babelwire.publish.settings import MAX_PAGE_SIZE
from babelwire.publish.sourcespage import source_rows
from babelwire.publish.web import read_waiting

router = APIRouter(prefix="/api/v1", tags=["read"])
docs_router = APIRouter(include_in_schema=False)

Text = Annotated[str | None, Query(description="Search text: words, \"phrases\", -exclude, "
                                   "OR, field:value (region:, source:, language:, section:, "
                                   "country:, entity:, topic:)")]
Region = Annotated[str | None, Query(description="Region as printed in the wire header")]
SourceId = Annotated[str | None, Query(description="Catalog id of the source")]
Language = Annotated[str | None, Query(description="Original language (ISO 639-1)")]
Section = Annotated[str | None, Query(description="Section as printed in the dateline")]
Country = Annotated[str | None, Query(description="ISO 3166-1 code of a place named, e.g. FR")]
Entity = Annotated[str | None, Query(description="A person or organisation: key or name")]
Topic = Annotated[str | None, Query(description="IPTC Media Topic, e.g. medtop:11000000")]
Since = Annotated[str | None, Query(alias="from", description="First day, YYYY-MM-DD (UTC)")]
Until = Annotated[str | None, Query(alias="to", description="Last day, YYYY-MM-DD (UTC)")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]
Limit = Annotated[int | None, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page")]
Sort = Annotated[Literal["relevance", "newest"] | None, Query(
    description="relevance: the best matches of q first, among the recent ones (the default "
                "with q); newest: newest first (the default without q)")]


def _params(**values: str | None) -> dict[str, str]:
    return {key.rstrip("_"): value for key, value in values.items() if value}


def _page(ctx: Context, listing: Listing, path: str, *, search: bool) -> Response:
    if listing.error:
        return JSONResponse({"error": listing.error}, status_code=400)
    following = next_params(listing)
    next_url = ctx.settings.root_url + with_params(path, following) if following else None
    render_page = views.search_json if search else views.page_json
    return JSONResponse(render_page(listing.page, ctx.settings.root_url, next_url))


@router.get("/items", summary="Items, newest first (or by relevance to q), one page at a time")
def list_items(
    ctx: Ctx, q: Text = None, region: Region = None,
    source: SourceId = None, language: Language = None, section: Section = None,
    from_: Since = None, to: Until = None, cursor: Cursor = None, limit: Limit = None,
    facets: bool = False, country: Country = None, entity: Entity = None, topic: Topic = None,
    sort: Sort = None,
) -> Response:
    params = _params(q=q, region=region, source=source, language=language, section=section,
                     from_=from_, to=to, cursor=cursor, country=country, entity=entity,
                     topic=topic, sort=sort)
    listing = run_listing(ctx.store, params, limit=limit or ctx.settings.page_size,
                          with_facets=facets, rank_text=True)
    return _page(ctx, listing, "/api/v1/items", search=False)


@router.get("/search", summary="Full-text search with facet counts and highlighted snippets")
def search(
    ctx: Ctx, q: Annotated[str, Query(min_length=1)],
    region: Region = None, source: SourceId = None, language: Language = None,
    section: Section = None, from_: Since = None, to: Until = None, cursor: Cursor = None,
    limit: Limit = None, country: Country = None, entity: Entity = None, topic: Topic = None,
    sort: Sort = None,
) -> Response:
    params = _params(q=q, region=region, source=source, language=language, section=section,
                     from_=from_, to=to, cursor=cursor, country=country, entity=entity,
                     topic=topic, sort=sort)
    listing = run_listing(ctx.store, params, limit=limit or ctx.settings.page_size,
                          with_facets=True, rank_text=True)
    return _page(ctx, listing, "/api/v1/search", search=True)


@router.get("/items/{item_id}", summary="One item as ninjs 3.1 (the current version)")
def get_item(item_id: str, ctx: Ctx) -> Response:
    item = ctx.store.item(item_id)
    if item is None:
        raise HTTPException(404, f"api: no item {item_id[:40]!r}")
    found = ctx.store.enrichment(item.document_id)
    return JSONResponse(views.item_json(item, ctx.settings.root_url, found))


@router.get("/items/{item_id}/versions", summary="Every published version, oldest first")
def get_versions(item_id: str, ctx: Ctx) -> Response:
    versions = ctx.store.item_versions(item_id)
    if not versions:
        raise HTTPException(404, f"api: no item {item_id[:40]!r}")
    found = ctx.store.enrichment(versions[-1].document_id)
    return JSONResponse(
        {"versions": [views.item_json(v, ctx.settings.root_url, found) for v in versions]})


@router.get("/documents/{doc_id}/translation",
            summary="A document's translation, in the shape a post-edit PUT takes")
def get_translation(doc_id: str, ctx: Ctx) -> Response:
    translation = ctx.store.translation(doc_id)
    if translation is None:
        raise HTTPException(404, f"api: no translation of document {doc_id[:40]!r}")
    return JSONResponse(views.translation_json(translation))


@router.get("/sources", summary="Every source with its health")
def list_sources(ctx: Ctx) -> Response:
    return JSONResponse({"sources": [row.as_json() for row in source_rows(ctx)]})


@router.get("/stories", summary="Stories most recently joined, with their counts and "
                               "whether they are breaking")
def list_stories(
    ctx: Ctx, limit: Limit = None,
    min_members: Annotated[int, Query(ge=1, le=1000, description="Fewest items")] = 1,
    breaking: Annotated[bool, Query(description="Only breaking stories")] = False,
) -> Response:
    return JSONResponse(storypage.stories_json(ctx, limit or ctx.settings.page_size,
                                               min_members=min_members, breaking_only=breaking))


@router.get("/stories/{story_id}",
            summary="One story: its items by language and source, first seen, growth")
def get_story(story_id: str, ctx: Ctx) -> Response:
    return JSONResponse(storypage.story_json(ctx, storypage.story_view(ctx, story_id)))


@router.get("/stats", summary="Item counts by region, source and language; items per day")
def stats(ctx: Ctx) -> Response:
    body: dict[str, Any] = jsonable_encoder(ctx.store.item_stats())
    waiting, more = read_waiting(ctx)
    body["waiting"] = len(waiting)
    body["waiting_truncated"] = more
    return JSONResponse(body)


@docs_router.get("/api/docs")
def api_docs(request: Request) -> Response:
    spec = request.app.openapi()
    operations = [
        {"method": method.upper(), "path": path, "summary": op.get("summary", ""),
         "write": bool(op.get("security")),
         "params": [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]}
        for path, methods in spec.get("paths", {}).items()
        for method, op in methods.items()
    ]
    return render("apidocs", {"site": request.app.state.publish.settings, "title": "API",
                              "operations": operations, "json_url": "/api/openapi.json",
                              "feeds": []})
