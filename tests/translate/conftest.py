"""Test doubles at the engine interface, for routing, fallback, cache and flags.

Real engines are tested in ``tests/translate/engines``; here an engine is a
small object whose behaviour a test scripts: a word list, an identity
function, an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import pytest

from babelwire.errors import TranslateError

#: A few Russian words and their English, enough to make sentences that pass
#: every quality check when translated word by word.
RU_EN = {
    "банк": "the bank", "провёл": "held", "аукцион": "an auction", "на": "for",
    "рублей": "roubles", "ставка": "the rate", "составила": "was", "мир": "peace",
    "и": "and", "безопасность": "security", "миссия": "the mission", "завершит": "will end",
    "работу": "its work", "в": "in", "году": "year", "глава": "the head", "заявил": "said",
    "совет": "the council", "принял": "adopted", "резолюцию": "resolution", "итоги": "results",
}
_WORD = re.compile(r"[^\W\d_]+")


def word_by_word(words: dict[str, str]) -> Callable[[str], str]:
    def translate(text: str) -> str:
        return _WORD.sub(lambda m: words.get(m.group(0).lower(), m.group(0)), text)

    return translate


class ScriptedEngine:
    """Implements the Engine protocol; records every batch it is given."""

    def __init__(
        self,
        name: str,
        translate: Callable[[str], str] | None = None,
        *,
        pairs: Iterable[tuple[str, str]] = (("ru", "en"),),
        model: tuple[str, str] = ("test-model", "1"),
        error: TranslateError | None = None,
    ) -> None:
        self.name = name
        self._translate = translate or word_by_word(RU_EN)
        self._pairs = frozenset(pairs)
        self._model = model
        self.error = error
        self.calls: list[list[str]] = []

    def pairs(self) -> frozenset[tuple[str, str]]:
        return self._pairs

    def model_for(self, source: str, target: str) -> tuple[str, str]:
        return self._model

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        self.calls.append(list(texts))
        if self.error is not None:
            raise self.error
        return [self._translate(text) for text in texts]

    @property
    def sentences_seen(self) -> list[str]:
        return [text for call in self.calls for text in call]


@pytest.fixture
def scripted() -> type[ScriptedEngine]:
    return ScriptedEngine


@pytest.fixture
def ru_en() -> Callable[[str], str]:
    return word_by_word(RU_EN)
