"""Compose a wire item from a document, its source and its English text.

An item is made only from English text that exists: a machine translation
whose segments are all there, the document's own text when it is already
English (kind "original"), or the source's official English version (the
caller passes a translation whose engine is ``"official"``; kind
"official"). A document in another language without a usable translation
raises ``Drop("compose: waiting for translation: …")``; untranslated text is
never published under a "Translation." line.

Re-composing is idempotent: with the previous item of the same document,
unchanged content keeps the previous version number and timestamps, and
changed content becomes version + 1 with ``version_created`` set to now.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, time

from babelwire.compose.labels import HUMAN_ENGINE, engine_ref
from babelwire.compose.settings import ComposeSettings
from babelwire.compose.slug import make_slug
from babelwire.errors import Drop
from babelwire.model import Document, Extracted, Item, Source, Translation

#: Engine name of a translation published by the source itself.
OFFICIAL_ENGINE = "official"
#: Engine name the translator records for text it passed through unchanged
#: (an English document, or a segment with no words such as "2025").
PASSTHROUGH_ENGINE = "none"
ENGLISH = "en"

#: Item fields that do not make a new version when they alone change: the
#: version bookkeeping itself, provenance of how the same text was produced,
#: and the disclaimer (an item keeps the wording it was published with).
_NOT_CONTENT = frozenset({
    "version", "first_created", "version_created", "engines", "flags",
    "disclaimer", "disclaimer_version", "publisher",
})


@dataclass(frozen=True, slots=True)
class EnglishText:
    """The English text an item is made from, and what kind of text it is."""

    kind: str
    headline: str
    section: str | None
    body: tuple[str, ...]
    original_language: str
    engines: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


def item_id(document_id: str) -> str:
    """An item's identity: fixed by its document, so re-composing is an upsert."""
    return hashlib.sha256(f"item\n{document_id}".encode()).hexdigest()[:20]


def fold(text: str | None) -> str:
    """One line with single spaces: a header field or a paragraph is one wire line."""
    return " ".join((text or "").split())


def primary_language(code: str | None) -> str:
    """"ru-RU", "RU", "ru_ru" → "ru"; "" when unknown."""
    return (code or "").strip().lower().replace("_", "-").split("-")[0]


def _waiting(doc: Document, why: str) -> Drop:
    return Drop(f"waiting for translation: {why} ({doc.url})", stage="compose")


def _check_fresh(doc: Document, extracted: Extracted, translation: Translation) -> None:
    """Refuse a translation of an older text of the document.

    ``body[i]`` translates ``blocks[i]`` (the translator's contract); when the
    page was re-extracted with different text since, publishing the old
    translation would put words under the source's name that it no longer says.
    """
    sources = tuple(seg.source_text for seg in translation.body)
    if sources != tuple(block.text for block in extracted.blocks):
        raise _waiting(doc, f"translation of {doc.id} is of an older text")


def _check_usable(doc: Document, translation: Translation) -> None:
    # One untranslated paragraph (a list of names, a quoted slogan) is kept and
    # flagged; a body where every paragraph came back untranslated is the
    # source text under a "Translation." line, which the wire must never print.
    if translation.body and all("untranslated" in seg.flags for seg in translation.body):
        raise _waiting(doc, f"every paragraph of {doc.id} came back untranslated")


def english_text(
    doc: Document, extracted: Extracted, translation: Translation | None
) -> EnglishText:
    """Choose the item's English text and its kind, or raise Drop (see the module doc)."""
    if translation is None:
        return _own_english(doc, extracted)
    if translation.document_id and translation.document_id != doc.id:
        raise ValueError(
            f"compose: translation of {translation.document_id} given for document {doc.id}"
        )
    return _translated(doc, extracted, translation)


def _own_english(doc: Document, extracted: Extracted) -> EnglishText:
    language = primary_language(extracted.language)
    if language != ENGLISH:
        raise _waiting(doc, f"{language or 'unknown-language'} text with no translation")
    body = _paragraphs(block.text for block in extracted.blocks)
    section = fold(extracted.section) or None
    return EnglishText("original", fold(original_headline(doc)), section, body, ENGLISH)


def _translated(doc: Document, extracted: Extracted, translation: Translation) -> EnglishText:
    language = primary_language(translation.source_language)
    engines = tuple(e for e in translation.engines if e != PASSTHROUGH_ENGINE)
    if engines == (OFFICIAL_ENGINE,):
        kind = "official"
    elif engines:
        kind = "translation"
        _check_fresh(doc, extracted, translation)
        _check_usable(doc, translation)
    elif language == ENGLISH:
        kind = "original"
        _check_fresh(doc, extracted, translation)
    else:
        raise _waiting(doc, f"no segment of the {language} text was translated")
    body = _paragraphs(seg.text for seg in translation.body)
    if kind == "translation":
        # Recorded with their models, so that every label can name both.
        engines = engine_refs(translation)
    if not body:
        raise _waiting(doc, f"translation of {doc.id} has no body text")
    headline = fold(translation.headline.text if translation.headline else None)
    if not headline and kind == "original":
        headline = fold(original_headline(doc))
    section = fold(translation.section.text if translation.section else None) or None
    return EnglishText(kind, headline, section, body, language, engines, translation.flags)


