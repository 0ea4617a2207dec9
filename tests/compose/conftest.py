"""Records for the compose tests, built by hand: a UN News story in Russian.

The story mirrors the reference wire item (UNAMI closing, UN News, region
"Russian Federation", December 12, 2025, "Peace and security"); the Russian
and English paragraphs are short texts written for these tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, ClassVar

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
)

RU_HEADLINE = "Миссия ООН в Ираке завершит работу после 22 лет"
EN_HEADLINE = "UN mission in Iraq to end its work after 22 years"
RU_SECTION = "Мир и безопасность"
EN_SECTION = "Peace and security"
RU_BODY = (
    "Миссия ООН по содействию Ираку (МООНСИ) завершит работу 31 декабря 2025 года, "
    "проработав в стране 22 года.",
    "Глава миссии рассказал Службе новостей ООН, что это решение отражает перемены "
    "в Ираке с 2003 года.",
    "Агентства, фонды и программы ООН останутся в Ираке после ухода миссии.",
)
EN_BODY = (
    "The United Nations Assistance Mission for Iraq (UNAMI) will close on December 31, "
    "2025, after 22 years in the country.",
    "The head of the mission told UN News that the decision reflects how much Iraq "
    "has changed since 2003.",
    "UN agencies, funds and programmes will stay in Iraq after the mission leaves.",
)
URL = "https://news.un.example/ru/story/2025/12/unami"
NOW = datetime(2025, 12, 12, 15, 0, tzinfo=UTC)
PUBLISHED = datetime(2025, 12, 12, tzinfo=UTC)


def segment(source_text: str, text: str, engine: str = "ctranslate2",
            flags: tuple[str, ...] = ()) -> SegmentTranslation:
    model = "" if engine in {"none", "official"} else "opus-mt-ru-en"
    return SegmentTranslation(source_text, text, engine, model, "1", flags)


@dataclass(frozen=True)
class Story:
    """Builders for one document and its English text; tests change what they test."""

    source: Source
    settings: ComposeSettings

    # The texts, for assertions (conftest is not importable under importlib mode).
    ru_headline: ClassVar[str] = RU_HEADLINE
    en_headline: ClassVar[str] = EN_HEADLINE
    en_section: ClassVar[str] = EN_SECTION
    en_body: ClassVar[tuple[str, ...]] = EN_BODY
    url: ClassVar[str] = URL
    now: ClassVar[datetime] = NOW

    def doc(self, *, body: Sequence[str] = RU_BODY, title: str | None = RU_HEADLINE,
            language: str | None = "ru", section: str | None = RU_SECTION,
            **extracted: Any) -> Document:
        fields: dict[str, Any] = {"published": PUBLISHED, "published_has_time": False}
        fields.update(extracted)
        text = Extracted(
            title=title, blocks=tuple(Block(BlockKind.PARAGRAPH, p) for p in body),
            language=language, section=section, **fields,
        )
        return Document(id="doc-unami-1", source_id=self.source.id, url=URL,
                        stage=Stage.EXTRACTED, extracted=text, final_url=URL)

    def translation(self, doc: Document, *, body: Sequence[str] = EN_BODY,
                    headline: str | None = EN_HEADLINE, section: str | None = EN_SECTION,
                    engine: str = "ctranslate2", language: str = "ru",
                    flags: Sequence[tuple[str, ...]] = ()) -> Translation:
        assert doc.extracted is not None
        blocks = doc.extracted.blocks
        flag_list = list(flags) or [()] * len(body)
        return Translation(
            document_id=doc.id, source_language=language, target_language="en",
            headline=None if headline is None
            else segment(doc.extracted.title or "", headline, engine),
            section=None if section is None
            else segment(doc.extracted.section or "", section, engine),
            body=tuple(segment(block.text, text, engine, f)
                       for block, text, f in zip(blocks, body, flag_list, strict=True)),
            translated_at=NOW,
        )

    def compose(self, doc: Document, translation: Translation | None, *,
                now: datetime = NOW, previous: Item | None = None,
                settings: ComposeSettings | None = None) -> Item:
        return compose_item(doc, self.source, translation, settings=settings or self.settings,
                            now=now, previous=previous)

    def item(self, **source_changes: Any) -> Item:
        """The UNAMI story as a translated item."""
        story = replace(self, source=replace(self.source, **source_changes))
        doc = story.doc()
        return story.compose(doc, story.translation(doc))


@pytest.fixture
def story() -> Story:
    source = Source(id="un-news-ru", name="United Nations", desk="United Nations",
                    region="Russian Federation", languages=("ru",),
                    homepage="https://news.un.example/ru/")
    return Story(source=source, settings=ComposeSettings(publisher="MIL-OSI"))

