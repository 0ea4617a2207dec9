"""A small wire with one story told in four languages, for the story tests.

The Sudan aid story is reported by four sources in Russian, French, Arabic
and English within a day; two items of other news stay stories of their
own. Items are composed with the real ``compose_item`` and saved through
the real store, as ``seeding.py`` does. Loaded by path (see ``load``).
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

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

NOW = datetime(2025, 12, 11, 12, 0, tzinfo=UTC)
COMPOSE = ComposeSettings(publisher="Test Wire")

SOURCES = (
    Source(id="un-news-ru", name="United Nations", desk="UN News", region="Russian Federation",
           languages=("ru",), feeds=("https://news.un.example/ru/rss.xml",)),
    Source(id="mfa-fr", name="Ministère de l'Europe et des Affaires étrangères",
           desk="Press office", region="France", languages=("fr",),
           feeds=("https://diplomatie.example/fr/rss.xml",)),
    Source(id="mofa-eg", name="Ministry of Foreign Affairs", desk="News", region="Egypt",
           languages=("ar",), feeds=("https://mofa.example.eg/rss.xml",)),
    Source(id="state-us", name="Department of State", desk="Press releases",
           region="United States", languages=("en",),
           feeds=("https://state.example/rss.xml",)),
    Source(id="gov-cn", name="State Council", desk="Policies", region="China",
           languages=("zh",), feeds=("https://gov.example.cn/rss.xml",)),
)
BY_ID = {s.id: s for s in SOURCES}


@dataclass(frozen=True)
class Report:
    source_id: str
    slug: str
    language: str
    title: str
    body: tuple[str, ...]
    headline: str
    english: tuple[str, ...]
    hours_ago: float


SUDAN = (
    Report("un-news-ru", "wfp-convoy", "ru", "ВПП направила гуманитарный конвой в Судан",
           ("Конвой Всемирной продовольственной программы прибыл в Дарфур.",
            "В Судане миллионы людей нуждаются в продовольствии."),
           "WFP sends a humanitarian convoy to Sudan",
           ("A World Food Programme convoy reached Darfur.",
            "Millions of people in Sudan need food."), 20),
    Report("mfa-fr", "conference-soudan", "fr",
           "Soudan : la France accueillera une conférence humanitaire",
           ("La France réunira les donateurs pour le Darfour.",
            "Le Programme alimentaire mondial appelle à l'aide pour le Soudan."),
           "Sudan: France will host a humanitarian conference",
           ("France will bring donors together for Darfur.",
            "The World Food Programme calls for aid for Sudan."), 6),
    Report("mofa-eg", "convoy-sudan", "ar", "قافلة مساعدات مصرية إلى السودان",
           ("وصلت قافلة مساعدات إلى دارفور بالتعاون مع برنامج الأغذية العالمي.",),
           "Egyptian aid convoy to Sudan",
           ("An aid convoy reached Darfur with the World Food Programme.",), 4),
    Report("state-us", "assistance-sudan", "en",
           "United States announces humanitarian assistance for Sudan",
           ("The United States will give food aid to Sudan through the World Food Programme.",
            "The assistance will reach Darfur."),
           "United States announces humanitarian assistance for Sudan",
           ("The United States will give food aid to Sudan through the World Food Programme.",
            "The assistance will reach Darfur."), 2),
)
OTHERS = (
    Report("gov-cn", "trade", "zh", "国务院发布贸易新政策", ("国务院今天发布了新的贸易政策。",),
           "State Council issues new trade policy",
           ("The State Council issued a new trade policy today.",), 5),
    Report("mfa-fr", "bagdad", "fr", "Visite du ministre à Bagdad",
           ("Le ministre s'est rendu à Bagdad, en Irak.",),
           "Minister visits Baghdad", ("The minister travelled to Baghdad, in Iraq.",), 3),
)


def document(report: Report) -> Document:
    url = f"{BY_ID[report.source_id].feeds[0].rsplit('/', 1)[0]}/{report.slug}"
    extracted = Extracted(title=report.title,
                          blocks=tuple(Block(BlockKind.PARAGRAPH, t) for t in report.body),
                          language=report.language,
                          published=NOW - timedelta(hours=report.hours_ago + 0.5),
                          published_has_time=True)
    return Document(id=document_id(report.source_id, url), source_id=report.source_id,
                    url=url, stage=Stage.EXTRACTED, extracted=extracted,
                    fetched_at=NOW - timedelta(hours=report.hours_ago), http_status=200,
                    final_url=url)


def translation(report: Report, doc: Document, at: datetime) -> Translation | None:
    if report.language == "en":
        return None

    def seg(source_text: str, text: str) -> SegmentTranslation:
        return SegmentTranslation(source_text, text, "argos", f"opus-mt-{report.language}-en",
                                  "1.0")

    return Translation(
        document_id=doc.id, source_language=report.language, target_language="en",
        headline=seg(report.title, report.headline), section=None,
        body=tuple(seg(o, e) for o, e in zip(report.body, report.english, strict=True)),
        translated_at=at)


def save(store: Any, report: Report) -> Item:
    created = NOW - timedelta(hours=report.hours_ago)
    doc = document(report)
    found = translation(report, doc, created)
    store.save_document(doc)
    if found is not None:
        store.save_translation(found)
    item = compose_item(doc, BY_ID[report.source_id], found, settings=COMPOSE, now=created)
    store.save_item(item)
    return item


def seed(store: Any, reports: tuple[Report, ...] = SUDAN + OTHERS) -> dict[str, Item]:
    store.upsert_sources(SOURCES)
    return {report.slug: save(store, report) for report in reports}


def load() -> ModuleType:
    """This module, loaded by path (the test folders are not packages)."""
    name = "story_test_seeding"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
