"""The web application: the wire, search, sources, feeds and the JSON API.

``create_app`` assembles routers that are split by surface: ``web`` (wire,
search, sources pages and their ``.json`` twins), ``itempage``, ``feeds``,
``api`` (public reads, OpenAPI) and ``admin`` (token-guarded writes). This
module adds what every response shares: security headers and error pages
that match what was asked for (HTML for pages, JSON for the API and twins,
plain text for feeds).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from babelwire.compose import ComposeSettings
from babelwire.errors import StoreError
from babelwire.model import Source
from babelwire.publish import admin, api, feeds, itempage, web
from babelwire.publish.context import Context, PublishStore, utc_now
from babelwire.publish.pages import STATIC_DIR, render
from babelwire.publish.settings import PublishSettings

#: Sent on every response. No script may run and nothing may be loaded from
#: elsewhere: even if source text slipped past escaping, a browser would not
#: execute it or fetch from another origin on its behalf.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Readers follow links to official sources; those need not learn what the
    # reader was looking at here.
    "Referrer-Policy": "no-referrer",
}


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _kind(request: Request) -> str:
    path = request.url.path
    if path.startswith("/api/") or path.endswith(".json"):
        return "json"
    return "text" if path.startswith("/feeds/") else "html"


def _error(request: Request, status_code: int, message: str,
           headers: Mapping[str, str] | None = None) -> Response:
    kind = _kind(request)
    if kind == "json":
        return JSONResponse({"error": message}, status_code=status_code, headers=headers)
    if kind == "text":
        return PlainTextResponse(message, status_code=status_code, headers=headers)
    settings = request.app.state.publish.settings
    response = render("error", {"site": settings, "title": f"Error {status_code}",
                                "message": message, "json_url": None, "feeds": []},
                      status_code=status_code)
    response.headers.update(headers or {})
    return response


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        return _error(request, 422, "api: invalid request: " + "; ".join(problems))

    @app.exception_handler(StoreError)
    async def store_down(request: Request, exc: StoreError) -> Response:
        return _error(request, 503, str(exc))


def create_app(
    store_factory: Callable[[], PublishStore],
    *,
    settings: PublishSettings,
    sources: Sequence[Source],
    compose: ComposeSettings | None = None,
    clock: Callable[[], datetime] = utc_now,
    catalog_dir: Path | None = None,
) -> FastAPI:
    """The app; ``store_factory`` is called once, on the first request that needs it.

    ``compose`` (used to re-publish post-edited items) defaults to the
    compose defaults with ``settings.publisher``; ``clock`` stamps edits.
    """
    ctx = Context(
        settings=settings,
        compose=compose or ComposeSettings(publisher=settings.publisher),
        store_factory=store_factory,
        sources={source.id: source for source in sources},
        clock=clock,
        catalog_dir=catalog_dir,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.close()

    app = FastAPI(
        title=f"{settings.publisher} API",
        version="1",
        description="Wire items from official sources, translated into English, as ninjs 3.1.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.publish = ctx
    app.middleware("http")(_security_headers)
    _install_error_handlers(app)
    # Order matters: /items/{id}.json must be tried before /items/{id}.
    for router in (itempage.router, web.router, feeds.router, api.router, admin.router,
                   api.docs_router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