def engine_refs(translation: Translation) -> tuple[str, ...]:
    """Each engine that translated part of the text, as ``engine:model``.

    A person's edit is recorded as the bare engine name: its "model" is the
    editor's role, which the label says in its own words.
    """
    parts = (translation.headline, translation.section, *translation.body)
    return tuple(dict.fromkeys(
        engine_ref(seg.engine, "" if seg.engine == HUMAN_ENGINE else seg.model)
        for seg in parts if seg is not None and seg.engine != PASSTHROUGH_ENGINE
    ))


def _paragraphs(texts: Iterable[str]) -> tuple[str, ...]:
    """Body lines: whitespace folded, empty blocks (a stripped image) left out."""
    return tuple(folded for text in texts if (folded := fold(text)))


def original_headline(doc: Document) -> str | None:
    """The headline as the source wrote it: the page's title, else the feed's."""
    title = doc.extracted.title if doc.extracted else None
    return fold(title) or fold(doc.entry_title) or None


def publication_time(doc: Document, extracted: Extracted) -> tuple[datetime | None, bool]:
    """When the source published, and whether it gave a time of day."""
    if extracted.published is not None:
        return extracted.published, extracted.published_has_time
    published = doc.entry_published
    if published is None:
        return None, False
    # Feeds give full timestamps, but sitemaps often give a bare date that is
    # parsed as midnight UTC; such a midnight is read as "date only".
    date_only = published.timetz() == time(0, tzinfo=UTC) or published.utcoffset() is None
    return published, not date_only


def compose_item(
    doc: Document,
    source: Source,
    translation: Translation | None,
    *,
    settings: ComposeSettings,
    now: datetime,
    previous: Item | None = None,
) -> Item:
    """The wire item of ``doc``; raises Drop when there is no English text to publish."""
    if now.utcoffset() is None:
        raise ValueError("compose: `now` must carry a time zone")
    if source.id != doc.source_id:
        raise ValueError(f"compose: document {doc.id} is from {doc.source_id}, not {source.id}")
    extracted = doc.extracted
    if extracted is None:
        raise Drop(f"nothing extracted from {doc.url}", stage="compose")
    text = english_text(doc, extracted, translation)
    if not text.headline:
        raise (_waiting(doc, f"headline of {doc.id} is not translated") if original_headline(doc)
               else Drop(f"no headline for {doc.url}", stage="compose"))
    ident = item_id(doc.id)
    # A permalink must not break when the source edits its headline, so the
    # first version's slug is kept for every later version.
    slug = previous.slug if previous else make_slug(
        original_headline(doc), text.original_language, text.headline, ident)
    published, has_time = publication_time(doc, extracted)
    draft = Item(
        id=ident, document_id=doc.id, version=1, slug=slug, headline=text.headline,
        section=text.section, body=text.body, kind=text.kind, source_id=source.id,
        source_name=fold(source.name), desk=fold(source.desk), region=fold(source.region),
        original_language=text.original_language, original_headline=original_headline(doc),
        original_url=doc.final_url or doc.url, published=published, published_has_time=has_time,
        first_created=now, version_created=now, disclaimer=settings.disclaimer,
        disclaimer_version=settings.disclaimer_version, publisher=settings.publisher,
        engines=text.engines, flags=text.flags,
    )
    return next_version(draft, previous)


def _content(item: Item) -> tuple[object, ...]:
    return tuple(getattr(item, f.name) for f in fields(item) if f.name not in _NOT_CONTENT)


def next_version(draft: Item, previous: Item | None) -> Item:
    """``draft`` numbered against ``previous``: same content → same version."""
    if previous is None:
        return draft
    if previous.id != draft.id:
        raise ValueError(f"compose: previous item {previous.id} is not item {draft.id}")
    if _content(previous) == _content(draft):
        # The draft, not ``previous``: equal datetimes may differ in zone (the
        # store reads instants back in UTC), and the draft has the source's own.
        return replace(
            draft, version=previous.version, first_created=previous.first_created,
            version_created=previous.version_created, disclaimer=previous.disclaimer,
            disclaimer_version=previous.disclaimer_version, publisher=previous.publisher,
        )
    return replace(draft, version=previous.version + 1, first_created=previous.first_created)
