"""The item page: the wire text, the original beside it, and where it came from.

``/items/{id}/{slug}`` is the permalink; ``/items/{id}`` shows the same page
(its ``<link rel="canonical">`` names the permalink) and a wrong slug
redirects to the right one, so an old link survives a renamed slug.
``?version=N`` shows an earlier version; ``/items/{id}.json`` is the ninjs twin
and ``/items/{id}.txt`` the exact wire text.

The page reads as the original and the English text side by side, paragraph
beside paragraph (``reading_pairs``); on a narrow screen the two are tabs
(CSS ``:target``, no script). The wire text is also there as it is printed,
in a ``<pre>`` to copy and as a ``.txt`` to download. Labels and quality
notes come from ``compose.labels``, the same words as ninjs and the feeds.
What the enrich stage found (topics, places, people, organisations, quotes
with their original sentence) is shown from ``enrichview`` and is in the
ninjs twin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from babelwire.compose import render_wire
from babelwire.compose.item import fold, primary_language
from babelwire.compose.labels import flag_notes, language_name, text_label
from babelwire.enrich.records import Enrichment
from babelwire.model import Block, BlockKind, Document, Item, Translation
from babelwire.publish import views
from babelwire.publish.context import Context, Ctx
from babelwire.publish.enrichview import about
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
    #: What the enrich stage found in the document; None when not enriched.
    enrichment: Enrichment | None = None


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
        enrichment=ctx.store.enrichment(current.document_id),
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


#: Languages written right to left: their text is marked ``dir="rtl"``.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"})


def text_direction(language: str | None) -> str:
    return "rtl" if primary_language(language) in RTL_LANGUAGES else "ltr"


@dataclass(frozen=True, slots=True)
class Pair:
    """One paragraph of the English text and the original paragraph it translates."""

    kind: str
    english: str
    original: str


def reading_pairs(view: ItemView) -> list[Pair]:
    """The English text beside the original, paragraph by paragraph.

    The translation's segments say which block each English paragraph
    translates, so they are used when they are of the shown version and of the
    document's current text; otherwise (an older version, an official English
    page) the paragraphs are set side by side in order.
    """
    item, translation = view.item, view.translation
    blocks = original_blocks(view.document)
    pairs = [Pair("headline", item.headline, fold(item.original_headline))]
    if item.kind == "original":
        return [*pairs[:1], *(Pair("paragraph", text, "") for text in item.body)]
    aligned = (
        translation is not None and item is view.current
        and tuple(seg.source_text for seg in translation.body) == tuple(b.text for b in blocks)
    )
    if aligned and translation is not None:
        rows = [(b.kind.value, fold(seg.text), _block_text(b))
                for b, seg in zip(blocks, translation.body, strict=True)]
    else:
        rows = [(b.kind.value if b else "paragraph", english or "", _block_text(b) if b else "")
                for english, b in zip_longest(item.body, blocks)]
    pairs.extend(Pair(kind, en, orig) for kind, en, orig in rows if en or orig)
    return pairs


def archive_url(document: Document | None) -> str | None:
    """Where the archived capture of the document is shown, if it was archived."""
    if document is None or not document.warc_file or document.warc_offset is None:
        return None
    return f"/archive/{document.id}"


def _page(ctx: Context, view: ItemView) -> dict[str, Any]:
    item = view.item
    language = item.original_language
    return {
        "site": ctx.settings,
        "title": item.headline,
        "view": view,
        "item": item,
        "wire_text": render_wire(item),
        "permalink": ctx.item_url(item),
        "label": text_label(item),
        "notes": flag_notes(item.flags),
        "pairs": reading_pairs(view),
        "language_name": language_name(language) if language else "unknown language",
        "original_dir": text_direction(language),
        "archive_url": archive_url(view.document),
        "engines": views.engines_used(view.translation),
        "about": about(view.enrichment),
        "json_url": f"/items/{item.id}.json" + (
            f"?version={item.version}" if item is not view.current else ""),
        "txt_url": f"/items/{item.id}.txt" + (
            f"?version={item.version}" if item is not view.current else ""),
        "feeds": [],
    }


@router.get("/items/{item_id}.json")
def item_json(item_id: str, request: Request, ctx: Ctx) -> Response:
    view = load_item(ctx, item_id, _version(request))
    return JSONResponse(views.item_json(view.item, ctx.settings.root_url, view.enrichment))


@router.get("/items/{item_id}.txt")
def item_text(item_id: str, request: Request, ctx: Ctx) -> Response:
    """The wire text exactly as printed, to download or read as plain text."""
    item = load_item(ctx, item_id, _version(request)).item
    suffix = f"-v{item.version}" if request.query_params.get("version") else ""
    return PlainTextResponse(render_wire(item), headers={
        "Content-Disposition": f'inline; filename="{item.slug}{suffix}.txt"'})


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
