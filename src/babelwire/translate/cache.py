"""Translations already made, so that a sentence is translated once per model.

The key names everything the output depends on: the engine, the model and its
version (a new model version must not be served old output), the pair, and a
hash of the *masked* sentence. Masked text is what the engine saw, so "[0]
people died" is translated once for every number of people. Only outputs that
passed every quality check are stored: a flagged output may pass on the next
try (an LLM is not deterministic) and must not be frozen by the cache.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CacheKey:
    engine: str
    model: str
    model_version: str
    source_lang: str
    target_lang: str
    #: sha256 hex digest of the masked sentence, UTF-8.
    text_sha256: str


def cache_key(
    engine: str, model: str, model_version: str, source_lang: str, target_lang: str, text: str
) -> CacheKey:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return CacheKey(engine, model, model_version, source_lang, target_lang, digest)


class TranslationCache(Protocol):
    """Where translated sentences are kept; the store provides a table-backed one."""

    def get_many(self, keys: Iterable[CacheKey]) -> dict[CacheKey, str]:
        """The cached outputs for those keys that have one."""
        ...

    def put_many(self, items: Mapping[CacheKey, str]) -> None:
        """Store outputs; an existing key is overwritten."""
        ...


class MemoryCache:
    """A bounded in-process cache; the oldest entries go first when it is full."""

    def __init__(self, max_entries: int = 100_000) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[CacheKey, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get_many(self, keys: Iterable[CacheKey]) -> dict[CacheKey, str]:
        found: dict[CacheKey, str] = {}
        for key in keys:
            if key in self._items:
                self._items.move_to_end(key)
                found[key] = self._items[key]
        return found

    def put_many(self, items: Mapping[CacheKey, str]) -> None:
        for key, text in items.items():
            self._items[key] = text
            self._items.move_to_end(key)
        while len(self._items) > self.max_entries:
            self._items.popitem(last=False)


class NoCache:
    """A cache that keeps nothing, for one-off runs."""

    def get_many(self, keys: Iterable[CacheKey]) -> dict[CacheKey, str]:
        return {}

    def put_many(self, items: Mapping[CacheKey, str]) -> None:
        return None
