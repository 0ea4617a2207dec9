"""Small, hand-made wires for the publish, story, subscription and browser tests.

Documents and translations are built here (no fetch, no engine) and turned
into items with the real ``compose_item``, then saved through the real store
methods, so the pages are tested against what the pipeline would store.

Two wires: ``seed`` fills the main one (six stories from four sources, a
document waiting for an engine, source health); ``STORY_WIRE`` is one Sudan
aid story reported in Russian, French, Arabic and English within a day, with
two items of other news that stay stories of their own.

Imported relatively (``from . import seeding``, ``from ..publish import
seeding``): the suite runs with ``--import-mode=importlib``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
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
    """One item: the original's text and, when the original is not English,
    the machine translation the pipeline would have made of it."""

    source_id: str
    slug: str
    original_title: str
    original_body: tuple[str, ...]
    headline: str
    body: tuple[str, ...]
    section: str | None = None
    original_section: str | None = None
    hours_ago: float = 0
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Wire:
    """Sources and stories seeded as of ``now``; each story is composed
    ``hours_ago`` before it, and was published and fetched the given time
    before that. ``archived``: the documents name their capture (charset and
    WARC record), as fetched pages do."""

    now: datetime
    sources: tuple[Source, ...]
    stories: tuple[Story, ...]
    #: The zone the sources give their publication times in.
    zone: tzinfo = UTC
    published_before: timedelta = timedelta(0)
    fetched_before: timedelta = timedelta(0)
    archived: bool = False
    compose: ComposeSettings = COMPOSE

    def source(self, story: Story) -> Source:
        return next(s for s in self.sources if s.id == story.source_id)

    def composed_at(self, story: Story) -> datetime:
        return self.now - timedelta(hours=story.hours_ago)

    def document(self, story: Story) -> Document:
        source = self.source(story)
        url = f"{source.feeds[0].rsplit('/', 1)[0]}/{story.slug}"
        composed = self.composed_at(story)
        extracted = Extracted(
            title=story.original_title,
            blocks=tuple(Block(BlockKind.PARAGRAPH, text) for text in story.original_body),
            language=source.languages[0],
            published=composed.astimezone(self.zone) - self.published_before,
            published_has_time=True,
            section=story.original_section,
        )
        doc = Document(
            id=document_id(source.id, url), source_id=source.id, url=url,
            stage=Stage.EXTRACTED, extracted=extracted,
            fetched_at=composed - self.fetched_before, http_status=200, final_url=url,
        )
        if not self.archived:
            return doc
        return replace(doc, charset="utf-8", warc_file="archive/test-00000.warc.gz",
                       warc_offset=0,
                       warc_record_id=f"<urn:uuid:{story.slug}-0000-0000-0000-000000000000>")

    def translation(self, story: Story, doc: Document) -> Translation | None:
        """None for an English original: there is nothing to translate."""
        assert doc.extracted is not None
        language = self.source(story).languages[0]
        if language == "en":
            return None

        def seg(source_text: str, text: str, flags: tuple[str, ...] = ()) -> SegmentTranslation:
            return SegmentTranslation(source_text, text, "argos", f"opus-mt-{language}-en",
                                      "1.0", flags)

        body = tuple(seg(b.text, text, story.flags)
                     for b, text in zip(doc.extracted.blocks, story.body, strict=True))
        section = (seg(story.original_section, story.section)
                   if story.section and story.original_section else None)
        return Translation(
            document_id=doc.id, source_language=language, target_language="en",
            headline=seg(story.original_title, story.headline), section=section, body=body,
            translated_at=self.composed_at(story),
        )

    def save(self, store: Any, story: Story) -> Item:
        """Save the story's document, translation and item (its source must be in ``store``)."""
        doc = self.document(story)
        translation = self.translation(story, doc)
        store.save_document(doc)
        if translation is not None:
            store.save_translation(translation)
        item = compose_item(doc, self.source(story), translation, settings=self.compose,
                            now=self.composed_at(story))
        store.save_item(item)
        return item

    def seed(self, store: Any, stories: tuple[Story, ...] | None = None) -> dict[str, Item]:
        """The sources and the stories (all unless named), items by slug."""
        store.upsert_sources(self.sources)
        return {story.slug: self.save(store, story)
                for story in (self.stories if stories is None else stories)}


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
# Published an hour before being composed, at Moscow time; fetched half an hour before.
WIRE = Wire(NOW, SOURCES, STORIES, zone=MOSCOW, published_before=timedelta(hours=1),
            fetched_before=timedelta(minutes=30), archived=True)

