"""What every route needs, built once by ``create_app`` and passed in.

Routes never read the environment or open a database: they get this context
through the ``context`` dependency. The store is opened on first use (not at
import or app construction), so building the app is cheap and a store that
cannot be reached is reported on the request that needs it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request

from babelwire.compose import ComposeSettings
from babelwire.enrich.records import Enrichment
from babelwire.enrich.storysettings import StorySettings
from babelwire.model import Document, Item, Source, SourceHealth, Translation, utc_now
from babelwire.publish.settings import PublishSettings, set_request_base
from babelwire.store.query import ItemPage, ItemQuery
from babelwire.store.stories import StoryStore


class PublishStore(Protocol):
    """The store methods the publishing surfaces call (``babelwire.store.Store``)."""

    def items(self, query: ItemQuery) -> ItemPage: ...
    def item(self, item_id: str) -> Item | None: ...
    def item_versions(self, item_id: str) -> list[Item]: ...
    def item_for_document(self, doc_id: str) -> Item | None: ...
    def save_item(self, item: Item) -> None: ...
    def document(self, doc_id: str) -> Document | None: ...
    def translation(self, doc_id: str) -> Translation | None: ...
    def enrichment(self, doc_id: str) -> Enrichment | None: ...
    def save_enrichment(self, found: Enrichment, *, input_key: str) -> None: ...
    def record_enrichment_failure(self, doc_id: str, reason: str, *,
                                  input_key: str) -> None: ...
    def save_translation(self, translation: Translation) -> None: ...
    def save_document(self, doc: Document) -> None: ...
    def item_stats(self) -> dict[str, Any]: ...
    def documents_waiting(
        self, limit: int | None = None, query: ItemQuery | None = None
    ) -> list[Document]: ...
    def all_health(self) -> list[SourceHealth]: ...
    def upsert_sources(self, items: list[Source]) -> None: ...
    def source_ids(self) -> list[str]: ...
    def set_source_enabled(self, source_id: str, enabled: bool) -> None: ...
    def request_fetch(self, source_id: str, at: datetime) -> None: ...
    def close(self) -> None: ...

    @property
    def stories(self) -> StoryStore: ...


@dataclass
class Context:
    settings: PublishSettings
    compose: ComposeSettings
    store_factory: Callable[[], PublishStore]
    #: The catalog, by id; sources added through the API are added here too.
    sources: dict[str, Source]
    clock: Callable[[], datetime] = utc_now
    #: Where sources added through the API are written, so the runner polls
    #: them; None keeps them in the store only.
    catalog_dir: Path | None = None
    #: When a story is breaking, and how stories are kept.
    story_settings: StorySettings = field(default_factory=StorySettings)
    _store: PublishStore | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def store(self) -> PublishStore:
        # Routes run in a thread pool: the lock makes sure one store is opened.
        with self._lock:
            if self._store is None:
                self._store = self.store_factory()
            return self._store

    def add_source(self, source: Source) -> None:
        with self._lock:
            self.sources = {**self.sources, source.id: source}

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def item_url(self, item: Item) -> str:
        """The permalink (same for every version: the slug is fixed at version 1)."""
        return f"{self.settings.root_url}/items/{item.id}/{item.slug}"

    def source_names(self) -> Mapping[str, str]:
        return {sid: s.name for sid, s in self.sources.items()}


async def context(request: Request) -> Context:
    """FastAPI dependency: the app's context.

    It also says which address the request came to, for links when no base
    URL is set (``PublishSettings.root_url``). It is async so that it runs in
    the request's own task: the routes, run in a thread pool, start from a
    copy of that task's context and so see the address; no other request does.
    """
    set_request_base(str(request.base_url))
    ctx: Context = request.app.state.publish
    return ctx


#: Route parameter type that receives the context.
Ctx = Annotated[Context, Depends(context)]
