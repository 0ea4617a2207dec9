"""More of the hand-made wire: the cases the labels, flags, dates and archive must say.

``seed_more(store, archive_dir)`` runs after ``seeding.seed`` and adds:

- a Spanish item machine-translated by Apertium whose paragraphs keep
  untranslated words (residue flags) and whose source gave only a date;
- a post-edit of the French "visit" item (engine ``human``);
- an English original, and a long French report (forty paragraphs);
- the archived capture of the Spanish page, hostile markup included, in a
  WARC file under ``archive_dir``;
- documents that stopped: eight waiting for translation, skipped by robots.txt,
  a bot challenge and a private address, and one failed fetch.

Imported relatively, as ``seeding`` is.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from babelwire.compose import compose_item
from babelwire.fetch.archive import Archive
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

from . import seeding as SEEDING

SPANISH = Source(id="casa-rosada", name="Presidencia de la Nación", desk="Prensa",
                 region="Argentina", languages=("es",),
                 feeds=("https://casarosada.example/rss.xml",))
ENGLISH = Source(id="un-press", name="UN Meetings Coverage", desk="Press releases",
                 region="United Nations", languages=("en",),
                 feeds=("https://press.un.example/rss.xml",))
GUARDED = Source(id="guarded-ministry", name="Ministry of Transport", desk="News",
                 region="Chile", languages=("es",), feeds=("https://mtt.example/rss.xml",))
SOURCES = (SPANISH, ENGLISH, GUARDED)

ES_URL = "https://casarosada.example/noticias/obras"
ES_TITLE = "El Gobierno anuncia obras de repavimentación"
ES_BODY = (
    "El Gobierno anunció la repavimentación de 1.234 kilómetros de rutas.",
    "La desaceleración de la inflación permite nuevas obras.",
)
EN_HEADLINE = "The Government announces repavimentación works"
EN_BODY = (
    "The Government announced the repavimentación of 1.234 kilometres of roads.",
    "The desaceleración of inflation allows new works.",
)
RESIDUE_FLAGS = (("residue(repavimentación)", "ambiguous_number(1.234)"),
                 ("residue(desaceleración)",))
ES_PUBLISHED = datetime(2025, 12, 11, tzinfo=UTC)
EDITED_HEADLINE = "Minister visits Baghdad for talks"
ROBOTS_REASON = "fetch: disallowed by robots.txt: https://mtt.example/noticias/a"
CHALLENGE_REASON = "extract: bot challenge page instead of the article"
PRIVATE_REASON = "fetch: refusing private address 10.0.0.5"
FAILED_REASON = "fetch: HTTP 500 for https://mtt.example/noticias/d"
WAITING_COUNT = 8
ARCHIVED_HTML = (
    "<!doctype html><html lang='es'><head><title>Obras</title>"
    "<script>window.__pwned=1</script></head><body>"
    "<h1>El Gobierno anuncia obras de repavimentación</h1>"
    "<p onclick='window.__pwned=2'>El Gobierno anunció la repavimentación.</p>"
    "<p><a href='/noticias/otra'>Otra noticia</a> <a href='javascript:alert(1)'>x</a></p>"
    "<img src='x' onerror='window.__pwned=3'><iframe src='https://evil.example/'></iframe>"
    "</body></html>"
)
FETCHED_AT = datetime(2025, 12, 12, 9, 15, tzinfo=UTC)


ALL_SOURCES = (*SEEDING.SOURCES, *SOURCES)


def _archive(archive_dir: Path) -> tuple[str, int, str]:
    archive = Archive(archive_dir)
    try:
        return archive.write(
            url=ES_URL, status=200,
            headers=[("Content-Type", "text/html; charset=utf-8")],
            body=ARCHIVED_HTML.encode(), request_headers=[("User-Agent", "babelwire")],
            fetched_at=FETCHED_AT,
        )
    finally:
        archive.close()


def _spanish(store: Any, archive_dir: Path) -> Item:
    warc_file, offset, record_id = _archive(archive_dir)
    extracted = Extracted(title=ES_TITLE, language="es", published=ES_PUBLISHED,
                          published_has_time=False,
                          blocks=tuple(Block(BlockKind.PARAGRAPH, t) for t in ES_BODY))
    doc = Document(id=document_id(SPANISH.id, ES_URL), source_id=SPANISH.id, url=ES_URL,
                   stage=Stage.PUBLISHED, extracted=extracted, fetched_at=FETCHED_AT,
                   http_status=200, final_url=ES_URL, warc_file=warc_file,
                   warc_offset=offset, warc_record_id=record_id)

    def seg(source: str, text: str, flags: tuple[str, ...] = ()) -> SegmentTranslation:
        return SegmentTranslation(source, text, "apertium", "spa-eng", "3.9", flags)

    translation = Translation(
        document_id=doc.id, source_language="es", target_language="en",
        headline=seg(ES_TITLE, EN_HEADLINE, ("residue(repavimentación)",)), section=None,
        body=tuple(seg(s, t, f) for s, t, f in zip(ES_BODY, EN_BODY, RESIDUE_FLAGS, strict=True)),
        translated_at=FETCHED_AT + timedelta(minutes=5),
    )
    store.save_document(doc)
    store.save_translation(translation)
    item = compose_item(doc, SPANISH, translation, settings=SEEDING.COMPOSE,
                        now=FETCHED_AT + timedelta(minutes=6))
    store.save_item(item)
    return item


def _english(store: Any) -> Item:
    url = "https://press.un.example/2025/sc1234"
    extracted = Extracted(
        title="Security Council extends mission mandate", language="en",
        published=SEEDING.NOW - timedelta(hours=8), published_has_time=True,
        blocks=(Block(BlockKind.PARAGRAPH, "The Security Council today extended the mandate."),))
    doc = Document(id=document_id(ENGLISH.id, url), source_id=ENGLISH.id, url=url,
                   stage=Stage.PUBLISHED, extracted=extracted, fetched_at=SEEDING.NOW,
                   http_status=200, final_url=url)
    store.save_document(doc)
    item = compose_item(doc, ENGLISH, None, settings=SEEDING.COMPOSE,
                        now=SEEDING.NOW - timedelta(hours=7))
    store.save_item(item)
    return item


def _edited(store: Any, seeded: Any) -> Item:
    from babelwire.publish.edit import EditedText, apply_edit

    visit = seeded.item("visit")
    text = EditedText(headline=EDITED_HEADLINE, section="Diplomacy",
                      body=("The minister travelled to Baghdad.", "He met his counterpart."))
    return apply_edit(store, visit.document_id, text,
                      sources={s.id: s for s in ALL_SOURCES}, compose=SEEDING.COMPOSE,
                      now=SEEDING.NOW - timedelta(minutes=30))


def _stopped(store: Any) -> None:
    def doc(slug: str, stage: Stage, reason: str, source: Source = GUARDED,
            language: str = "es") -> Document:
        url = f"{source.feeds[0].rsplit('/', 1)[0]}/noticias/{slug}"
        extracted = (Extracted(title=f"Noticia {slug}", language=language,
                               blocks=(Block(BlockKind.PARAGRAPH, f"Texto {slug}."),))
                     if stage is Stage.EXTRACTED else None)
        return Document(id=document_id(source.id, url), source_id=source.id, url=url,
                        stage=stage, reason=reason, extracted=extracted,
                        fetched_at=SEEDING.NOW - timedelta(hours=1))

    for n in range(WAITING_COUNT):
        store.save_document(doc(f"espera-{n}", Stage.EXTRACTED,
                                "translate: no engine for es→en", SPANISH))
    store.save_document(doc("a", Stage.SKIPPED, ROBOTS_REASON))
    store.save_document(doc("b", Stage.SKIPPED, CHALLENGE_REASON))
    store.save_document(doc("c", Stage.SKIPPED, PRIVATE_REASON))
    store.save_document(doc("d", Stage.FAILED, FAILED_REASON))
    store.record_source_success(GUARDED.id, SEEDING.NOW - timedelta(minutes=15),
                                SEEDING.NOW + timedelta(minutes=15))


#: A long report: forty paragraphs, as many official texts are, to show where
#: the original starts on a phone whatever the length of the wire text.
LONG_PARAGRAPHS = 40


def _long(store: Any) -> Item:
    source = SEEDING.BY_ID["mfa-fr"]
    url = "https://diplomatie.example/fr/rapport"
    french = tuple(f"Paragraphe {n} du rapport annuel sur la coopération, qui décrit en détail "
                   f"les programmes menés avec les partenaires de la région." for n in
                   range(1, LONG_PARAGRAPHS + 1))
    english = tuple(f"Paragraph {n} of the annual report on cooperation, which describes in "
                    f"detail the programmes run with the partners of the region." for n in
                    range(1, LONG_PARAGRAPHS + 1))
    extracted = Extracted(title="Rapport annuel sur la coopération", language="fr",
                          published=SEEDING.NOW - timedelta(days=1), published_has_time=True,
                          blocks=tuple(Block(BlockKind.PARAGRAPH, t) for t in french))
    doc = Document(id=document_id(source.id, url), source_id=source.id, url=url,
                   stage=Stage.PUBLISHED, extracted=extracted, fetched_at=SEEDING.NOW,
                   http_status=200, final_url=url)

    def seg(source_text: str, text: str) -> SegmentTranslation:
        return SegmentTranslation(source_text, text, "argos", "opus-mt-fr-en", "1.0")

    translation = Translation(
        document_id=doc.id, source_language="fr", target_language="en",
        headline=seg(extracted.title or "", "Annual report on cooperation"), section=None,
        body=tuple(seg(f, e) for f, e in zip(french, english, strict=True)),
        translated_at=SEEDING.NOW - timedelta(hours=9))
    store.save_document(doc)
    store.save_translation(translation)
    item = compose_item(doc, source, translation, settings=SEEDING.COMPOSE,
                        now=SEEDING.NOW - timedelta(hours=9))
    store.save_item(item)
    return item


class More:
    """What ``seed_more`` added, by name."""

    def __init__(self, spanish: Item, english: Item, edited: Item, long: Item) -> None:
        self.spanish = spanish
        self.english = english
        self.edited = edited
        self.long = long


def seed_more(store: Any, seeded: Any, archive_dir: Path) -> More:
    store.upsert_sources(list(SOURCES))
    spanish = _spanish(store, archive_dir)
    english = _english(store)
    edited = _edited(store, seeded)
    long = _long(store)
    _stopped(store)
    return More(spanish, english, edited, long)


def with_time(item: Item, published: datetime) -> Item:
    return replace(item, published=published, published_has_time=True)
