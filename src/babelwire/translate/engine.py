"""The one interface every translation engine implements.

An engine turns a batch of sentences in one language into another. It knows
nothing of documents, caching, masking or quality: the translator does all of
that around it. Engines are registered by name in
:mod:`babelwire.translate.registry`.

Text reaches an engine *masked*: numbers, dates, identifiers, URLs and glossary
names have been replaced by placeholders ``[0]``, ``[1]``... that the engine
must copy through unchanged. The scheme was chosen by running the Spanish
pages of the test corpus through Apertium 3.8 (``apertium -u -f txt spa-eng``)
with each candidate: ``[0]`` came back intact in every piece, while ``{0}``,
``⟦0⟧`` and ``__0__`` were torn apart by Apertium's date and age rules in 8%
of the pieces with a placeholder ("de {1}" → "1 {}", "Tiene {0} años" → "It
{is 0} years old"), and letter codes (``X0X``) were re-cased. Neural models
copy ``[1]``-style markers because their training text (Wikipedia above all)
is full of citation marks, and an LLM can be told to keep them. Brackets
outside ASCII risk becoming ``<unk>`` in a SentencePiece vocabulary.

An engine that can see the protected text itself and still keep it apart
implements :class:`SpanEngine` as well: Apertium does, with word-bound
blanks, because a placeholder changes how it reads the words around it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

#: A masking token as the translator writes it. Engines that tokenise or
#: post-edit text may use it to keep these tokens whole.
PLACEHOLDER_PATTERN = re.compile(r"\[(\d{1,4})\]")


#: Put before a word an engine reports as untranslated (Apertium's unknown
#: words). A private-use character, so no engine or source writes it by chance.
UNKNOWN_MARK = "\ue000"


def placeholder(index: int) -> str:
    """The token for the ``index``-th protected span of a sentence."""
    return f"[{index}]"


@dataclass(frozen=True, slots=True)
class SpanText:
    """A sentence as written, with its protected spans as (start, end, kind)."""

    text: str
    spans: tuple[tuple[int, int, str], ...]


@runtime_checkable
class Engine(Protocol):
    """A translation engine. Language codes are ISO 639-1 (``"ru"``, ``"en"``)."""

    #: "apertium", "ctranslate2", "openai", "libretranslate"...
    name: str

    def pairs(self) -> frozenset[tuple[str, str]]:
        """The (source, target) pairs this engine can serve now (models installed)."""
        ...

    def model_for(self, source: str, target: str) -> tuple[str, str]:
        """(model name, model version) used for that pair; recorded with every segment."""
        ...

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate ``texts``; same length and order. Raises ``TranslateError``."""
        ...


@runtime_checkable
class SpanEngine(Engine, Protocol):
    """An engine that takes protected spans in place, not as placeholders."""

    def translate_spans(self, texts: Sequence[SpanText], source: str, target: str) -> list[str]:
        """Outputs with ``[i]`` where span ``i`` belongs; untranslated words
        may carry :data:`UNKNOWN_MARK`. Same length and order as ``texts``."""
        ...
