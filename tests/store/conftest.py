"""Records for the store tests: a catalog source and documents with every
field set, in many scripts, with timestamps in several zones.

Test modules cannot import this file (the suite runs with
``--import-mode=importlib``), so the plain values reach them through the
``samples`` fixture.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import pytest

from babelwire.model import (
    Block,
    BlockKind,
    Document,
    Entry,
    Extracted,
    Source,
    Stage,
    content_hash,
    document_id,
)
from babelwire.store import Store

MOSCOW = timezone(timedelta(hours=3))
NEW_YORK = timezone(timedelta(hours=-5))
DELHI = timezone(timedelta(hours=5, minutes=30))

#: One line in many scripts, with a combining accent, an RTL mark and an
#: emoji outside the Basic Multilingual Plane.
MULTISCRIPT = (
    "Совет Безопасности · مجلس الأمن · 安全理事会 · सुरक्षा परिषद · Συμβούλιο "
    "· 안전보장이사회 · ความมั่นคง · שלום · Cafe\u0301 \u200f· 🇺🇳"
)

#: Values that would break a query built by pasting strings together.
HOSTILE = (
    "'; DROP TABLE documents; --",
    "Robert\"); DELETE FROM sources WHERE ('1'='1",
    "%s %(name)s ? :name $1 \\x00 \\' \\\\",
    "*/ UNION SELECT * FROM sources /*",
)


def long_name(length: int = 200) -> str:
    unit = "Ministère des Affaires étrangères — Министерство иностранных дел — "
    text = (unit * (length // len(unit) + 1))[:length]
    assert len(text) == length
    return text


def full_extracted(title: str = MULTISCRIPT) -> Extracted:
    return Extracted(
        title=title,
        blocks=(
            Block(BlockKind.HEADING, "Заявление Генерального секретаря"),
            Block(BlockKind.PARAGRAPH, MULTISCRIPT),
            Block(BlockKind.QUOTE, "«Мир — это не отсутствие войны»"),
            Block(BlockKind.LIST_ITEM, "резолюция 2773 (2025)"),
            Block(BlockKind.TABLE_ROW, "2024 | 22 025 415", cells=("2024", "22 025 415")),
        ),
        language="ru",
        declared_language="ru-RU",
        language_confidence=0.8731,
        published=datetime(2025, 12, 12, 14, 30, 15, 123456, tzinfo=MOSCOW),
        published_has_time=True,
        section="Мир и безопасность",
        byline="Служба новостей ООН",
        canonical_url="http://127.0.0.1:1/ru/story/2025/12/1",
        description="Краткое описание",
    )


@pytest.fixture
def samples() -> SimpleNamespace:
    return SimpleNamespace(
        MOSCOW=MOSCOW,
        NEW_YORK=NEW_YORK,
        DELHI=DELHI,
        MULTISCRIPT=MULTISCRIPT,
        HOSTILE=HOSTILE,
        long_name=long_name,
        full_extracted=full_extracted,
    )


@pytest.fixture
def source() -> Source:
    return Source(
        id="un-news-ru",
        name=long_name(),
        desk="Служба новостей ООН",
        region="Russian Federation",
        languages=("ru", "en"),
        feeds=("http://127.0.0.1:1/feed.xml",),
        category="international",
        homepage="http://127.0.0.1:1/",
        origin="catalog/un.toml",
    )


@pytest.fixture
def seeded(store: Store, source: Source) -> Store:
    """The migrated store with the test source in it."""
    store.upsert_sources([source, dataclasses.replace(source, id="other", name="Other")])
    return store


@pytest.fixture
def make_entry(source: Source) -> Callable[..., Entry]:
    def make(path: str, **changes: Any) -> Entry:
        entry = Entry(
            source_id=source.id,
            url=f"http://127.0.0.1:1/news/{path}",
            found_in="http://127.0.0.1:1/feed.xml",
            title=f"Заголовок {path}",
            published=datetime(2025, 12, 12, 9, 0, tzinfo=NEW_YORK),
        )
        return dataclasses.replace(entry, **changes)

    return make


@pytest.fixture
def make_document(source: Source) -> Callable[..., Document]:
    """A document at EXTRACTED with every field set; keyword args override."""

    def make(path: str = "1", **changes: Any) -> Document:
        url = f"http://127.0.0.1:1/news/{path}"
        extracted = full_extracted()
        doc = Document(
            id=document_id(source.id, url),
            source_id=source.id,
            url=url,
            stage=Stage.EXTRACTED,
            extracted=extracted,
            fetched_at=datetime(2025, 12, 12, 17, 0, 1, tzinfo=DELHI),
            http_status=200,
            final_url=url + "?redirected=1",
            charset="windows-1251",
            warc_file="archive/babelwire-20251212.warc.gz",
            warc_offset=5_000_000_000,  # past 2**32: the column must be 64-bit
            warc_record_id="<urn:uuid:3f2c1d7e-0000-4000-8000-000000000001>",
            content_hash=content_hash(extracted.text),
            found_in="http://127.0.0.1:1/feed.xml",
            entry_title="Заголовок",
            entry_published=datetime(2025, 12, 12, 9, 0, tzinfo=NEW_YORK),
            extra=(("og:type", "article"), ("note", MULTISCRIPT)),
        )
        return dataclasses.replace(doc, **changes)

    return make


@pytest.fixture
def ticking_clock() -> Iterator[Callable[[], datetime]]:
    """A clock that moves one second on every reading."""
    now = [datetime(2025, 12, 12, tzinfo=UTC)]

    def clock() -> datetime:
        now[0] += timedelta(seconds=1)
        return now[0]

    yield clock
