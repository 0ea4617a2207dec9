"""A small, hand-made wire for the publish and browser tests.

Documents and translations are built here (no fetch, no engine) and turned
into items with the real ``compose_item``, then saved through the real store
methods, so the pages are tested against what the pipeline would store.

Loaded by path (``load_seeding()`` in the conftest files) because the test
folders are not packages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
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

NOW = datetime(2025, 12, 12, 12, 0, tzinfo=UTC)
MOSCOW = timezone(timedelta(hours=3))
COMPOSE = ComposeSettings(publisher="Test Wire")

SOURCES = (
    Source(id="un-news-ru", name="United Nations", desk="UN News", region="Russian Federation",
           languages=("ru",), feeds=("https://news.un.example/ru/rss.xml",)),
    Source(id="mfa-fr", name="Ministère de l'Europe et des Affaires étrangères",
           desk="Press office", region="France", languages=("fr",),
           feeds=("https://diplomatie.example/fr/rss.xml",)),
    Source(id="gov-cn", name="State Council", desk="Policies", region="China",
           languages=("zh",), feeds=("https://gov.example.cn/rss.xml",)),
    Source(id="mod-ar", name="Ministry of Defence", desk="News", region="Egypt",
           languages=("ar",), feeds=("https://mod.example.eg/rss.xml",)),
)
BY_ID = {s.id: s for s in SOURCES}

#: What a hostile page could leave in extracted text if anything upstream
#: passed markup through: each must stay inert text on every surface.
HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE_IMG = '<img src="x" onerror="window.__pwned=1;alert(1)">'
HOSTILE_DIV = ('<div style="position:fixed;top:0;left:0;width:100vw;height:100vh;'
               'background:red;z-index:9999">')


@dataclass(frozen=True)
class Story:
    source_id: str
    slug: str
    original_title: str
    original_body: tuple[str, ...]
    headline: str
    body: tuple[str, ...]
    section: str | None = None
    original_section: str | None = None
    hours_ago: int = 0
    flags: tuple[str, ...] = ()


STORIES = (
    Story("un-news-ru", "unami", "Миссия ООН в Ираке завершит работу",
          ("Миссия ООН завершит работу 31 декабря 2025 года.",
           "Глава миссии рассказал о ключевых достижениях."),
          "UN mission in Iraq to complete its work",
          ("The UN mission will complete its work on December 31, 2025.",
           "The head of the mission spoke about key achievements."),
          section="Peace and security", original_section="Мир и безопасность", hours_ago=1),
    Story("un-news-ru", "climate", "Климатический саммит открылся",
          ("Саммит открылся в понедельник.",),
          "Climate summit opens", ("The summit opened on Monday.",),
          section="Climate", original_section="Климат", hours_ago=2,
          flags=("numbers_differ",)),
    Story("mfa-fr", "visit", "Visite du ministre à Bagdad",
          ("Le ministre s'est rendu à Bagdad.", "Il a rencontré son homologue."),
          "Minister visits Baghdad", ("The minister travelled to Baghdad.",
                                      "He met his counterpart."),
          section="Diplomacy", original_section="Diplomatie", hours_ago=3),
    Story("mfa-fr", "sanctions", "Déclaration sur les sanctions",
          ("La France salue la décision du Conseil.",),
          "Statement on sanctions", ("France welcomes the Council's decision.",),
          section="Diplomacy", original_section="Diplomatie", hours_ago=4),
    Story("gov-cn", "trade", "国务院发布贸易新政策",
          ("国务院今天发布了新的贸易政策。",),
          "State Council issues new trade policy",
          ("The State Council issued a new trade policy today.",),
          section="Economy", original_section="经济", hours_ago=5),
    Story("gov-cn", "hostile", f"Notice {HOSTILE_IMG}",
          (f"First {HOSTILE_SCRIPT} paragraph.", f"{HOSTILE_DIV}Unclosed box", HOSTILE_IMG),
          f"Hostile notice {HOSTILE_IMG}",
          (f"First {HOSTILE_SCRIPT} paragraph.", f"{HOSTILE_DIV}Unclosed box", HOSTILE_IMG),
          section="Economy", original_section="经济", hours_ago=6),
)

LANGUAGES = {"un-news-ru": "ru", "mfa-fr": "fr", "gov-cn": "zh", "mod-ar": "ar"}
POLL_ERROR = "fetch: HTTP 503 for https://mod.example.eg/rss.xml"
WAITING_REASON = "translate: no engine for ar→en: run `babelwire models install ar`"


def story_document(story: Story) -> Document:
    url = f"{BY_ID[story.source_id].feeds[0].rsplit('/', 1)[0]}/{story.slug}"
    published = NOW.astimezone(MOSCOW) - timedelta(hours=story.hours_ago + 1)
    extracted = Extracted(
        title=story.original_title,
        blocks=tuple(Block(BlockKind.PARAGRAPH, text) for text in story.original_body),
        language=LANGUAGES[story.source_id],
        published=published,
        published_has_time=True,
        section=story.original_section,
    )
    return Document(
        id=document_id(story.source_id, url), source_id=story.source_id, url=url,
        stage=Stage.EXTRACTED, extracted=extracted,
        fetched_at=NOW - timedelta(hours=story.hours_ago, minutes=30), http_status=200,
        final_url=url, charset="utf-8", warc_file="archive/test-00000.warc.gz",
        warc_offset=0, warc_record_id=f"<urn:uuid:{story.slug}-0000-0000-0000-000000000000>",
    )


def story_translation(story: Story, doc: Document, at: datetime) -> Translation:
    assert doc.extracted is not None

    def seg(source_text: str, text: str, flags: tuple[str, ...] = ()) -> SegmentTranslation:
        model = f"opus-mt-{LANGUAGES[story.source_id]}-en"
        return SegmentTranslation(source_text, text, "argos", model, "1.0", flags)

    body = tuple(seg(b.text, text, story.flags)
                 for b, text in zip(doc.extracted.blocks, story.body, strict=True))
    section = (seg(story.original_section, story.section)
               if story.section and story.original_section else None)
    return Translation(
        document_id=doc.id, source_language=LANGUAGES[story.source_id], target_language="en",
        headline=seg(story.original_title, story.headline), section=section, body=body,
        translated_at=at,
    )


def waiting_document() -> Document:
    url = "https://mod.example.eg/news/exercise"
    extracted = Extracted(title="مناورات عسكرية مشتركة",
                          blocks=(Block(BlockKind.PARAGRAPH, "بدأت المناورات اليوم."),),
                          language="ar")
    return Document(id=document_id("mod-ar", url), source_id="mod-ar", url=url,
                    stage=Stage.EXTRACTED, extracted=extracted, reason=WAITING_REASON,
                    fetched_at=NOW)


@dataclass
class Seeded:
    items: dict[str, Item] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    waiting: Document | None = None

    def item(self, slug: str) -> Item:
        return self.items[slug]


def seed(store: Any) -> Seeded:
    """Fill ``store`` with the stories (as items) and one waiting document."""
    store.upsert_sources(SOURCES)
    seeded = Seeded()
    for story in STORIES:
        created = NOW - timedelta(hours=story.hours_ago)
        doc = story_document(story)
        translation = story_translation(story, doc, created)
        store.save_document(doc)
        store.save_translation(translation)
        item = compose_item(doc, BY_ID[story.source_id], translation, settings=COMPOSE,
                            now=created)
        store.save_item(item)
        seeded.items[story.slug] = item
        seeded.documents[story.slug] = doc
    seeded.waiting = waiting_document()
    store.save_document(seeded.waiting)
    store.record_source_success("un-news-ru", NOW - timedelta(minutes=10),
                                NOW + timedelta(minutes=20))
    store.record_source_failure("mod-ar", POLL_ERROR, NOW - timedelta(minutes=5),
                                NOW + timedelta(hours=1))
    return seeded
