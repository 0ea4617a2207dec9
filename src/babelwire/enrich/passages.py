"""The texts of one document that the enrich stage reads, in both languages."""

from __future__ import annotations

from dataclasses import dataclass, field

from babelwire.enrich.lexicon import Token, tokenize
from babelwire.enrich.records import Mention, Side
from babelwire.model import Document, Translation


@dataclass(frozen=True, slots=True)
class Passage:
    """The headline (block -1) or one body block, on one side."""

    side: Side
    block: int
    language: str
    text: str
    #: Cut once here: every finder of the stage reads the same tokens.
    tokens: list[Token] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tokens", tokenize(self.text))

    def mention(self, start: int, end: int) -> Mention:
        return Mention(self.side, self.block, start, end, self.text[start:end])


def passages(document: Document, translation: Translation | None) -> list[Passage]:
    """Headline and body of the original, then of the English translation.

    A document in English has one side only: its original is the English.
    """
    extracted = document.extracted
    if extracted is None:
        return []
    language = extracted.language or "und"
    found = []
    if extracted.title:
        found.append(Passage(Side.ORIGINAL, -1, language, extracted.title))
    found.extend(Passage(Side.ORIGINAL, i, language, block.text)
                 for i, block in enumerate(extracted.blocks))
    if translation is not None and language != "en":
        target = translation.target_language
        if translation.headline is not None:
            found.append(Passage(Side.ENGLISH, -1, target, translation.headline.text))
        found.extend(Passage(Side.ENGLISH, i, target, segment.text)
                     for i, segment in enumerate(translation.body))
    return [p for p in found if p.text.strip()]
