"""The translation stage: documents in, English segments with provenance out.

Built once at start-up with its settings, engines, cache and glossary loader,
then called for one document or for many at once (the batched path, which is
what keeps a GPU busy). English sources pass through untouched with engine
"none". A pair that no engine serves raises :class:`NoEngine`; a segment
that every engine failed to produce raises :class:`TranslateError` for its
document only. Untranslated text is never returned as a translation: an
output equal to its source carries the ``untranslated`` flag.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from babelwire.errors import CatalogError, NoEngine, TranslateError
from babelwire.model import Block, BlockKind, SegmentTranslation, Translation, utc_now
from babelwire.translate.cache import MemoryCache, TranslationCache
from babelwire.translate.engine import Engine
from babelwire.translate.glossary import Glossary, official_names
from babelwire.translate.names import person_spans, place_spans
from babelwire.translate.protect import Span, find_spans, unmask
from babelwire.translate.registry import build_engines, route
from babelwire.translate.rounds import Rounds, Unit, prepare
from babelwire.translate.segment import block_pieces, rejoin
from babelwire.translate.settings import TranslateSettings

#: The engine name recorded when nothing was translated (English source, or a
#: segment with no words such as "2025").
PASSTHROUGH = "none"

GlossaryRef = Glossary | str | None


@dataclass(frozen=True, slots=True)
class DocumentRequest:
    """One document to translate, for :meth:`Translator.translate_documents`."""

    document_id: str
    blocks: tuple[Block, ...]
    headline: str | None
    section: str | None
    source_lang: str
    #: A glossary, or the name a source gives for one (resolved by the loader).
    glossary: GlossaryRef = None
    #: The source's own engine order, replacing the configured one.
    engines: tuple[str, ...] | None = None


def normalize_lang(code: str) -> str:
    """"ru-RU", "RU", "ru_ru" → "ru": routing and models work on the primary subtag."""
    return code.strip().lower().replace("_", "-").split("-")[0]


def _passthrough(text: str) -> SegmentTranslation:
    return SegmentTranslation(source_text=text, text=text, engine=PASSTHROUGH, model="",
                              model_version="")


class Translator:
    def __init__(
        self,
        settings: TranslateSettings,
        engines: Mapping[str, Engine],
        *,
        cache: TranslationCache | None = None,
        glossaries: Callable[[str], Glossary] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.settings = settings
        self.engines = dict(engines)
        self.cache: TranslationCache = cache if cache is not None else MemoryCache()
        self.glossaries = glossaries
        self.clock = clock or utc_now

    @classmethod
    def from_settings(
        cls,
        settings: TranslateSettings,
        *,
        cache: TranslationCache | None = None,
        glossaries: Callable[[str], Glossary] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> Translator:
        """Build every configured engine that can run here (see the registry)."""
        built = build_engines(settings)
        return cls(settings, built.engines, cache=cache, glossaries=glossaries, clock=clock)

    @property
    def target_lang(self) -> str:
        return self.settings.target_language

    def route_for(self, source_lang: str, engines: Sequence[str] | None = None) -> list[Engine]:
        """The engines to try for ``source_lang``, first to last."""
        order = engines or self.settings.engines_for(source_lang, self.target_lang)
        return route(self.engines, order, source_lang, self.target_lang)

    def _glossary(self, ref: GlossaryRef) -> Glossary | None:
        if ref is None or isinstance(ref, Glossary):
            return ref
        if self.glossaries is None:
            raise TranslateError(f"glossary {ref!r} named but no glossary loader configured")
        try:
            return self.glossaries(ref)
        except CatalogError as exc:
            # A broken glossary stops the documents that use it, not the batch.
            raise TranslateError(f"glossary {ref!r}: {exc}") from exc

    def _finder(self, glossary: Glossary | None, lang: str) -> Callable[[str], list[Span]]:
        """Spans of a sentence: names first, then glossary terms, then the rules.

        A person's name beats a glossary term inside it ("Rafael España" is
        not "Rafael Spain"), a glossary term beats a place name inside it;
        the source's glossary comes before the official names of countries
        and bodies for the language.
        """
        glossaries = [g for g in (glossary, official_names(lang)) if g is not None]

        def find(text: str) -> list[Span]:
            terms = (s for g in glossaries for s in g.spans(text, lang))
            extra = [*person_spans(text, lang), *terms, *place_spans(text, lang)]
            return find_spans(text, extra, lang)

        return find

    def _units(
        self, blocks: Sequence[Block], lang: str, glossary: Glossary | None, path: list[Engine]
    ) -> list[Unit]:
        find = self._finder(glossary, lang)
        limit = self.settings.max_sentence_chars
        units = []
        for block in blocks:
            unit = Unit([prepare(p) for p in block_pieces(block, lang, limit, find)], lang, path)
            unit.done = not unit.needs_engine
            units.append(unit)
        return units

    def _run(self, units: Sequence[Unit]) -> None:
        Rounds(self.cache, self.target_lang, self.settings.max_batch_tokens).run(units)

    def translate_segments(
        self,
        texts: Sequence[str],
        source_lang: str,
        *,
        glossary: GlossaryRef = None,
        engines: Sequence[str] | None = None,
    ) -> list[SegmentTranslation]:
        """Translate paragraphs (one segment each); raises if any cannot be produced."""
        blocks = tuple(Block(BlockKind.PARAGRAPH, text) for text in texts)
        request = DocumentRequest("", blocks, None, None, source_lang, glossary,
                                  tuple(engines) if engines else None)
        result = self.translate_documents([request])[0]
        if isinstance(result, TranslateError):
            raise result
        return list(result.body)

    def translate_document(
        self,
        doc_id: str,
        blocks: Sequence[Block],
        headline: str | None,
        section: str | None,
        source_lang: str,
        *,
        glossary: GlossaryRef = None,
        engines: Sequence[str] | None = None,
    ) -> Translation:
        """Translate one document; ``body[i]`` is the translation of ``blocks[i]``."""
        request = DocumentRequest(doc_id, tuple(blocks), headline, section, source_lang,
                                  glossary, tuple(engines) if engines else None)
        result = self.translate_documents([request])[0]
        if isinstance(result, TranslateError):
            raise result
        return result

    def translate_documents(
        self, requests: Sequence[DocumentRequest]
    ) -> list[Translation | TranslateError]:
        """Translate many documents in shared batches; errors are returned per document."""
        results: list[Translation | TranslateError | None] = [None] * len(requests)
        work: list[tuple[int, DocumentRequest, list[Unit]]] = []
        for index, request in enumerate(requests):
            try:
                planned = self._plan(request)
            except TranslateError as exc:
                results[index] = exc
                continue
            if planned is None:
                results[index] = self._english(request)
            else:
                work.append((index, request, planned))
        self._run([unit for _, _, units in work for unit in units])
        for index, request, units in work:
            try:
                results[index] = self._assemble(request, units)
            except TranslateError as exc:
                results[index] = exc
        done = [r for r in results if r is not None]
        assert len(done) == len(requests), "every request has a result"
        return done

    def _plan(self, request: DocumentRequest) -> list[Unit] | None:
        """Units for headline, section and every block; None for an English document."""
        lang = normalize_lang(request.source_lang)
        if lang == self.target_lang:
            return None
        path = self.route_for(lang, request.engines)
        if not path:
            raise NoEngine(lang, self.target_lang)
        glossary = self._glossary(request.glossary)
        head = [
            Block(BlockKind.HEADING, text or "")
            for text in (request.headline, request.section)
        ]
        return self._units([*head, *request.blocks], lang, glossary, path)

    def _english(self, request: DocumentRequest) -> Translation:
        return Translation(
            document_id=request.document_id,
            source_language=normalize_lang(request.source_lang),
            target_language=self.target_lang,
            headline=_passthrough(request.headline) if request.headline is not None else None,
            section=_passthrough(request.section) if request.section is not None else None,
            body=tuple(_passthrough(block.text) for block in request.blocks),
            translated_at=self.clock(),
        )

    def _segment(self, source_text: str, unit: Unit, lang: str) -> SegmentTranslation:
        if not unit.needs_engine:
            # Nothing to translate ("2025", "12月12日", an empty cell): the
            # protected spans are put back in their English form, no engine.
            copied = [unmask(p.masked.text, p.masked.replacements).text for p in unit.pieces]
            return SegmentTranslation(source_text, rejoin([p.piece for p in unit.pieces], copied),
                                      PASSTHROUGH, "", "")
        best = unit.best()
        if best is None:
            errors = (e.removeprefix("translate: ") for e in unit.errors)
            reasons = "; ".join(dict.fromkeys(errors)) or "no engine output"
            raise TranslateError(f"every engine failed for {lang}→{self.target_lang}: {reasons}")
        return SegmentTranslation(source_text, best.text, best.engine, best.model,
                                  best.model_version, best.flags, best.cached)

    def _assemble(self, request: DocumentRequest, units: Sequence[Unit]) -> Translation:
        lang = normalize_lang(request.source_lang)
        headline_unit, section_unit, *body_units = units
        body = tuple(
            self._segment(block.text, unit, lang)
            for block, unit in zip(request.blocks, body_units, strict=True)
        )
        return Translation(
            document_id=request.document_id,
            source_language=lang,
            target_language=self.target_lang,
            headline=None if request.headline is None
            else self._segment(request.headline, headline_unit, lang),
            section=None if request.section is None
            else self._segment(request.section, section_unit, lang),
            body=body,
            translated_at=self.clock(),
        )
