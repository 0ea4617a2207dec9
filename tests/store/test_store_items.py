"""Wire items: round trips with zone offsets, version history, idempotence,
the waiting list and the stats, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from babelwire.errors import StoreError
from babelwire.model import Document, Item, Source, Stage
from babelwire.store import Store
from babelwire.store.query import ItemQuery

MOSCOW = timezone(timedelta(hours=3))
SAO_PAULO = timezone(timedelta(hours=-3))
CREATED = datetime(2025, 12, 12, 10, 0, tzinfo=UTC)

MakeDoc = Callable[..., Document]


def make_item(doc: Document, **changes: object) -> Item:
    item = Item(
        id=f"item-{doc.id}",
        document_id=doc.id,
        version=1,
        slug="un-mission-in-iraq",
        headline="UN mission in Iraq to complete its work",
        section="Peace and security",
        body=("The mission will close on 31 December.", "«Quoted» <b>text</b> & more"),
        kind="translation",
        source_id=doc.source_id,
        source_name="United Nations",
        desk="UN News",
        region="Russian Federation",
        original_language="ru",
        original_headline="Миссия ООН в Ираке завершит работу",
        original_url=doc.url,
        published=datetime(2025, 12, 12, 9, 30, tzinfo=MOSCOW),
        published_has_time=True,
        first_created=CREATED,
        version_created=CREATED,
        disclaimer="Please note: raw content.",
        disclaimer_version="2025-12",
        publisher="Test Wire",
        engines=("argos",),
        flags=("numbers_differ",),
    )
    return dataclasses.replace(item, **changes)


@pytest.fixture
def doc(seeded: Store, make_document: MakeDoc) -> Document:
    saved = make_document("1")
    seeded.save_document(saved)
    return saved


def test_item_round_trips_every_field_with_its_offsets(seeded: Store, doc: Document) -> None:
    item = make_item(doc, first_created=CREATED.astimezone(SAO_PAULO))
    seeded.save_item(item)
    loaded = seeded.item(item.id)
    assert loaded == item
    assert loaded is not None and loaded.published is not None
    # The zone of the source and of the creation time survive, not just the instant.
    assert loaded.published.utcoffset() == timedelta(hours=3)
    assert loaded.published.date().isoformat() == "2025-12-12"
    assert loaded.first_created.utcoffset() == timedelta(hours=-3)
    assert seeded.item_for_document(doc.id) == item
    assert seeded.item("missing") is None
    assert seeded.item_for_document("missing") is None


def test_negative_offset_and_undated_items(seeded: Store, doc: Document) -> None:
    late = datetime(2025, 12, 12, 23, 30, tzinfo=SAO_PAULO)  # already the 13th in UTC
    seeded.save_item(make_item(doc, published=late))
    loaded = seeded.item(f"item-{doc.id}")
    assert loaded is not None and loaded.published is not None
    assert loaded.published.isoformat() == "2025-12-12T23:30:00-03:00"
    seeded.save_item(make_item(doc, published=None, published_has_time=False, version=2))
    undated = seeded.item(f"item-{doc.id}")
    assert undated is not None and undated.published is None


def test_versions_are_kept_once_each_oldest_first(seeded: Store, doc: Document) -> None:
    first = make_item(doc)
    assert seeded.save_items([first]) == 1
    assert seeded.save_items([first]) == 0  # the same item again changes nothing
    # Same version, other engines: the current row follows, history does not.
    rerun = dataclasses.replace(first, engines=("argos", "apertium"))
    assert seeded.save_items([rerun]) == 1
    assert seeded.item(first.id) == rerun
    assert seeded.item_versions(first.id) == [first]
    later = CREATED + timedelta(hours=2)
    second = make_item(doc, version=2, headline="Mission closes", version_created=later)
    seeded.save_item(second)
    assert seeded.item(first.id) == second
    assert seeded.item_versions(first.id) == [first, second]
    # A late save of an older version does not move the current item back.
    assert seeded.save_items([rerun]) == 0
    assert seeded.item(first.id) == second
    assert seeded.item_versions("missing") == []


def test_saving_keeps_the_search_index_in_step(seeded: Store, doc: Document) -> None:
    seeded.save_item(make_item(doc))
    assert [i.id for i in seeded.items(ItemQuery(text="mission")).items] == [f"item-{doc.id}"]
    seeded.save_item(make_item(doc, version=2, headline="Talks end", body=("Talks ended.",)))
    assert seeded.items(ItemQuery(text="mission")).items == ()
    assert len(seeded.items(ItemQuery(text="talks")).items) == 1


def test_item_errors_are_store_errors(seeded: Store, doc: Document) -> None:
    with pytest.raises(StoreError, match=r"^store: saving item "):
        seeded.save_item(make_item(doc, id="orphan", document_id="no-such-document"))
    naive = datetime(2025, 12, 12, 9, 30)
    with pytest.raises(StoreError, match="naive datetime"):
        seeded.save_item(make_item(doc, published=naive))


def test_items_created_in_the_same_microsecond_all_list(
    seeded: Store, make_document: MakeDoc
) -> None:
    docs = [make_document(f"same-{n}") for n in range(5)]
    for saved in docs:
        seeded.save_document(saved)
    seeded.save_items([make_item(d, first_created=CREATED) for d in docs[:3]])
    for saved in docs[3:]:
        seeded.save_item(make_item(saved, first_created=CREATED))
    listed = [item.document_id for item in seeded.items(ItemQuery(limit=2, with_facets=True)).items]
    assert listed == [docs[4].id, docs[3].id]  # ties: the later save first
    page = seeded.items(ItemQuery(limit=10))
    assert [item.document_id for item in page.items] == [d.id for d in reversed(docs)]


def test_documents_waiting_are_extracted_documents_without_items(
    seeded: Store, make_document: MakeDoc
) -> None:
    reason = "translate: no engine for ru→en: run `babelwire models install ru`"
    waiting = make_document("waiting", reason=reason)
    published = make_document("published")
    skipped = make_document("skipped", stage=Stage.SKIPPED, reason="extract: not an article")
    # A copy of another story is not waiting: the original carries the story.
    copy = make_document("copy", reason=reason, duplicate_of=published.id)
    for saved in (waiting, published, skipped, copy):
        seeded.save_document(saved)
    seeded.save_item(make_item(published))
    found = seeded.documents_waiting()
    assert [(d.id, d.reason) for d in found] == [(waiting.id, reason)]
    assert seeded.documents_waiting(limit=0) == []


def test_item_stats_count_by_region_source_language_and_day(
    database_url: str, make_document: MakeDoc, source: Source
) -> None:
    now = datetime(2025, 12, 12, 12, 0, tzinfo=UTC)
    with Store.open(database_url, clock=lambda: now) as pinned:
        pinned.migrate()
        _fill_for_stats(pinned, make_document, source, now)
        stats = pinned.item_stats()
    assert stats["items"] == 5
    assert stats["by_region"] == {"France": 1, "Russian Federation": 4}
    assert stats["by_source"] == {"mfa-fr": 1, source.id: 4}
    assert stats["by_language"] == {"fr": 1, "ru": 4}
    assert stats["per_day_window_days"] == 30
    assert stats["per_day_by_source"] == {
        "mfa-fr": {"2025-12-12": 1},
        source.id: {"2025-12-11": 1, "2025-12-12": 2},
    }


def _fill_for_stats(pinned: Store, make_document: MakeDoc, source: Source, now: datetime) -> None:
    other = dataclasses.replace(source, id="mfa-fr", region="France")
    pinned.upsert_sources([source, other])
    days_ago = {"a": 0, "b": 0, "c": 1, "d": 40}
    for name, days in days_ago.items():
        saved = make_document(name)
        pinned.save_document(saved)
        pinned.save_item(make_item(saved, first_created=now - timedelta(days=days)))
    french = make_document("e", source_id="mfa-fr")
    pinned.save_document(french)
    pinned.save_item(
        make_item(french, region="France", original_language="fr", first_created=now)
    )
