"""A small wire for the subscription tests: items composed by the real
``compose_item`` and saved through the real store, with the wire time of
each chosen by the test (that is what a subscription's cursor follows)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from babelwire.compose import ComposeSettings, compose_item
from babelwire.model import (
    Block,
    BlockKind,
    Document,
    Extracted,
    Item,
    SegmentTranslation,
    Source,
    Stage,
    Translation,
    document_id,
)
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.subscribe import SubscribeSettings

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
COMPOSE = ComposeSettings(publisher="Test Wire")
SOURCES = (
    Source(id="mfa-fr", name="Ministère des Affaires étrangères", desk="Press", region="France",
           languages=("fr",), feeds=("https://diplomatie.example/rss.xml",)),
    Source(id="un-news-ru", name="United Nations", desk="UN News", region="Russian Federation",
           languages=("ru",), feeds=("https://news.un.example/ru/rss.xml",)),
)
BY_ID = {s.id: s for s in SOURCES}

Publish = Callable[..., Item]


@pytest.fixture
def wired(store: Store) -> Store:
    store.upsert_sources(SOURCES)
    return store


@pytest.fixture
def publish(wired: Store) -> Publish:
    """Put one item on the wire at ``at`` (published by the source at ``published``)."""

    def put(slug: str, headline: str, *, at: datetime, source_id: str = "mfa-fr",
            body: tuple[str, ...] = ("First paragraph.",),
            published: datetime | None = None) -> Item:
        source = BY_ID[source_id]
        url = f"{source.feeds[0].rsplit('/', 1)[0]}/{slug}"
        language = source.languages[0]
        extracted = Extracted(title=f"orig {headline}",
                              blocks=tuple(Block(BlockKind.PARAGRAPH, f"orig {b}") for b in body),
                              language=language, published=published or at,
                              published_has_time=True)
        doc = Document(id=document_id(source.id, url), source_id=source.id, url=url,
                       stage=Stage.EXTRACTED, extracted=extracted, fetched_at=at,
                       http_status=200, final_url=url)

        def seg(original: str, text: str) -> SegmentTranslation:
            return SegmentTranslation(original, text, "argos", f"opus-mt-{language}-en", "1.0")

        translation = Translation(
            document_id=doc.id, source_language=language, target_language="en",
            headline=seg(extracted.title, headline), section=None,
            body=tuple(seg(b.text, text) for b, text in zip(extracted.blocks, body,
                                                            strict=True)),
            translated_at=at)
        wired.save_document(doc)
        wired.save_translation(translation)
        item = compose_item(doc, source, translation, settings=COMPOSE, now=at)
        wired.save_item(item)
        return item

    return put


@pytest.fixture
def ingest_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings.load({}, connect_timeout_s=5.0, read_timeout_s=5.0, total_timeout_s=10.0)


def subscribe_settings(**changes: object) -> SubscribeSettings:
    values: dict[str, object] = {"backoff_s": 1.0, "attempts": 3,
                                 "base_url": "https://wire.example"}
    return SubscribeSettings.load({}, **(values | changes))


@pytest.fixture
def make_subscribe() -> Callable[..., SubscribeSettings]:
    return subscribe_settings


def later(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.fixture
def at() -> Callable[[float], datetime]:
    """START plus some minutes."""
    return later
