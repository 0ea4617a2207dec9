"""The web application: the wire, search, sources, feeds and the JSON API.

``create_app`` assembles routers that are split by surface: ``web`` (wire,
search, sources pages and their ``.json`` twins), ``itempage``, ``feeds``,
``api`` (public reads, OpenAPI) and ``admin`` (token-guarded writes).
``responses`` adds what every response shares (security headers, error
answers in the kind that was asked for, ``OPTIONS``) and ``contract`` the
answers each API operation documents.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from babelwire.compose import ComposeSettings
from babelwire.enrich.storysettings import StorySettings
from babelwire.model import Source
from babelwire.publish import (
    admin,
    api,
    archived,
    caching,
    contract,
    feeds,
    itempage,
    mappage,
    metrics,
    responses,
    sourcespage,
    storypage,
    subscriptions,
    web,
)
from babelwire.publish.context import Context, PublishStore, utc_now
from babelwire.publish.pages import STATIC_DIR
from babelwire.publish.settings import PublishSettings


def create_app(
    store_factory: Callable[[], PublishStore],
    *,
    settings: PublishSettings,
    sources: Sequence[Source],
    compose: ComposeSettings | None = None,
    clock: Callable[[], datetime] = utc_now,
    catalog_dir: Path | None = None,
    archive_dir: Path | None = None,
    story_settings: StorySettings | None = None,
) -> FastAPI:
    """The app; ``store_factory`` is called once, on the first request that needs it.

    ``compose`` (used to re-publish post-edited items) defaults to the
    compose defaults with ``settings.publisher``; ``clock`` stamps edits;
    ``archive_dir`` (the WARC archive) lets readers open archived captures.
    ``story_settings`` says when a story is breaking (default: read at start-up).
    """
    ctx = Context(
        settings=settings,
        compose=compose or ComposeSettings(publisher=settings.publisher),
        store_factory=store_factory,
        sources={source.id: source for source in sources},
        clock=clock,
        catalog_dir=catalog_dir,
        story_settings=story_settings or StorySettings.load(),
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
        # "/api/v1/items/" is not an item list that moved: it is not a path here.
        redirect_slashes=False,
    )
    app.state.publish = ctx
    app.state.archive_dir = archive_dir
    # Installed first, so the shared rules (security headers) wrap its 304s too.
    caching.install(app)
    responses.install(app)
    # Order matters: /items/{id}.json must be tried before /items/{id}, and
    # the sources page before web's older /sources routes.
    for router in (itempage.router, archived.router, sourcespage.router, web.router,
                   feeds.router, api.router, admin.router, api.docs_router, metrics.router,
                   subscriptions.router, subscriptions.admin_router):
        app.include_router(router)
    for router in (storypage.router, mappage.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    contract.install(app)
    return app
