"""Quotes: who said what, tied to the sentence of the original.

A quote is text between quotation marks of any of the wire's languages
(“…” "…" «…» „…“ 「…」 『…』) that is long enough to be speech rather than a
name or a term: at least :data:`MIN_QUOTE_WORDS` words, or
:data:`MIN_QUOTE_HAN` characters in Chinese. The speaker is the entity named
nearest to the quote in the same block, when an attribution verb ("said",
"заявил", "قال", "表示") stands in that stretch of text; without one the quote
has no speaker rather than a guessed one.

A quote found in the English translation is mapped to the original sentence
through the block it is in (translation block ``i`` is original block ``i``)
and its rank among that block's quotes; where the original block has fewer
quotes, through its relative position in the block.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from babelwire.enrich.lexicon import Lexicon, tokenize
from babelwire.enrich.passages import Passage
from babelwire.enrich.places import DATA_DIR
from babelwire.enrich.records import Entity, EntityKind, Quote, Side
from babelwire.errors import ConfigError
from babelwire.translate.sentences import split_sentences

MIN_QUOTE_WORDS = 6
MIN_QUOTE_HAN = 10
#: How far from a quote (in characters) the speaker and the verb are looked
#: for; attributions sit right before or after the quote they belong to.
ATTRIBUTION_WINDOW_CHARS = 160
_PAIRS = (("“", "”"), ("«", "»"), ("„", "“"), ('"', '"'), ("「", "」"), ("『", "』"))
_QUOTED = re.compile("|".join(
    f"{re.escape(o)}([^{re.escape(c)}{re.escape(o)}\n]+){re.escape(c)}" for o, c in _PAIRS))
_HAN = re.compile(r"[\u4e00-\u9fff]")


def load_attribution(data_dir: Path = DATA_DIR) -> Lexicon:
    path = data_dir / "attribution.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"enrich: cannot read {path}: {exc}") from None
    verbs = Lexicon(proper_names=False)
    verbs.add_all((w, w) for words in data.values() for w in words)
    return verbs


@dataclass(frozen=True, slots=True)
class _Span:
    passage: Passage
    start: int
    end: int
    text: str


def find_quotes(
    texts: Sequence[Passage], entities: Sequence[Entity], verbs: Lexicon, titles: Lexicon
) -> tuple[Quote, ...]:
    """Quotes of the body with speakers where attributed, one per original sentence.

    A quote found on both sides is one quote with its original and English
    words. Without a named entity near the attribution, a title there
    ("Президент", "the spokesperson") is the speaker, with no entity key: who
    holds the office is known to the reader of the source, not to the rules.
    """
    sentences = _original_sentences(texts)
    spans = [s for p in texts if p.block >= 0 for s in _spans(p)]
    found: dict[tuple[int, Side], _Found] = {}
    for span in spans:
        window = _window(span)
        attributed = bool(verbs.find(_outside(span, window)))
        entity = _speaker(span, window, entities) if attributed else None
        role = _role(span, window, titles) if attributed and entity is None else None
        index = _original_index(span, spans, sentences)
        found.setdefault((index, span.passage.side), _Found(span, entity, role))
    quotes = []
    for index in sorted({i for i, _ in found}):
        original = found.get((index, Side.ORIGINAL))
        english = found.get((index, Side.ENGLISH))
        # A named entity beats a title; the original's beats the translation's.
        speakers = [f for f in (original, english) if f is not None]
        named = next((f.entity for f in speakers if f.entity is not None), None)
        role = next((f.role for f in speakers if f.role), None)
        some = original or english
        assert some is not None
        quotes.append(Quote(
            text=original.span.text if original else sentences.text_of(index),
            english=english.span.text if english else None,
            original_sentence=index,
            block=some.span.passage.block,
            speaker=named.name if named else role,
            speaker_key=named.key if named else None,
            sentence=sentences.text_of(index).strip(),
        ))
    return tuple(quotes)


@dataclass(frozen=True, slots=True)
class _Found:
    span: _Span
    entity: Entity | None
    role: str | None


def _window(span: _Span) -> tuple[int, int]:
    return (max(0, span.start - ATTRIBUTION_WINDOW_CHARS),
            min(len(span.passage.text), span.end + ATTRIBUTION_WINDOW_CHARS))


def _outside(span: _Span, window: tuple[int, int]) -> str:
    text = span.passage.text
    return text[window[0] : span.start] + " " + text[span.end : window[1]]


def _role(span: _Span, window: tuple[int, int], titles: Lexicon) -> str | None:
    text = span.passage.text
    after = titles.find(text[span.end : window[1]])
    before = titles.find(text[window[0] : span.start])
    # The nearest title: the first after the quote, else the last before it.
    if after:
        return after[0].surface
    return before[-1].surface if before else None


def _spans(passage: Passage) -> list[_Span]:
    found = []
    for match in _QUOTED.finditer(passage.text):
        group = next(i for i in range(1, len(_PAIRS) + 1) if match.group(i) is not None)
        # A comma before the closing mark is English typesetting, not the speech.
        text = match.group(group).strip().rstrip(",;:").rstrip()
        long_enough = (len(_HAN.findall(text)) >= MIN_QUOTE_HAN
                       or len(tokenize(text)) >= MIN_QUOTE_WORDS)
        if long_enough:
            found.append(_Span(passage, match.start(), match.end(), text))
    return found


def _speaker(span: _Span, window: tuple[int, int], entities: Sequence[Entity]) -> Entity | None:
    low, high = window
    best: tuple[int, int, Entity] | None = None
    for entity in entities:
        for m in entity.mentions:
            if m.side != span.passage.side or m.block != span.passage.block:
                continue
            if span.start <= m.start < span.end or not (low <= m.start < high):
                continue
            distance = span.start - m.end if m.end <= span.start else m.start - span.end
            rank = 0 if entity.kind == EntityKind.PERSON else 1
            if best is None or (rank, distance) < best[:2]:
                best = (rank, distance, entity)
    return best[2] if best else None


@dataclass(frozen=True, slots=True)
class _Sentences:
    #: Per original body block: its first sentence's index, sentence starts, length.
    blocks: dict[int, tuple[int, list[int], int]]
    #: Every sentence's text, by index.
    texts: list[str]

    def text_of(self, index: int) -> str:
        return self.texts[index] if 0 <= index < len(self.texts) else ""


def _original_sentences(texts: Sequence[Passage]) -> _Sentences:
    blocks: dict[int, tuple[int, list[int], int]] = {}
    sentence_texts: list[str] = []
    for passage in texts:
        if passage.side != Side.ORIGINAL or passage.block < 0:
            continue
        bounds = split_sentences(passage.text, passage.language) or [(0, len(passage.text))]
        blocks[passage.block] = (len(sentence_texts), [s for s, _ in bounds], len(passage.text))
        sentence_texts.extend(passage.text[s:e] for s, e in bounds)
    return _Sentences(blocks, sentence_texts)


def _original_index(span: _Span, spans: list[_Span], sentences: _Sentences) -> int:
    block = span.passage.block
    if block not in sentences.blocks:
        return -1
    first, starts, original_length = sentences.blocks[block]
    offset = span.start
    if span.passage.side == Side.ENGLISH:
        english = [s for s in spans if s.passage is span.passage]
        original = [s for s in spans
                    if s.passage.side == Side.ORIGINAL and s.passage.block == block]
        rank = english.index(span)
        if rank < len(original):
            offset = original[rank].start
        else:
            offset = int(span.start / max(1, len(span.passage.text)) * original_length)
    return first + bisect.bisect_right(starts, offset) - 1
