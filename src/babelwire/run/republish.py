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

The item's enrichment is made again from the edited English text (places,
people, topics and quotes read in the translation change with it) and kept
under the same input key the runners use, so they do not redo it; the item
stays in its story, whose member row takes the new keys and places. Like
everywhere else, a failed enrichment is recorded and does not stop the edit.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from babelwire.compose import ComposeSettings
from babelwire.compose.item import original_headline, primary_language
from babelwire.enrich import Enrichment, EnrichTables
from babelwire.errors import BabelwireError, Drop
from babelwire.model import Document, Item, SegmentTranslation, Source, Stage, Translation
from babelwire.run import stages
from babelwire.run.resources import enrich_tables
from babelwire.run.stories import refresh_member
from babelwire.store.stories import StoryStore

log = logging.getLogger("babelwire.edit")

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
    def save_enrichment(self, found: Enrichment, *, input_key: str) -> None: ...
    def record_enrichment_failure(self, doc_id: str, reason: str, *,
                                  input_key: str) -> None: ...

    @property
    def stories(self) -> StoryStore: ...


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
    tables: EnrichTables | None = None,
) -> Item:
    """Save the edit as the document's translation, publish the re-composed
    item and enrich it again from the edited text (``tables``: the enrich
    stage's, read once per process when not given)."""
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
    found = _enrich_again(store, doc, translation, tables or enrich_tables())
    if found is not None:
        refresh_member(store.stories, item, found)
    return item


def _enrich_again(store: EditStore, doc: Document, translation: Translation,
                  tables: EnrichTables) -> Enrichment | None:
    """The document's enrichment from the edited translation, stored; None
    when the stage failed (recorded, and the earlier findings kept)."""
    key = stages.enrichment_key(doc, translation)
    try:
        found = stages.enrich_document(doc, translation, tables)
        store.save_enrichment(found, input_key=key)
    except Exception as exc:  # the edit is published: its enrichment is optional data
        reason = stages.failure_reason("enrich", exc)
        log.warning("%s", reason, extra={"document": doc.id})
        store.record_enrichment_failure(doc.id, reason, input_key=key)
        return None
    return found
