"""Re-publication after an edit: a person corrects a translation and the item
gets a new version.

One function serves ``babelwire edit``, ``PUT /api/v1/documents/{id}/translation``
and the demo's shipped edits (the request bodies are read in
``publish/edit.py``). The edit is stored as an ordinary
:class:`~babelwire.model.Translation` whose every segment has engine ``human``
(model ``editor``, version = the edit's timestamp), then the item is
re-composed against the previous one, so compose numbers it (same text: same
version; changed text: version + 1) and the store keeps the earlier versions.

The edit must give one paragraph per paragraph of the original, in order
(``""`` leaves one out): compose publishes a translation only when it matches
the document's current text block by block, which is what keeps a translation
of an older text off the wire. A different count is refused with a message
saying how many are expected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from babelwire.compose import ComposeSettings
from babelwire.compose.item import original_headline, primary_language
from babelwire.errors import BabelwireError, Drop
from babelwire.model import Document, Item, SegmentTranslation, Source, Stage, Translation
from babelwire.run import stages

HUMAN_ENGINE = "human"
HUMAN_MODEL = "editor"


class EditError(BabelwireError):
    """An edit that cannot be applied; the message says what to change."""

    def __init__(self, message: str, *, not_found: bool = False) -> None:
        self.not_found = not_found
        super().__init__(message if message.startswith("edit: ") else f"edit: {message}")


@dataclass(frozen=True, slots=True)
class EditedText:
    headline: str
    section: str | None
    body: tuple[str, ...]


class EditStore(Protocol):
    """The store methods an edit reads and writes (``babelwire.store.Store``)."""

    def document(self, doc_id: str) -> Document | None: ...
    def translation(self, doc_id: str) -> Translation | None: ...
    def item_for_document(self, doc_id: str) -> Item | None: ...
    def save_translation(self, translation: Translation) -> None: ...
    def save_item(self, item: Item) -> None: ...
    def save_document(self, doc: Document) -> None: ...


def human_translation(
    doc: Document, text: EditedText, now: datetime, previous: Translation | None
) -> Translation:
    """The edit as a translation of ``doc``'s current text."""
    extracted = doc.extracted
    if extracted is None:
        raise EditError(f"document {doc.id} has no extracted text to translate")
    if primary_language(extracted.language) == "en":
        # An English original is published as written; an "edit" of it would
        # go out under a "Translation." line that is not true.
        raise EditError(f"document {doc.id} is in English: there is no translation to edit")
    blocks = extracted.blocks
    if len(text.body) != len(blocks):
        raise EditError(
            f"document {doc.id} has {len(blocks)} paragraphs and the edit gives "
            f"{len(text.body)}: give one per paragraph, in order (\"\" leaves one out)"
        )
    version = now.isoformat()

    def segment(source_text: str, english: str) -> SegmentTranslation:
        return SegmentTranslation(source_text, english, HUMAN_ENGINE, HUMAN_MODEL, version)

    section_source = extracted.section or (previous.section.source_text
                                           if previous and previous.section else "")
    return Translation(
        document_id=doc.id,
        source_language=(previous.source_language if previous else None)
        or primary_language(extracted.language) or "und",
        target_language="en",
        headline=segment(original_headline(doc) or "", text.headline),
        section=segment(section_source, text.section) if text.section else None,
        body=tuple(segment(b.text, english) for b, english in zip(blocks, text.body, strict=True)),
        translated_at=now,
    )


def _source_for(doc: Document, sources: Mapping[str, Source], previous: Item | None) -> Source:
    if doc.source_id in sources:
        return sources[doc.source_id]
    if previous is not None:
        # Compose reads only the printed fields; the last item has them as published.
        return Source(id=previous.source_id, name=previous.source_name, desk=previous.desk,
                      region=previous.region, languages=(previous.original_language,))
    raise EditError(f"source {doc.source_id!r} of document {doc.id} is not in the catalog")


def apply_edit(
    store: EditStore,
    doc_id: str,
    text: EditedText,
    *,
    sources: Mapping[str, Source],
    compose: ComposeSettings,
    now: datetime,
) -> Item:
    """Save the edit as the document's translation and publish the re-composed item."""
    doc = store.document(doc_id)
    if doc is None:
        raise EditError(f"no document {doc_id!r}", not_found=True)
    previous_item = store.item_for_document(doc_id)
    translation = human_translation(doc, text, now, store.translation(doc_id))
    source = _source_for(doc, sources, previous_item)
    # Compose before saving anything: an edit compose refuses leaves no trace.
    try:
        item = stages.compose_document(doc, source, translation, settings=compose, now=now,
                                       previous=previous_item)
    except Drop as exc:
        raise EditError(f"the edited item cannot be published: {exc}") from None
    store.save_translation(translation)
    store.save_item(item)
    # Published now: the runner must not send it back to the engines.
    store.save_document(replace(doc, stage=Stage.PUBLISHED, reason=None))
    return item
