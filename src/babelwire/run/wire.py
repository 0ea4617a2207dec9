"""The second half of a run: translate extracted documents, compose wire items.

Documents are translated in shared batches (the translator batches segments
across documents for its engines), then each translation is stored and its
item composed. A document that no engine can translate stays at
``extracted`` with the reason stored ("no engine for ru→en: run `babelwire
models install ru`") and is tried again on every run, so installing a model
is all it takes to publish what was waiting. Untranslated text is never
published as a translation: compose refuses it. Why documents wait is
logged once per reason at the end, not once per document.

A batch the translator raises on is tried again one document at a time, so
an exception stops only the document that caused it; that document, like one
compose or the store raises on, is stored as ``failed`` with the stage, the
exception's type and its first line, and the next run starts it over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from babelwire.compose import ComposeSettings
from babelwire.errors import Drop, TranslateError
from babelwire.model import Document, Source, Stage, Translation
from babelwire.run import stages
from babelwire.run.report import WireCounts
from babelwire.store import Store
from babelwire.translate.translator import Translator

log = logging.getLogger("babelwire.wire")

#: Documents translated per call: enough for the engines to fill their
#: batches, few enough that a crash loses little finished work.
DOCUMENTS_PER_BATCH = 16

#: What the translator gives per document: a translation, or why not.
Outcome = Translation | TranslateError


@dataclass
class WireStep:
    store: Store
    #: None where only ``compose`` runs (the workers' compose task).
    translator: Translator | None
    compose_settings: ComposeSettings
    sources: Sequence[Source]
    clock: Callable[[], datetime]
    #: Enriches and stores a document before its item is composed and never
    #: raises (``runner.enrich_and_store``); None publishes without it.
    enrich: Callable[[Document, Translation], object] | None = None

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
        for reason, n in sorted(counts.waiting_reasons.items()):
            log.info("%d document(s) waiting: %s", n, reason)
        return counts

    def _batch(self, docs: list[Document], by_id: dict[str, Source], counts: WireCounts) -> None:
        for doc, translation in self._translated(docs, by_id, counts):
            self.compose(doc, by_id[doc.source_id], translation, counts)

    def translate_batch(self, docs: list[Document], by_id: dict[str, Source],
                        counts: WireCounts) -> None:
        """Translate and store ``docs`` without composing (the workers compose apart)."""
        for _ in self._translated(docs, by_id, counts):
            pass

    def _translated(self, docs: list[Document], by_id: dict[str, Source],
                    counts: WireCounts) -> Iterator[tuple[Document, Translation]]:
        """Each document of ``docs`` that has a translation, stored, with it."""
        need = [d for d in docs if d.stage == Stage.EXTRACTED]
        fresh = self._translate(need, by_id, counts)
        for doc in docs:
            if doc.stage == Stage.EXTRACTED and doc.id not in fresh:
                continue  # the translator raised on it; already recorded
            try:
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
            except Exception as exc:  # one document's trouble stops that document only
                self._fail(doc, "store", exc, counts)
                continue
            yield doc, result

    def compose(self, doc: Document, source: Source, translation: Translation,
                counts: WireCounts) -> None:
        """Compose and store the item of a translated document, or record why not."""
        if self.enrich is not None:
            self.enrich(doc, translation)
        stage = "store"
        try:
            previous = self.store.item_for_document(doc.id)
            stage = "compose"
            try:
                item = stages.compose_document(
                    doc, source, translation, settings=self.compose_settings,
                    now=self.clock(), previous=previous)
            except Drop as exc:
                stage = "store"
                self._wait(doc, str(exc), counts)
                return
            stage = "store"
            self.store.save_item(item)
            self.store.save_document(replace(doc, stage=Stage.PUBLISHED, reason=None))
            counts.published += 1
        except Exception as exc:  # one document's trouble stops that document only
            self._fail(doc, stage, exc, counts)

    def _translate(self, docs: list[Document], by_id: dict[str, Source],
                   counts: WireCounts) -> dict[str, Outcome]:
        """Translate ``docs`` in one call; if that raises, one document at a time."""
        try:
            return self._translate_all(docs, by_id)
        except Exception as exc:
            if len(docs) == 1:
                self._fail(docs[0], "translate", exc, counts)
                return {}
            log.warning("translate: a batch of %d documents failed (%s); "
                        "translating them one at a time", len(docs), type(exc).__name__)
        outcomes: dict[str, Outcome] = {}
        for doc in docs:
            try:
                outcomes.update(self._translate_all([doc], by_id))
            except Exception as exc:
                self._fail(doc, "translate", exc, counts)
        return outcomes

    def _translate_all(self, docs: list[Document],
                       by_id: dict[str, Source]) -> dict[str, Outcome]:
        assert self.translator is not None, "wire: translating needs a translator"
        requests = [stages.translation_request(d, by_id[d.source_id]) for d in docs]
        results = self.translator.translate_documents(requests)
        return dict(zip((d.id for d in docs), results, strict=True))

    def _wait(self, doc: Document, reason: str, counts: WireCounts) -> None:
        log.debug("%s", reason, extra={"document": doc.id})
        self.store.save_document(replace(doc, stage=Stage.EXTRACTED, reason=reason))
        counts.waiting += 1
        counts.waiting_reasons[reason] += 1

    def _fail(self, doc: Document, stage: str, exc: BaseException, counts: WireCounts) -> None:
        failed = stages.stopped(doc, exc, stage=stage)
        log.error("%s", failed.reason, extra={"document": doc.id})
        counts.failed += 1
        try:
            self.store.save_document(failed)
        except Exception:  # the store is what failed; the log keeps the reason
            log.exception("store: cannot record the failure of %s", doc.id)
