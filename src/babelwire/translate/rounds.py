"""Units through their engines, in rounds, with cache, checks and fallback.

Each round gives every unfinished unit to the next engine on its route. The
units that share an engine and a language pair are served together: their
masked pieces are deduplicated across documents, looked up in the cache, and
the misses go to the engine in batches. A unit whose pieces all pass the
quality checks is done; a unit with any flagged piece, or whose batch failed,
moves on to the next engine *as a whole*, so that each translated segment
comes from one engine and says which. After the last engine a unit keeps its
least bad attempt with that attempt's flags.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from babelwire.errors import EngineUnavailable, TranslateError
from babelwire.translate.cache import CacheKey, TranslationCache, cache_key
from babelwire.translate.dates import UNCLEAR_KINDS
from babelwire.translate.engine import Engine, SpanEngine, SpanText
from babelwire.translate.protect import Masked, mask, unmask
from babelwire.translate.quality import (
    SOURCE_FLAGS,
    Sample,
    badness,
    flag_name,
    run_checks,
    split_marks,
)
from babelwire.translate.segment import Piece, rejoin

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Prepared:
    piece: Piece
    masked: Masked

    @property
    def needs_engine(self) -> bool:
        """False for pieces with no words outside placeholders ("2025", "—")."""
        return any(ch.isalpha() for ch in self.masked.text)


def prepare(piece: Piece) -> Prepared:
    return Prepared(piece, mask(piece.text, piece.spans))


#: What one piece is sent as: masked text, or text with spans for a SpanEngine.
Request = str | SpanText


def _request(span_aware: bool, prepared: Prepared) -> Request:
    if span_aware:
        spans = tuple((s.start, s.end, s.kind) for s in prepared.piece.spans)
        return SpanText(prepared.piece.text, spans)
    return prepared.masked.text


def _request_key(request: Request) -> str:
    """The text a cache key is made from (what the engine saw)."""
    if isinstance(request, str):
        return request
    return request.text + "\x1f" + repr(request.spans)


@dataclass(frozen=True, slots=True)
class Attempt:
    engine: str
    model: str
    model_version: str
    text: str
    flags: tuple[str, ...]
    cached: bool


@dataclass
class Unit:
    """One segment on its way through the engines (mutable working state)."""

    pieces: Sequence[Prepared]
    source_lang: str
    route: Sequence[Engine]
    attempts: list[Attempt] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    next_engine: int = 0
    done: bool = False

    @property
    def needs_engine(self) -> bool:
        return any(p.needs_engine for p in self.pieces)

    def best(self) -> Attempt | None:
        """The first attempt with the fewest and mildest flags."""
        if not self.attempts:
            return None
        return min(self.attempts, key=lambda a: badness(a.flags))


def _batches(
    texts: Sequence[Request], max_batch_tokens: int, max_segments: int | None = None
) -> list[list[Request]]:
    """Consecutive batches whose rough token count stays under the cap.

    UTF-8 bytes / 3 over-estimates subword tokens for alphabets and is close
    for CJK; the engines do their own finer batching inside one call. An
    engine that is not bound by a token budget (Apertium streams one segment
    at a time) gives ``max_segments`` instead.
    """
    batches: list[list[Request]] = []
    current: list[Request] = []
    tokens = 0
    for text in texts:
        if max_segments is not None:
            cost, max_batch_tokens = 1, max_segments
        else:
            cost = len(_request_key(text).encode("utf-8")) // 3 + 1
        if current and tokens + cost > max_batch_tokens:
            batches.append(current)
            current, tokens = [], 0
        current.append(text)
        tokens += cost
    if current:
        batches.append(current)
    return batches


def _translate(engine: Engine, batch: Sequence[Request], source: str, target: str) -> list[str]:
    if isinstance(engine, SpanEngine):  # once per batch
        return engine.translate_spans([r for r in batch if isinstance(r, SpanText)],
                                      source, target)  # fmt: skip
    return engine.translate_batch([r for r in batch if isinstance(r, str)], source, target)


def _call_engine(
    engine: Engine, texts: Sequence[Request], source: str, target: str, max_batch_tokens: int
) -> tuple[dict[str, str], str | None]:
    """Outputs by request key for the batches that succeeded, and the first error."""
    outputs: dict[str, str] = {}
    error: str | None = None
    max_segments = getattr(engine, "max_segments_per_batch", None)
    for batch in _batches(texts, max_batch_tokens, max_segments):
        try:
            result = _translate(engine, batch, source, target)
            if len(result) != len(batch):
                raise TranslateError(
                    f"{engine.name} returned {len(result)} outputs for {len(batch)} inputs"
                )
        except TranslateError as exc:
            error = error or str(exc)
            log.warning("%s", exc)
            if isinstance(exc, EngineUnavailable):
                break
            continue
        outputs.update(zip(map(_request_key, batch), result, strict=True))
    return outputs, error


def _check_piece(
    prepared: Prepared, output: str, source_lang: str, engine_marks: bool
) -> tuple[str, tuple[str, ...]]:
    output, marked = split_marks(output)
    restored = unmask(output, prepared.masked.replacements)
    expected = unmask(prepared.masked.text, prepared.masked.replacements).text
    faults = len(restored.lost) + len(restored.duplicated) + len(restored.unknown)
    sample = Sample(
        source=prepared.piece.text,
        output=restored.text,
        source_lang=source_lang,
        expected=expected,
        placeholder_faults=faults,
        kept=prepared.masked.replacements,
        marked=marked,
        engine_marks=engine_marks,
        ambiguous=tuple(
            prepared.piece.text[s.start : s.end]
            for s in prepared.piece.spans
            if s.kind == "ambiguous_number"
        ),
        unclear_dates=tuple(
            (s.kind, prepared.piece.text[s.start : s.end])
            for s in prepared.piece.spans
            if s.kind in UNCLEAR_KINDS
        ),
    )
    return restored.text, run_checks(sample)


class Rounds:
    """Runs units through their routes; built per call by the translator."""

    def __init__(self, cache: TranslationCache, target_lang: str, max_batch_tokens: int) -> None:
        self.cache = cache
        self.target_lang = target_lang
        self.max_batch_tokens = max_batch_tokens

    def run(self, units: Sequence[Unit]) -> None:
        pending = [u for u in units if not u.done and u.next_engine < len(u.route)]
        while pending:
            groups: dict[tuple[int, str], list[Unit]] = defaultdict(list)
            engines: dict[int, Engine] = {}
            for unit in pending:
                engine = unit.route[unit.next_engine]
                engines[id(engine)] = engine
                groups[(id(engine), unit.source_lang)].append(unit)
            for (engine_id, source_lang), group in groups.items():
                self._serve(engines[engine_id], source_lang, group)
            for unit in pending:
                unit.next_engine += 1
            pending = [u for u in pending if not u.done and u.next_engine < len(u.route)]

    def _serve(self, engine: Engine, source_lang: str, group: Sequence[Unit]) -> None:
        try:
            model, version = engine.model_for(source_lang, self.target_lang)
        except TranslateError as exc:
            for unit in group:
                unit.errors.append(str(exc))
            return
        # A runtime protocol check is slow; it is made once per engine call.
        span_aware = isinstance(engine, SpanEngine)
        requests = {
            _request_key(r): r
            for r in (_request(span_aware, p) for u in group for p in u.pieces if p.needs_engine)
        }
        texts = list(requests)
        keys = {
            t: cache_key(engine.name, model, version, source_lang, self.target_lang, t)
            for t in texts
        }
        cached = self.cache.get_many(keys.values())
        from_cache = {t for t in texts if keys[t] in cached}
        outputs, error = _call_engine(
            engine, [requests[t] for t in texts if t not in from_cache], source_lang,
            self.target_lang, self.max_batch_tokens,
        )  # fmt: skip
        outputs.update((t, cached[keys[t]]) for t in from_cache)
        passed: dict[CacheKey, str] = {}
        for unit in group:
            needed = [_request_key(_request(span_aware, p)) for p in unit.pieces if p.needs_engine]
            if any(t not in outputs for t in needed):
                unit.errors.append(error or f"translate: {engine.name} gave no output")
                continue
            text, flags, clean = _assemble(unit, outputs, span_aware)
            all_cached = all(t in from_cache for t in needed)
            unit.attempts.append(Attempt(engine.name, model, version, text, flags, all_cached))
            unit.done = all(flag_name(f) in SOURCE_FLAGS for f in flags)
            passed.update((keys[t], outputs[t]) for t in clean if t not in from_cache)
        if passed:
            self.cache.put_many(passed)


def _assemble(
    unit: Unit, outputs: Mapping[str, str], span_aware: bool
) -> tuple[str, tuple[str, ...], list[str]]:
    """The unit's text from its pieces' outputs, its flags, and the pieces that passed."""
    texts: list[str] = []
    flags: dict[str, None] = {}
    clean: list[str] = []
    for prepared in unit.pieces:
        masked = _request_key(_request(span_aware, prepared))
        raw = outputs[masked] if prepared.needs_engine else prepared.masked.text
        text, piece_flags = _check_piece(prepared, raw, unit.source_lang, span_aware)
        texts.append(text)
        flags.update(dict.fromkeys(piece_flags))
        if prepared.needs_engine and all(flag_name(f) in SOURCE_FLAGS for f in piece_flags):
            clean.append(masked)
    return rejoin([p.piece for p in unit.pieces], texts), tuple(flags), clean
