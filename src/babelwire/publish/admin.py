"""The JSON API, write side: sources, fetch requests and post-edits.

Every route here needs ``Authorization: Bearer <BABELWIRE_ADMIN_TOKEN>``:

- no bearer token: 401 with ``WWW-Authenticate: Bearer realm="babelwire"``
  (whether or not writing is on: the request lacks credentials either way);
- a token, but the server has none configured (writing is off): 403 that
  says how to turn writing on, since no token could be right;
- a token that is not the server's: 401 with ``error="invalid_token"``
  (RFC 6750 §3.1).

The comparison is ``hmac.compare_digest``, so its time does not depend on
how much of a guess was right.

Sources added here are validated like a catalog file's ``[[source]]`` table
and stored; a source on a private address cannot be added through the API
(that needs a catalog file, which an operator reviews).
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict

from babelwire.catalog import bundled_dir
from babelwire.catalog.schema import to_source
from babelwire.catalog.validate import check_table
from babelwire.catalog.writer import add_source as write_catalog_source
from babelwire.errors import CatalogError
from babelwire.publish import views
from babelwire.publish.context import Context, Ctx
from babelwire.publish.edit import EditError, apply_edit, parse_edit

bearer = HTTPBearer(auto_error=False, description="BABELWIRE_ADMIN_TOKEN")


def require_admin(
    ctx: Ctx,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    token = ctx.settings.admin_token
    writing_off = ("admin: writing is off: set BABELWIRE_ADMIN_TOKEN and restart the server "
                   "to allow it")
    if credentials is None:
        raise HTTPException(401, "admin: send Authorization: Bearer <token>" + (
            "; " + writing_off.removeprefix("admin: ") if not token else ""),
            headers={"WWW-Authenticate": 'Bearer realm="babelwire"'})
    if not token:
        raise HTTPException(403, writing_off)
    if not hmac.compare_digest(credentials.credentials.encode(), token.encode()):
        raise HTTPException(401, "admin: wrong token",
                            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


#: The catalog file in the catalog directory that API-added sources go to.
API_CATALOG_FILE = "api.toml"

router = APIRouter(prefix="/api/v1", tags=["write"], dependencies=[Depends(require_admin)])


class TranslationEdit(BaseModel):
    """The corrected English text: one body paragraph per original paragraph."""

    model_config = ConfigDict(extra="forbid")

    headline: str
    section: str | None = None
    body: list[str]


class Enabled(BaseModel):
    enabled: bool


def _known_source(ctx: Context, source_id: str) -> None:
    if source_id not in ctx.sources and source_id not in ctx.store.source_ids():
        raise HTTPException(404, f"admin: no source {source_id[:80]!r}")


@router.post("/sources", status_code=201, summary="Add a source (a catalog [[source]] table)")
def add_source(
    ctx: Ctx,
    table: Annotated[dict[str, Any], Body(examples=[{
        "id": "example-ministry-fr", "name": "Ministry of Examples", "region": "France",
        "languages": ["fr"], "feeds": ["https://www.example.gouv.fr/rss.xml"]}])],
) -> Response:
    if table.get("allow_private"):
        raise HTTPException(422, "admin: a source on private addresses must be added in a "
                                 "catalog file, not through the API")
    checked = check_table(table, [bundled_dir()])
    if checked.spec is None:
        problems = [f"{p.field or 'source'}: {p.problem}" for p in checked.problems]
        return JSONResponse({"error": "admin: invalid source: " + "; ".join(problems),
                             "problems": problems}, status_code=422)
    source = to_source(checked.spec, origin="api")
    if source.id in ctx.sources or source.id in ctx.store.source_ids():
        raise HTTPException(409, f"admin: source id {source.id!r} is taken")
    if ctx.catalog_dir is not None:
        # The catalog files are what the runner polls: write the source there.
        try:
            write_catalog_source(ctx.catalog_dir, table, file_name=API_CATALOG_FILE)
        except CatalogError as exc:
            return JSONResponse({"error": f"admin: invalid source: {exc}"}, status_code=422)
    ctx.store.upsert_sources([source])
    ctx.add_source(source)
    return JSONResponse({"id": source.id, "name": source.name, "region": source.region},
                        status_code=201)


@router.put("/sources/{source_id}/enabled", summary="Enable or disable polling of a source")
def set_enabled(
    source_id: str, body: Enabled, ctx: Ctx
) -> Response:
    _known_source(ctx, source_id)
    ctx.store.set_source_enabled(source_id, body.enabled)
    return JSONResponse({"id": source_id, "enabled": body.enabled})


@router.post("/sources/{source_id}/fetch", status_code=202,
             summary="Ask the runner to poll a source on its next pass")
def request_fetch(source_id: str, ctx: Ctx) -> Response:
    _known_source(ctx, source_id)
    now = ctx.clock()
    ctx.store.request_fetch(source_id, now)
    return JSONResponse(
        {"id": source_id, "due_at": now.isoformat(),
         "message": "accepted: the runner polls this source on its next pass"},
        status_code=202)


@router.put("/documents/{doc_id}/translation",
            summary="Post-edit a translation; the item is re-published as a new version")
def edit_translation(
    doc_id: str, edit: TranslationEdit, ctx: Ctx
) -> Response:
    try:
        item = apply_edit(ctx.store, doc_id, parse_edit(edit.model_dump()),
                          sources=ctx.sources, compose=ctx.compose, now=ctx.clock())
    except EditError as exc:
        raise HTTPException(404 if exc.not_found else 422, str(exc)) from None
    return JSONResponse({"id": item.id, "version": item.version, "url": ctx.item_url(item),
                         "item": views.item_json(item, ctx.settings.root_url)})
