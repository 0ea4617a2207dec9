"""The second half of a run: translate extracted documents, compose wire items.

Documents are translated in shared batches (the translator batches segments
across documents for its engines), then each translation is stored and its
item composed. A document that no engine can translate stays at
``extracted`` with the reason stored ("no engine for ru→en: run `babelwire
models install ru`") and is tried again on every run, so installing a model
is all it takes to publish what was waiting. Untranslated text is never
published as a translation: compose refuses it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from babelwire.compose import ComposeSettings, compose_item
from babelwire.errors import Drop, TranslateError
from babelwire.model import Document, Source, Stage, Translation
from babelwire.store import Store
from babelwire.translate.translator import DocumentRequest, Translator

log = logging.getLogger("babelwire.wire")

#: Documents translated per call: enough for the engines to fill their
#: batches, few enough that a crash loses little finished work.
DOCUMENTS_PER_BATCH = 16


@dataclass
class WireCounts:
    translated: int = 0
    published: int = 0
    waiting: int = 0
    duplicates: int = 0


@dataclass
class WireStep:
    store: Store
    translator: Translator
    compose_settings: ComposeSettings
    sources: Sequence[Source]
    clock: Callable[[], datetime]

    def run(self, *, source_ids: Sequence[str] | None = None) -> WireCounts:
        counts = WireCounts()
        by_id = {s.id: s for s in self.sources}
        wanted = set(source_ids) if source_ids else set(by_id)
        ready = [
            doc
            for stage in (Stage.EXTRACTED, Stage.TRANSLATED)
            for doc in self.store.documents(stage=stage)
            if doc.source_id in wanted and doc.extracted is not None
        ]
        todo = []
        for doc in ready:
            if doc.duplicate_of:
                counts.duplicates += 1  # the original carries the story
            else:
                todo.append(doc)
        for start in range(0, len(todo), DOCUMENTS_PER_BATCH):
            self._batch(todo[start : start + DOCUMENTS_PER_BATCH], by_id, counts)
        return counts

    def _batch(self, docs: list[Document], by_id: dict[str, Source], counts: WireCounts) -> None:
        need = [d for d in docs if d.stage == Stage.EXTRACTED]
        results = self.translator.translate_documents([_request(d, by_id[d.source_id])
                                                       for d in need])
        fresh = dict(zip((d.id for d in need), results, strict=True))
        for doc in docs:
            result = fresh.get(doc.id) or self.store.translation(doc.id)
            if result is None:
                continue
            if isinstance(result, TranslateError):
                self._wait(doc, str(result), counts)
                continue
            if doc.id in fresh:
                self.store.save_translation(result)
                doc = replace(doc, stage=Stage.TRANSLATED, reason=None)
                self.store.save_document(doc)
                counts.translated += 1
            self._publish(doc, by_id[doc.source_id], result, counts)

    def _publish(self, doc: Document, source: Source, translation: Translation,
                 counts: WireCounts) -> None:
        try:
            item = compose_item(doc, source, translation, settings=self.compose_settings,
                                now=self.clock(),
                                previous=self.store.item_for_document(doc.id))
        except Drop as exc:
            self._wait(doc, str(exc), counts)
            return
        self.store.save_item(item)
        self.store.save_document(replace(doc, stage=Stage.PUBLISHED, reason=None))
        counts.published += 1

    def _wait(self, doc: Document, reason: str, counts: WireCounts) -> None:
        log.info("%s", reason, extra={"document": doc.id})
        self.store.save_document(replace(doc, stage=Stage.EXTRACTED, reason=reason))
        counts.waiting += 1


def _request(doc: Document, source: Source) -> DocumentRequest:
    assert doc.extracted is not None
    ex = doc.extracted
    return DocumentRequest(
        document_id=doc.id,
        blocks=ex.blocks,
        headline=ex.title or doc.entry_title,
        section=ex.section,
        source_lang=ex.language or (source.languages[0] if source.languages else "und"),
        glossary=source.glossary,
    )
