"""Documents not yet on the wire are found in their own language and
filtered like items; the wire lists items by when their source published
them; migration 0004 re-orders and indexes a database made before it."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import command

from babelwire.model import Block, BlockKind, Document, Extracted, Item, Source, Stage, document_id
from babelwire.store import Store
from babelwire.store import documents as docs
from babelwire.store import items as item_rows
from babelwire.store.migrate import alembic_config
from babelwire.store.query import ItemQuery

NOW = datetime(2025, 12, 12, 12, 0, tzinfo=UTC)
MOSCOW = timezone(timedelta(hours=3))
SOURCES = (
    Source(id="un-news-ru", name="United Nations", desk="UN News", region="Russian Federation",
           languages=("ru",), feeds=("https://news.un.example/ru/rss.xml",)),
    Source(id="gob-ar", name="Casa Rosada", desk="Noticias", region="Argentina",
           languages=("es",), feeds=("https://casarosada.example/rss.xml",)),
)


def waiting_doc(source_id: str, slug: str, title: str, text: str, language: str) -> Document:
    url = f"https://{source_id}.example/{slug}"
    extracted = Extracted(title=title, blocks=(Block(BlockKind.PARAGRAPH, text),),
                          language=language, published=NOW - timedelta(hours=2),
                          published_has_time=True)
    return Document(id=document_id(source_id, url), source_id=source_id, url=url,
                    stage=Stage.EXTRACTED, extracted=extracted,
                    reason=f"translate: no engine for {language}→en: run `x`")


def make_item(doc: Document, *, published: datetime | None, has_time: bool = True,
              created: datetime = NOW) -> Item:
    return Item(
        id=f"item-{doc.id}", document_id=doc.id, version=1, slug=doc.id, headline=doc.id,
        section=None, body=("Text.",), kind="translation", source_id=doc.source_id,
        source_name="United Nations", desk="UN News", region="Russian Federation",
        original_language="ru", original_headline="Заголовок", original_url=doc.url,
        published=published, published_has_time=has_time, first_created=created,
        version_created=created, disclaimer="Please note.", disclaimer_version="1",
        publisher="Test Wire")


def seed_waiting(store: Store) -> tuple[Document, Document]:
    store.upsert_sources(SOURCES)
    sudan = waiting_doc("un-news-ru", "sudan", "Гуманитарный кризис в Судан",
                        "Совет Безопасности обсудил положение в Судан и Чаде.", "ru")
    paving = waiting_doc("gob-ar", "obras", "Obras de repavimentación",
                         "La repavimentación de la ruta comenzó en Córdoba.", "es")
    store.save_document(sudan)
    store.save_documents([paving])
    return sudan, paving


def ids(found: list[Document]) -> list[str]:
    return [doc.id for doc in found]


def test_waiting_documents_are_found_in_their_own_language(store: Store) -> None:
    sudan, paving = seed_waiting(store)
    assert ids(store.documents_waiting(query=ItemQuery(text="Судан"))) == [sudan.id]
    assert ids(store.documents_waiting(query=ItemQuery(text="repavimentación"))) == [paving.id]
    assert ids(store.documents_waiting(query=ItemQuery(text="Судан -Чаде"))) == []
    either = store.documents_waiting(query=ItemQuery(text="Судан OR Córdoba"))
    assert set(ids(either)) == {sudan.id, paving.id}
    # Re-saving replaces the entry: the old words are gone.
    changed = dataclasses.replace(sudan, extracted=dataclasses.replace(
        sudan.extracted, title="Другое", blocks=(Block(BlockKind.PARAGRAPH, "Ничего."),)))
    store.save_document(changed)
    assert ids(store.documents_waiting(query=ItemQuery(text="Судан"))) == []
    assert ids(store.documents_waiting(query=ItemQuery(text="ничего"))) == [sudan.id]


def test_waiting_documents_follow_the_filters_in_any_case(store: Store) -> None:
    sudan, paving = seed_waiting(store)
    assert ids(store.documents_waiting(query=ItemQuery(region="argentina"))) == [paving.id]
    assert ids(store.documents_waiting(query=ItemQuery(language="ES"))) == [paving.id]
    both = ItemQuery(region=("ARGENTINA", "russian federation"))
    assert set(ids(store.documents_waiting(query=both))) == {sudan.id, paving.id}
    assert ids(store.documents_waiting(query=ItemQuery(source_id="un-news-ru"))) == [sudan.id]
    assert ids(store.documents_waiting(query=ItemQuery(text="region:Argentina"))) == [paving.id]
    # A section is an English name a waiting document does not have yet.
    assert store.documents_waiting(query=ItemQuery(section="Economy")) == []
    # Once it is an item, a document no longer waits.
    store.save_item(make_item(sudan, published=NOW - timedelta(hours=2)))
    assert ids(store.documents_waiting(query=ItemQuery(text="Судан"))) == []
    assert ids(store.documents_waiting()) == [paving.id]


def test_items_list_by_source_time_newest_first(store: Store) -> None:
    store.upsert_sources(SOURCES)
    made = {}
    for slug in ("old-fast", "new-slow", "future", "dated", "undated"):
        doc = waiting_doc("un-news-ru", slug, slug, slug, "ru")
        store.save_document(doc)
        made[slug] = doc
    # Reached the wire late, but published first: listed last.
    store.save_item(make_item(made["old-fast"], published=NOW - timedelta(hours=5),
                              created=NOW))
    store.save_item(make_item(made["new-slow"], published=NOW - timedelta(hours=1),
                              created=NOW - timedelta(hours=1)))
    # A date ahead of the wire's clock counts as the wire time, never later.
    store.save_item(make_item(made["future"], published=NOW + timedelta(days=30),
                              created=NOW - timedelta(minutes=30)))
    # A bare date: placed in that day at the time of day it reached the wire.
    day = datetime(2025, 12, 12, tzinfo=MOSCOW)
    store.save_item(make_item(made["dated"], published=day, has_time=False,
                              created=NOW - timedelta(minutes=10)))
    store.save_item(make_item(made["undated"], published=None, created=NOW - timedelta(hours=3)))
    listed = [item.slug for item in store.items(ItemQuery()).items]
    assert listed == [made[s].id for s in ("dated", "future", "new-slow", "undated", "old-fast")]
    assert item_rows.listed_at(make_item(made["dated"], published=day, has_time=False,
                                         created=NOW - timedelta(minutes=10))) == (
        NOW - timedelta(minutes=10))


def test_migration_0004_reorders_items_and_indexes_documents(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0003")
    with engine.begin() as connection:
        from babelwire.store import sources

        sources.upsert_sources(connection, list(SOURCES))
        early = waiting_doc("un-news-ru", "early", "Судан сегодня", "Текст.", "ru")
        late = waiting_doc("un-news-ru", "late", "Позже", "Текст.", "ru")
        for doc in (early, late):
            docs.save_document(connection, doc, NOW)
        # Before 0004, seq followed the wire time: "early" was wired last.
        item_rows.save_items(connection, [
            make_item(late, published=NOW - timedelta(hours=1), created=NOW - timedelta(hours=2)),
        ])
        old_seq = connection.scalar(sa.text("SELECT seq FROM items"))
        connection.execute(
            sa.text("INSERT INTO items (id, seq, document_id, source_id, region, "
                    "original_language, section, version, published, dated_at, first_created, "
                    "version_created, data) SELECT :id, :seq, :doc, source_id, region, "
                    "original_language, section, version, published, dated_at, first_created, "
                    "version_created, :data FROM items"),
            {"id": f"item-{early.id}", "seq": old_seq + 10**12, "doc": early.id,
             "data": json.dumps({**_item_data(connection), "id": f"item-{early.id}",
                                 "document_id": early.id,
                                 "published": (NOW - timedelta(hours=6)).isoformat()})})
    engine.dispose()
    with Store.open(database_url) as store:
        store.migrate()
        listed = [item.id for item in store.items(ItemQuery()).items]
        assert listed == [f"item-{late.id}", f"item-{early.id}"]
        assert ids(store.documents_waiting(query=ItemQuery(text="судан"))) == []
        assert [d.id for d in store.documents(stage=Stage.EXTRACTED)]
        with store._engine.connect() as connection:  # the index was filled
            table = ("documents_fts" if store.backend == "sqlite" else "documents_search")
            assert connection.scalar(sa.text(f"SELECT count(*) FROM {table}")) == 2


def _item_data(connection: sa.Connection) -> dict[str, object]:
    data = connection.scalar(sa.text("SELECT data FROM items"))
    return data if isinstance(data, dict) else json.loads(data)
