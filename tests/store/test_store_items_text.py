"""What every row goes through on the way in: zone offsets kept, control
characters removed (PostgreSQL refuses NUL), on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic import command

from babelwire.model import (
    Block,
    BlockKind,
    Document,
    Entry,
    Item,
    SegmentTranslation,
    Source,
    Translation,
)
from babelwire.store import Store
from babelwire.store.migrate import alembic_config
from babelwire.store.query import ItemQuery
from babelwire.store.rows import clean_text

MakeDoc = Callable[..., Document]
DIRTY = "Mi\x00ssion\x01 ok\tkept\nkept\r\x1f\x08 end\ud800"
CLEAN = "Mission ok\tkept\nkept\r end\ufffd"


@pytest.mark.parametrize("hours", [3, -3, 5.5, 0])
def test_extracted_published_keeps_its_offset(
    seeded: Store, make_document: MakeDoc, hours: float
) -> None:
    zone = timezone(timedelta(hours=hours))
    doc = make_document("1")
    assert doc.extracted is not None
    published = datetime(2025, 12, 12, 23, 45, tzinfo=zone)
    extracted = dataclasses.replace(doc.extracted, published=published)
    doc = dataclasses.replace(doc, extracted=extracted, entry_published=published)
    seeded.save_document(doc)
    loaded = seeded.document(doc.id)
    assert loaded is not None and loaded.extracted is not None
    assert loaded.extracted.published is not None
    assert loaded.extracted.published.isoformat() == published.isoformat()
    assert loaded.entry_published is not None
    assert loaded.entry_published.isoformat() == published.isoformat()
    assert loaded == doc


def test_discovered_entries_keep_their_offset(
    seeded: Store, make_entry: Callable[..., Entry]
) -> None:
    published = datetime(2025, 12, 12, 9, 0, tzinfo=timezone(timedelta(hours=-3)))
    entry = make_entry("a", published=published)
    seeded.add_discovered([entry])
    loaded = seeded.document(entry.document_id)
    assert loaded is not None and loaded.entry_published is not None
    assert loaded.entry_published.isoformat() == "2025-12-12T09:00:00-03:00"


def test_clean_text_removes_controls_but_keeps_layout() -> None:
    assert clean_text(DIRTY) == CLEAN
    assert clean_text("Совет · 安全理事会 · 🇺🇳") == "Совет · 安全理事会 · 🇺🇳"


def test_control_characters_are_removed_from_every_row(
    seeded: Store, source: Source, make_document: MakeDoc
) -> None:
    seeded.upsert_sources([dataclasses.replace(source, name=f"United {DIRTY}")])
    doc = make_document("1", entry_title=DIRTY, reason=DIRTY, extra=(("note", DIRTY),))
    assert doc.extracted is not None
    doc = dataclasses.replace(
        doc,
        extracted=dataclasses.replace(
            doc.extracted,
            title=DIRTY,
            blocks=(Block(BlockKind.TABLE_ROW, DIRTY, cells=(DIRTY, "x")),),
        ),
    )
    seeded.save_document(doc)
    loaded = seeded.document(doc.id)
    assert loaded is not None and loaded.extracted is not None
    assert loaded.entry_title == loaded.reason == loaded.extracted.title == CLEAN
    assert loaded.extracted.blocks[0].cells == (CLEAN, "x")
    assert loaded.extra == (("note", CLEAN),)

    segment = SegmentTranslation(DIRTY, DIRTY, "argos", "m", "1")
    when = datetime(2025, 12, 12, tzinfo=UTC)
    seeded.save_translation(Translation(doc.id, "ru", "en", segment, None, (segment,), when))
    translation = seeded.translation(doc.id)
    assert translation is not None and translation.headline is not None
    assert translation.headline.text == translation.body[0].source_text == CLEAN

    item = Item(
        id="i1", document_id=doc.id, version=1, slug="s", headline=DIRTY, section=None,
        body=(DIRTY,), kind="translation", source_id=source.id, source_name=DIRTY,
        desk="d", region="r", original_language="ru", original_headline=DIRTY,
        original_url=doc.url, published=None, published_has_time=False,
        first_created=when, version_created=when, disclaimer="x", disclaimer_version="1",
        publisher="p",
    )
    seeded.save_item(item)
    stored = seeded.item("i1")
    assert stored is not None
    assert stored.headline == stored.body[0] == stored.source_name == CLEAN
    # Query values are cleaned the same way: the NUL goes, the query runs.
    page = seeded.items(ItemQuery(text="mis\x00sion", region="r\x00"))
    assert [i.id for i in page.items] == ["i1"]


def _migrate_to(database_url: str, revision: str, down: bool = False) -> None:
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as connection:
            step = command.downgrade if down else command.upgrade
            step(alembic_config(connection), revision)
    finally:
        engine.dispose()


def test_upgrade_from_0001_keeps_documents_and_downgrade_works(
    database_url: str, source: Source, make_document: MakeDoc
) -> None:
    def migrate_to(revision: str, down: bool = False) -> None:
        _migrate_to(database_url, revision, down)

    migrate_to("0001")
    with Store.open(database_url) as store:
        store.upsert_sources([source])
    # A document written before 0002, straight into the 0001 table.
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO documents (id, source_id, url, stage, published_has_time, "
                "created_at, updated_at) VALUES ('old', :source, 'http://127.0.0.1:1/old', "
                "'discovered', false, :now, :now)"
            ),
            {"source": source.id, "now": "2025-12-12T00:00:00.000000+00:00"},
        )
    engine.dispose()
    with Store.open(database_url) as store:
        store.migrate()
        old = store.document("old")
        assert old is not None and old.extracted is None
        doc = make_document("new")
        store.save_document(doc)
    migrate_to("0001", down=True)
    migrate_to("head")
    with Store.open(database_url) as store:
        assert store.document("old") is not None
        reloaded = store.document(doc.id)
        assert reloaded is not None and reloaded.extracted is not None
        # Offsets written by 0002 went with the downgrade: the instant stays.
        assert reloaded.extracted.published == doc.extracted.published  # type: ignore[union-attr]
        assert store.items(ItemQuery(text="anything")).items == ()


def test_0003_counts_the_items_already_stored(
    database_url: str, source: Source, make_document: MakeDoc
) -> None:
    when = datetime(2025, 12, 12, tzinfo=UTC)
    with Store.open(database_url) as store:
        store.migrate()
        store.upsert_sources([source])
        for n, section in enumerate(("Peace", "Peace", None)):
            doc = make_document(str(n))
            store.save_document(doc)
            store.save_item(Item(
                id=f"i{n}", document_id=doc.id, version=1, slug="s", headline="h",
                section=section, body=("b",), kind="translation", source_id=source.id,
                source_name="n", desk="d", region="Iraq", original_language="ar",
                original_headline=None, original_url=doc.url, published=None,
                published_has_time=False, first_created=when, version_created=when,
                disclaimer="x", disclaimer_version="1", publisher="p",
            ))
    _migrate_to(database_url, "0002", down=True)
    _migrate_to(database_url, "head")
    with Store.open(database_url) as store:
        facets = store.items(ItemQuery(with_facets=True)).facets
    assert facets["section"] == (("Peace", 2),)
    assert facets["region"] == (("Iraq", 3),)
