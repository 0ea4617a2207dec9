"""The item page: the wire text, the original beside it, and where it came from.

``/items/{id}/{slug}`` is the permalink; ``/items/{id}`` shows the same page
(its ``<link rel="canonical">`` names the permalink) and a wrong slug
redirects to the right one, so an old link survives a renamed slug.
``?version=N`` shows an earlier version; ``/items/{id}.json`` is the ninjs twin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from babelwire.compose import render_wire
from babelwire.model import Block, BlockKind, Document, Item, Translation
from babelwire.publish import views
from babelwire.publish.context import Context, Ctx
from babelwire.publish.pages import render

router = APIRouter(include_in_schema=False)

#: A version number: no item has a billion versions.
_VERSION = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True, slots=True)
class ItemView:
    item: Item
    current: Item
    versions: tuple[Item, ...]
    document: Document | None
    translation: Translation | None


def _version(request: Request) -> int | None:
    raw = request.query_params.get("version", "").strip()
    if not raw:
        return None
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
    if not _VERSION.fullmatch(raw):
        raise HTTPException(400, f"publish: the version must be a whole number such as "
                                 f"?version=2, not {raw[:40]!r}")
    return int(raw)


def load_item(ctx: Context, item_id: str, version: int | None = None) -> ItemView:
    """The item (or one of its versions) with its document and translation; 404 if absent."""
    current = ctx.store.item(item_id)
    if current is None:
        raise HTTPException(404, f"publish: no item {item_id[:40]!r}")
    versions = tuple(ctx.store.item_versions(item_id)) or (current,)
    shown = current
    if version is not None and version != current.version:
        matching = [v for v in versions if v.version == version]
        if not matching:
            raise HTTPException(404, f"publish: item {item_id} has no version {version}")
        shown = matching[0]
    return ItemView(
        item=shown, current=current, versions=versions,
        document=ctx.store.document(current.document_id),
        translation=ctx.store.translation(current.document_id),
    )


def original_blocks(document: Document | None) -> tuple[Block, ...]:
    if document is None or document.extracted is None:
        return ()
    return document.extracted.blocks


def _block_text(block: Block) -> str:
    # Table rows keep their cells apart on the wire; a bar shows the boundary.
    if block.kind is BlockKind.TABLE_ROW and block.cells:
        return " | ".join(block.cells)
    return block.text


def _page(ctx: Context, view: ItemView) -> dict[str, Any]:
    item = view.item
    return {
        "site": ctx.settings,
        "title": item.headline,
        "view": view,
        "item": item,
        "wire_text": render_wire(item),
        "permalink": ctx.item_url(item),
        "blocks": [(b.kind.value, _block_text(b)) for b in original_blocks(view.document)],
        "engines": views.engines_used(view.translation),
        "json_url": f"/items/{item.id}.json" + (
            f"?version={item.version}" if item is not view.current else ""),
        "feeds": [],
    }


@router.get("/items/{item_id}.json")
def item_json(item_id: str, request: Request, ctx: Ctx) -> Response:
    view = load_item(ctx, item_id, _version(request))
    return JSONResponse(views.item_json(view.item, ctx.settings.base_url))


@router.get("/items/{item_id}")
def item_page(item_id: str, request: Request, ctx: Ctx) -> Response:
    return render("item", _page(ctx, load_item(ctx, item_id, _version(request))))


@router.get("/items/{item_id}/{slug}")
def item_permalink(
    item_id: str, slug: str, request: Request, ctx: Ctx
) -> Response:
    view = load_item(ctx, item_id, _version(request))
    if slug != view.current.slug:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/items/{item_id}/{view.current.slug}{query}", status_code=301)
    return render("item", _page(ctx, view))
