"""The Store: babelwire's system of record, on SQLite or PostgreSQL.

Every method is one transaction. Writes are upserts keyed by the record's
identity, so a crashed or repeated run converges to the same rows. The SQL
itself lives in ``sources.py``, ``documents.py`` and ``reports.py``; this
class holds the engine and the clock and maps errors (via ``engine.guard``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from sqlalchemy.engine import Engine

from babelwire.enrich.records import Enrichment
from babelwire.errors import StoreError
from babelwire.model import (
    Document,
    Entry,
    FetchState,
    Item,
    Source,
    SourceHealth,
    Stage,
    Translation,
    utc_now,
)
from babelwire.store import documents as docs
from babelwire.store import (
    documentsearch,
    enrichment,
    migrate,
    reports,
    search,
    searchindex,
    sources,
    translations,
)
from babelwire.store import items as item_rows
from babelwire.store import subscriptions as subscribed
from babelwire.store.engine import create_engine, reading, safe_url, writing
from babelwire.store.query import ItemPage, ItemQuery
from babelwire.store.rows import can_be_stored
from babelwire.store.stories import StoryStore
from babelwire.store.subscriptions import Subscription, WiredItem
from babelwire.translate.cache import CacheKey

#: How many documents documents() reads per query while iterating.
DOCUMENTS_PAGE_SIZE = 500


class Store:
    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._engine = engine
        #: Stamps created_at/updated_at; injectable so tests can pin time.
        self._clock = clock

    @classmethod
    def open(cls, url: str, *, clock: Callable[[], datetime] = utc_now) -> Store:
        """Connect to ``url`` (creating a SQLite file's directory) and check it answers."""
        engine = create_engine(url)
        try:
            with reading(engine, f"cannot open {safe_url(url)}") as connection:
                connection.exec_driver_sql("SELECT 1")
        except StoreError:
            engine.dispose()
            raise
        return cls(engine, clock=clock)

    @property
    def backend(self) -> str:
        """The dialect: "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    def migrate(self) -> None:
        """Upgrade the schema to the newest revision; safe to call every start."""
        migrate.upgrade(self._engine)

    def schema_revision(self) -> str | None:
        return migrate.current_revision(self._engine)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- sources -------------------------------------------------------------

    def upsert_sources(self, items: Iterable[Source]) -> None:
        with writing(self._engine, "saving sources") as connection:
            sources.upsert_sources(connection, items)

    def source_ids(self) -> list[str]:
        with reading(self._engine, "listing sources") as connection:
            return sources.source_ids(connection)

    def health(self, source_id: str) -> SourceHealth:
        """Raises StoreError for an unknown source."""
        with reading(self._engine, f"reading health of {source_id!r}") as connection:
            return sources.health(connection, source_id)

    def all_health(self) -> list[SourceHealth]:
        with reading(self._engine, "reading source health") as connection:
            return sources.all_health(connection)

    def record_source_success(self, source_id: str, at: datetime, next_due_at: datetime) -> None:
        with writing(self._engine, f"recording success of {source_id!r}") as connection:
            sources.record_success(connection, source_id, at, next_due_at)

    def record_source_failure(
        self, source_id: str, error: str, at: datetime, next_due_at: datetime
    ) -> None:
        with writing(self._engine, f"recording failure of {source_id!r}") as connection:
            sources.record_failure(connection, source_id, error, at, next_due_at)

    def mark_verified(self, source_id: str, verified: bool, at: datetime) -> None:
        with writing(self._engine, f"marking {source_id!r} verified") as connection:
            sources.mark_verified(connection, source_id, verified, at)

    def set_source_enabled(self, source_id: str, enabled: bool) -> None:
        with writing(self._engine, f"switching {source_id!r}") as connection:
            sources.set_enabled(connection, source_id, enabled)

    def request_fetch(self, source_id: str, at: datetime) -> None:
        with writing(self._engine, f"asking for a poll of {source_id!r}") as connection:
            sources.request_fetch(connection, source_id, at)

    def disabled_source_ids(self) -> set[str]:
        with reading(self._engine, "listing disabled sources") as connection:
            return sources.disabled_ids(connection)

    def stored_sources(self) -> list[Source]:
        """Every stored source, with the printed fields but not its addresses."""
        with reading(self._engine, "listing stored sources") as connection:
            return sources.stored_sources(connection)

    # -- fetch state ---------------------------------------------------------

    def fetch_state(self, url: str) -> FetchState | None:
        with reading(self._engine, f"reading fetch state of {url}") as connection:
            return sources.get_fetch_state(connection, url)

    def save_fetch_state(self, state: FetchState) -> None:
        with writing(self._engine, f"saving fetch state of {state.url}") as connection:
            sources.save_fetch_state(connection, state)

    def queued_urls(self, source_id: str) -> list[str]:
        with reading(self._engine, f"reading the poll queue of {source_id!r}") as connection:
            return sources.queued_urls(connection, source_id)

    def queued_counts(self) -> dict[str, int]:
        with reading(self._engine, "counting poll queues") as connection:
            return sources.queued_counts(connection)

    # -- documents -----------------------------------------------------------

    def add_discovered(self, entries: Iterable[Entry]) -> int:
        """Store new entries at stage DISCOVERED; return how many were new."""
        with writing(self._engine, "adding discovered entries") as connection:
            return docs.add_discovered(connection, entries, self._clock())

    def save_document(self, doc: Document) -> None:
        with writing(self._engine, f"saving document {doc.id} ({doc.url})") as connection:
            docs.save_document(connection, doc, self._clock())
            documentsearch.index(connection, [doc])

    def document(self, doc_id: str) -> Document | None:
        if not can_be_stored(doc_id):
            return None
        with reading(self._engine, f"reading document {doc_id}") as connection:
            return docs.get_document(connection, doc_id)

    def documents(
        self,
        *,
        source_id: str | None = None,
        stage: Stage | None = None,
        language: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Document]:
        """Matching documents, newest first (published, else the feed's date;
        undated last; then by id).

        The ids are read first and the documents in pages, each page in its
        own short transaction: no lock is held while the caller works, and a
        concurrent write can change a document but never repeat or skip one.
        """
        with reading(self._engine, "listing documents") as connection:
            ids = docs.document_ids(
                connection, source_id=source_id, stage=stage, language=language, limit=limit
            )
        for start in range(0, len(ids), DOCUMENTS_PAGE_SIZE):
            page = ids[start : start + DOCUMENTS_PAGE_SIZE]
            with reading(self._engine, "reading documents") as connection:
                found = docs.documents_by_id(connection, page)
            yield from found

    def pending(
        self, *, source_ids: Collection[str] | None = None, max_attempts: int = 5
    ) -> list[Document]:
        """Documents at DISCOVERED, FETCHED or FAILED with fewer than
        ``max_attempts`` failed attempts, newest first."""
        with reading(self._engine, "listing pending documents") as connection:
            return docs.pending(connection, source_ids=source_ids, max_attempts=max_attempts)

    def set_duplicates(self, original_of: Mapping[str, str | None]) -> int:
        """Point each document at the original it copies (None: it is one)."""
        with writing(self._engine, "marking duplicates") as connection:
            return docs.set_duplicates(connection, original_of, self._clock())

    # -- reports -------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        with reading(self._engine, "counting documents") as connection:
            return reports.stats(connection)

    def skip_reasons(self, stage: Stage = Stage.SKIPPED) -> dict[str, dict[str, int]]:
        """Per source: reason -> count, for skipped documents (or another stage)."""
        with reading(self._engine, "counting skip reasons") as connection:
            return reports.reasons(connection, stage)

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table without volatile columns (schema.VOLATILE_COLUMNS)."""
        with reading(self._engine, "dumping the database") as connection:
            return reports.dump(connection)

    # -- translations, items and search ----------------------------------------

    def save_documents(self, batch: Iterable[Document]) -> None:
        """save_document for many documents in one transaction (bulk loads)."""
        batch = list(batch)
        with writing(self._engine, "saving documents") as connection:
            docs.save_documents(connection, batch, self._clock())
            documentsearch.index(connection, batch)

    def optimize_search(self) -> None:
        """Compact the full-text index and refresh planner statistics; worth
        running after a bulk load (see store/searchindex.py)."""
        with writing(self._engine, "optimizing the search index") as connection:
            searchindex.optimize(connection)

    def save_translation(self, translation: Translation) -> None:
        """Insert or replace the document's translation (a human edit replaces it too)."""
        what = f"saving the translation of {translation.document_id}"
        with writing(self._engine, what) as connection:
            translations.save_translation(connection, translation)

    def translation(self, doc_id: str) -> Translation | None:
        if not can_be_stored(doc_id):
            return None
        with reading(self._engine, f"reading the translation of {doc_id}") as connection:
            return translations.get_translation(connection, doc_id)

    def cached_translations(self, keys: Iterable[CacheKey]) -> dict[CacheKey, str]:
        """Cached outputs for those keys that have one (``StoreTranslationCache``)."""
        with reading(self._engine, "reading the translation cache") as connection:
            return translations.cached_outputs(connection, keys)

    def cache_translations(self, outputs: Mapping[CacheKey, str]) -> None:
        with writing(self._engine, "writing the translation cache") as connection:
            translations.put_outputs(connection, outputs, self._clock())

    def save_item(self, item: Item) -> None:
        """Upsert the current item; a version not seen before joins its history."""
        with writing(self._engine, f"saving item {item.id} v{item.version}") as connection:
            item_rows.save_items(connection, [item])

    def save_items(self, batch: Iterable[Item]) -> int:
        """save_item for many items in one transaction; returns how many changed."""
        with writing(self._engine, "saving items") as connection:
            return item_rows.save_items(connection, batch)

    def item(self, item_id: str) -> Item | None:
        """None when absent; an id no row can have (a NUL in it) is absent too."""
        if not can_be_stored(item_id):
            return None
        with reading(self._engine, f"reading item {item_id}") as connection:
            return item_rows.get_item(connection, item_id)

    def item_for_document(self, doc_id: str) -> Item | None:
        if not can_be_stored(doc_id):
            return None
        with reading(self._engine, f"reading the item of document {doc_id}") as connection:
            return item_rows.item_for_document(connection, doc_id)

    def item_versions(self, item_id: str) -> list[Item]:
        """Every published version of the item, oldest first."""
        if not can_be_stored(item_id):
            return []
        with reading(self._engine, f"reading the versions of item {item_id}") as connection:
            return item_rows.versions_of(connection, item_id)

    def items(self, query: ItemQuery) -> ItemPage:
        """One page of items, newest first (see store/search.py). Raises
        ``query.ParseError`` for bad search text and ``query.CursorError`` for
        a cursor that is not this query's."""
        with reading(self._engine, "listing items") as connection:
            return search.find_items(connection, query)

    @property
    def stories(self) -> StoryStore:
        """The story tables (store/stories.py), on this store's engine and clock."""
        return StoryStore(self._engine, self._clock)

    def item_stats(self) -> dict[str, Any]:
        with reading(self._engine, "counting items") as connection:
            return item_rows.item_stats(connection, self._clock())

    def documents_waiting(
        self, limit: int | None = None, query: ItemQuery | None = None
    ) -> list[Document]:
        """Documents extracted but without an item, with their reason, newest
        first; with ``query``, those that match its text and filters (see
        store/documentsearch.py). Raises ``query.ParseError`` for bad text."""
        with reading(self._engine, "listing documents waiting for translation") as connection:
            return documentsearch.waiting(connection, limit, query)

    # -- enrichment (see store/enrichment.py) ------------------------------------

    def save_enrichment(self, found: Enrichment, *, input_key: str) -> None:
        """Replace what is stored for the document with ``found`` (idempotent)."""
        what = f"saving the enrichment of {found.document_id}"
        with writing(self._engine, what) as connection:
            enrichment.save(connection, found, input_key, self._clock())

    def record_enrichment_failure(self, doc_id: str, reason: str, *, input_key: str) -> None:
        """Keep why the enrich stage failed on the document (earlier findings stay)."""
        what = f"recording the enrichment failure of {doc_id}"
        with writing(self._engine, what) as connection:
            enrichment.record_failure(connection, doc_id, reason, input_key, self._clock())

    def enrichment(self, doc_id: str) -> Enrichment | None:
        """The document's places, entities, topics and quotes; None when not enriched."""
        return self.enrichments([doc_id]).get(doc_id)

    def enrichments(self, doc_ids: Iterable[str]) -> dict[str, Enrichment]:
        """Document id -> enrichment, for the documents that have one."""
        wanted = [doc_id for doc_id in doc_ids if can_be_stored(doc_id)]
        with reading(self._engine, "reading enrichments") as connection:
            return enrichment.load(connection, wanted)

    def enrichment_keys(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """Document id -> the input_key it was last enriched (or failed) from."""
        wanted = [doc_id for doc_id in doc_ids if can_be_stored(doc_id)]
        with reading(self._engine, "reading enrichment keys") as connection:
            return enrichment.input_keys(connection, wanted)

    # -- subscriptions (see store/subscriptions.py) ----------------------------

    def add_subscription(self, subscription: Subscription) -> bool:
        """Save a new subscription; False when its name is taken."""
        with writing(self._engine, f"adding subscription {subscription.name!r}") as connection:
            return subscribed.add(connection, subscription)

    def subscriptions(self) -> list[Subscription]:
        with reading(self._engine, "listing subscriptions") as connection:
            return subscribed.all_subscriptions(connection)

    def subscription(self, name: str) -> Subscription | None:
        if not can_be_stored(name):
            return None
        with reading(self._engine, f"reading subscription {name!r}") as connection:
            return subscribed.get(connection, name)

    def remove_subscription(self, name: str) -> bool:
        if not can_be_stored(name):
            return False
        with writing(self._engine, f"removing subscription {name!r}") as connection:
            return subscribed.remove(connection, name)

    def claim_subscription(self, name: str, now: datetime, until: datetime) -> bool:
        """Take the delivery lease of ``name`` until ``until``; False when a
        pass elsewhere holds it."""
        with writing(self._engine, f"claiming subscription {name!r}") as connection:
            return subscribed.claim(connection, name, now, until)

    def release_subscription(self, name: str) -> None:
        with writing(self._engine, f"releasing subscription {name!r}") as connection:
            subscribed.release(connection, name)

    def wired_after(
        self, name: str, after: tuple[datetime, str], limit: int
    ) -> list[WiredItem]:
        """Items wired after ``after`` that subscription ``name`` has not sent."""
        with reading(self._engine, f"listing new items for {name!r}") as connection:
            return subscribed.wired_after(connection, name, after, limit)

    def record_delivery(
        self, name: str, item_ids: Sequence[str], position: tuple[datetime, str],
        now: datetime, settle: timedelta,
    ) -> None:
        """Note items as sent and move the cursor, in one transaction."""
        with writing(self._engine, f"recording a delivery of {name!r}") as connection:
            subscribed.record_delivery(connection, name, item_ids, position, now, settle)

    def record_subscription_error(self, name: str, message: str, now: datetime) -> None:
        with writing(self._engine, f"recording an error of {name!r}") as connection:
            subscribed.record_error(connection, name, message, now)

    def sent_item_ids(self, name: str) -> list[str]:
        with reading(self._engine, f"listing items sent by {name!r}") as connection:
            return subscribed.sent_ids(connection, name)