POLL_ERROR = "fetch: HTTP 503 for https://mod.example.eg/rss.xml"
WAITING_REASON = "translate: no engine for ar→en: run `babelwire models install ar`"


def story_document(story: Story) -> Document:
    return WIRE.document(story)


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
    seeded = Seeded(items=WIRE.seed(store),
                    documents={story.slug: WIRE.document(story) for story in STORIES})
    seeded.waiting = waiting_document()
    store.save_document(seeded.waiting)
    store.record_source_success("un-news-ru", NOW - timedelta(minutes=10),
                                NOW + timedelta(minutes=20))
    store.record_source_failure("mod-ar", POLL_ERROR, NOW - timedelta(minutes=5),
                                NOW + timedelta(hours=1))
    return seeded


# One event, a WFP convoy reaching Darfur, as four newsrooms report it: a
# story is one event, not a topic (enrich.stories).
SUDAN = (
    Story("un-news-ru", "wfp-convoy", "ВПП направила гуманитарный конвой в Судан",
          ("Конвой Всемирной продовольственной программы прибыл в Дарфур.",
           "В Судане миллионы людей нуждаются в продовольствии."),
          "WFP sends a humanitarian convoy to Sudan",
          ("A World Food Programme convoy reached Darfur.",
           "Millions of people in Sudan need food."), hours_ago=20),
    Story("mfa-fr", "convoi-soudan",
          "Soudan : le convoi humanitaire du PAM est arrivé au Darfour",
          ("Le convoi du Programme alimentaire mondial a atteint le Darfour avec des vivres.",
           "Au Soudan, des millions de personnes ont besoin de nourriture."),
          "Sudan: the WFP humanitarian convoy has arrived in Darfur",
          ("The World Food Programme convoy reached Darfur with food supplies.",
           "In Sudan, millions of people need food."), hours_ago=6),
    Story("mofa-eg", "convoy-sudan", "قافلة مساعدات مصرية إلى السودان",
          ("وصلت قافلة مساعدات إلى دارفور بالتعاون مع برنامج الأغذية العالمي.",),
          "Egyptian aid convoy to Sudan",
          ("An aid convoy reached Darfur with the World Food Programme.",), hours_ago=4),
    Story("state-us", "assistance-sudan",
          "World Food Programme convoy with U.S. food aid reaches Darfur",
          ("A World Food Programme convoy carrying food aid reached Darfur, in Sudan.",
           "Millions of people there need food."),
          "World Food Programme convoy with U.S. food aid reaches Darfur",
          ("A World Food Programme convoy carrying food aid reached Darfur, in Sudan.",
           "Millions of people there need food."), hours_ago=2),
)
OTHERS = (
    Story("gov-cn", "trade", "国务院发布贸易新政策", ("国务院今天发布了新的贸易政策。",),
          "State Council issues new trade policy",
          ("The State Council issued a new trade policy today.",), hours_ago=5),
    Story("mfa-fr", "bagdad", "Visite du ministre à Bagdad",
          ("Le ministre s'est rendu à Bagdad, en Irak.",),
          "Minister visits Baghdad", ("The minister travelled to Baghdad, in Iraq.",),
          hours_ago=3),
)
STORY_SOURCES = (
    BY_ID["un-news-ru"], BY_ID["mfa-fr"],
    Source(id="mofa-eg", name="Ministry of Foreign Affairs", desk="News", region="Egypt",
           languages=("ar",), feeds=("https://mofa.example.eg/rss.xml",)),
    Source(id="state-us", name="Department of State", desk="Press releases",
           region="United States", languages=("en",),
           feeds=("https://state.example/rss.xml",)),
    BY_ID["gov-cn"],
)
# A day before NOW; published half an hour before being composed, fetched as composed.
STORY_WIRE = Wire(datetime(2025, 12, 11, 12, 0, tzinfo=UTC), STORY_SOURCES, SUDAN + OTHERS,
                  published_before=timedelta(minutes=30))
