"""Documents: discovery, round trips, idempotence, the work queue and lookups."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa

from babelwire.errors import StoreError
from babelwire.model import Document, Entry, Extracted, Source, Stage
from babelwire.store import Store
from babelwire.store import store as store_module

MOSCOW = timezone(timedelta(hours=3))

MakeDoc = Callable[..., Document]
MakeEntry = Callable[..., Entry]


def test_add_discovered_counts_new_entries_only(seeded: Store, make_entry: MakeEntry) -> None:
    first = [make_entry("a"), make_entry("b"), make_entry("a")]  # a feed repeating itself
    assert seeded.add_discovered(first) == 2
    assert seeded.add_discovered(first) == 0
    assert seeded.add_discovered([make_entry("b"), make_entry("c")]) == 1
    assert seeded.add_discovered([]) == 0
    doc = seeded.document(make_entry("a").document_id)
    assert doc is not None
    assert doc.stage == Stage.DISCOVERED
    assert doc.entry_title == "Заголовок a"
    assert doc.found_in == "http://127.0.0.1:1/feed.xml"
    assert doc.entry_published == datetime(2025, 12, 12, 14, 0, tzinfo=UTC)
    assert doc.extracted is None


def test_add_discovered_never_moves_a_document_back(
    seeded: Store, make_entry: MakeEntry, make_document: MakeDoc
) -> None:
    entry = make_entry("1")
    extracted = make_document("1")
    assert extracted.id == entry.document_id
    seeded.save_document(extracted)
    assert seeded.add_discovered([dataclasses.replace(entry, title="changed")]) == 0
    assert seeded.document(entry.document_id) == extracted


def test_add_discovered_for_unknown_source_fails(seeded: Store, make_entry: MakeEntry) -> None:
    with pytest.raises(StoreError, match=r"^store: adding discovered entries: "):
        seeded.add_discovered([make_entry("x", source_id="missing")])


def test_save_document_round_trips_every_field(seeded: Store, make_document: MakeDoc) -> None:
    doc = make_document("1")
    seeded.save_document(doc)
    loaded = seeded.document(doc.id)
    assert loaded == doc
    assert loaded is not None and loaded.extracted is not None
    # Same instant, read back in the zone the page gave (+03:00), never naive.
    published = loaded.extracted.published
    assert published is not None and published.utcoffset() == timedelta(hours=3)
    assert published == datetime(2025, 12, 12, 11, 30, 15, 123456, tzinfo=UTC)
    assert loaded.extracted.blocks[-1].cells == ("2024", "22 025 415")
    assert loaded.warc_offset == 5_000_000_000
    assert seeded.document("no-such-id") is None


def test_round_trip_of_sparse_documents(seeded: Store, make_document: MakeDoc) -> None:
    bare = Document(
        id="bare", source_id="un-news-ru", url="http://127.0.0.1:1/bare", stage=Stage.FETCHED
    )
    empty = dataclasses.replace(
        make_document("2"),
        id="empty",
        extra=(),
        extracted=Extracted(title=None, blocks=(), language=None),
    )
    for doc in (bare, empty):
        seeded.save_document(doc)
        assert seeded.document(doc.id) == doc


def test_hostile_and_long_values_are_stored_verbatim(
    seeded: Store, make_document: MakeDoc, samples: SimpleNamespace
) -> None:
    for number, value in enumerate(
        (*samples.HOSTILE, samples.long_name(200), samples.MULTISCRIPT * 50)
    ):
        doc = make_document(
            f"h{number}",
            reason=value,
            entry_title=value,
            extracted=samples.full_extracted(title=value),
            extra=((value, value),),
        )
        seeded.save_document(doc)
        assert seeded.document(doc.id) == doc
    assert seeded.stats()["documents"] == len(samples.HOSTILE) + 2
    assert seeded.source_ids() == ["other", "un-news-ru"]


def test_saving_twice_changes_nothing(
    database_url: str,
    ticking_clock: Callable[[], datetime],
    source: Source,
    make_document: MakeDoc,
) -> None:
    with Store.open(database_url, clock=ticking_clock) as store:
        store.migrate()
        store.upsert_sources([source])
        doc = make_document("1")
        store.save_document(doc)
        before = store.dump()
        updated_before = _updated_at(database_url, doc.id)
        store.save_document(doc)
        assert store.dump() == before
        assert _updated_at(database_url, doc.id) == updated_before

        store.save_document(dataclasses.replace(doc, http_status=203))
        assert _updated_at(database_url, doc.id) > updated_before


def _updated_at(database_url: str, doc_id: str) -> object:
    # updated_at is deliberately not part of the Store API; peek at it here.
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(
                sa.text("SELECT updated_at FROM documents WHERE id = :id"), {"id": doc_id}
            )
    finally:
        engine.dispose()


def test_pending_and_attempts(seeded: Store, make_entry: MakeEntry, make_document: MakeDoc) -> None:
    seeded.add_discovered([make_entry("new")])
    seeded.save_document(make_document("fetched", stage=Stage.FETCHED, extracted=None))
    seeded.save_document(make_document("done"))
    seeded.save_document(make_document("skipped", stage=Stage.SKIPPED, reason="not an article"))
    failing = make_document("failing", stage=Stage.FAILED, reason="fetch: HTTP 503")
    for _ in range(3):
        seeded.save_document(failing)  # identical saves still count as attempts

    def pending_paths(**kwargs: Any) -> set[str]:
        return {doc.url.rsplit("/", 1)[1] for doc in seeded.pending(**kwargs)}

    assert pending_paths() == {"new", "fetched", "failing"}
    assert pending_paths(max_attempts=3) == {"new", "fetched"}
    assert pending_paths(max_attempts=4) == {"new", "fetched", "failing"}
    assert pending_paths(source_ids=["other"]) == set()
    assert pending_paths(source_ids=[]) == set()
    assert pending_paths(source_ids={"un-news-ru", "other"}) == {"new", "fetched", "failing"}
    # A later success keeps the count but takes the document off the queue.
    seeded.save_document(dataclasses.replace(failing, stage=Stage.EXTRACTED, reason=None))
    assert pending_paths() == {"new", "fetched"}


def test_documents_order_and_filters(
    seeded: Store, make_document: MakeDoc, monkeypatch: pytest.MonkeyPatch, samples: SimpleNamespace
) -> None:
    def at(day: int) -> datetime:
        return datetime(2025, 12, day, 23, 30, tzinfo=MOSCOW)

    def dated(path: str, day: int | None, **changes: object) -> Document:
        extracted = dataclasses.replace(samples.full_extracted(), published=day and at(day))
        return make_document(path, **{"extracted": extracted, "entry_published": None, **changes})

    docs = [
        dated("d3", 3),
        dated("d5", 5),
        dated("undated", None),
        dated("d4", 4, extracted=None, entry_published=at(4)),  # only the feed's date
        dated("fr", 1, source_id="other"),
    ]
    docs[-1] = dataclasses.replace(
        docs[-1],
        extracted=dataclasses.replace(samples.full_extracted(), published=at(1), language="fr"),
    )
    for doc in docs:
        seeded.save_document(doc)
    monkeypatch.setattr(store_module, "DOCUMENTS_PAGE_SIZE", 2)  # exercise paging

    def paths(**kwargs: Any) -> list[str]:
        return [d.url.rsplit("/", 1)[1] for d in seeded.documents(**kwargs)]

    assert paths() == ["d5", "d4", "d3", "fr", "undated"]
    assert paths(limit=2) == ["d5", "d4"]
    assert paths(source_id="other") == ["fr"]
    assert paths(language="fr") == ["fr"]
    assert paths(stage=Stage.FETCHED) == []
    assert paths(source_id="other", language="ru") == []


def test_set_duplicates_writes_only_what_changes(
    seeded: Store, make_document: MakeDoc
) -> None:
    first, copy, other = (make_document(p) for p in ("first", "copy", "other"))
    for doc in (first, copy, other):
        seeded.save_document(doc)

    def marks() -> dict[str, str | None]:
        return {d.url.rsplit("/", 1)[1]: d.duplicate_of for d in seeded.documents()}

    wanted = {first.id: None, copy.id: first.id, other.id: first.id}
    assert seeded.set_duplicates(wanted) == 2
    assert marks() == {"first": None, "copy": first.id, "other": first.id}
    assert seeded.set_duplicates(wanted) == 0
    # A document the mapping names but the store lacks is left out, not created.
    assert seeded.set_duplicates({other.id: None, "no-such-document": first.id}) == 1
    assert marks() == {"first": None, "copy": first.id, "other": None}
    assert seeded.set_duplicates({}) == 0


def test_duplicate_of_must_name_a_stored_document(seeded: Store, make_document: MakeDoc) -> None:
    original = make_document("a")
    seeded.save_document(original)
    copy = make_document("b", duplicate_of=original.id, stage=Stage.SKIPPED, reason="duplicate")
    seeded.save_document(copy)
    assert seeded.document(copy.id) == copy
    with pytest.raises(StoreError, match=r"^store: saving document "):
        seeded.save_document(make_document("c", duplicate_of="missing"))


def test_concurrent_writers(
    database_url: str, source: Source, make_entry: MakeEntry, make_document: MakeDoc
) -> None:
    """Worker threads of two processes writing at once: nothing lost, nothing fails."""
    with Store.open(database_url) as setup:
        setup.migrate()
        setup.upsert_sources([source])
    stores = [Store.open(database_url), Store.open(database_url)]
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        store = stores[worker % 2]
        try:
            for item in range(15):
                path = f"w{worker}-{item}"
                store.add_discovered([make_entry(path), make_entry("shared")])
                store.save_document(make_document(path))
                store.record_source_failure(source.id, "x", datetime.now(UTC), datetime.now(UTC))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert stores[0].stats()["documents"] == 6 * 15 + 1
        assert stores[1].health(source.id).consecutive_failures == 6 * 15
    finally:
        for store in stores:
            store.close()
