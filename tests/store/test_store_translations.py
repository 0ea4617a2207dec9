"""Translations and the translation cache, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from babelwire.errors import StoreError
from babelwire.model import Document, SegmentTranslation, Translation
from babelwire.store import Store
from babelwire.store.translations import StoreTranslationCache
from babelwire.translate.cache import CacheKey, TranslationCache, cache_key

MakeDoc = Callable[..., Document]
AT = datetime(2025, 12, 12, 10, 0, tzinfo=UTC)


def segment(text: str, **changes: object) -> SegmentTranslation:
    made = SegmentTranslation(
        source_text=f"ru: {text}", text=text, engine="argos", model="opus-mt-ru-en",
        model_version="1.9", flags=(), cached=False,
    )
    return dataclasses.replace(made, **changes)


def test_translation_round_trips(seeded: Store, make_document: MakeDoc) -> None:
    doc = make_document("1")
    seeded.save_document(doc)
    assert seeded.translation(doc.id) is None
    machine = Translation(
        document_id=doc.id, source_language="ru", target_language="en",
        headline=segment("UN mission ends", flags=("numbers_differ", "length")),
        section=None,
        body=(segment("First «paragraph»."), segment("安全理事会 2773", cached=True)),
        translated_at=AT,
    )
    seeded.save_translation(machine)
    assert seeded.translation(doc.id) == machine
    # A human edit replaces the machine translation.
    human = dataclasses.replace(
        machine,
        headline=segment("UN mission to end", engine="human", model="editor", model_version=""),
        section=segment("Peace and security", engine="human"),
        body=(),
        translated_at=datetime(2025, 12, 13, tzinfo=UTC),
    )
    seeded.save_translation(human)
    loaded = seeded.translation(doc.id)
    assert loaded == human
    assert loaded is not None and loaded.engines == ("human",)


def test_translation_of_an_unknown_document_is_refused(seeded: Store) -> None:
    orphan = Translation("no-such-doc", "ru", "en", None, None, (), AT)
    with pytest.raises(StoreError, match=r"^store: saving the translation of no-such-doc"):
        seeded.save_translation(orphan)


def test_store_cache_follows_the_protocol(store: Store) -> None:
    cache: TranslationCache = StoreTranslationCache(store)
    key = cache_key("argos", "opus-mt-ru-en", "1.9", "ru", "en", "[0] people died")
    assert cache.get_many([key]) == {}
    cache.put_many({key: "[0] people died"})
    assert cache.get_many([key, key]) == {key: "[0] people died"}
    cache.put_many({key: "[0] people were killed"})  # an existing key is overwritten
    assert cache.get_many([key]) == {key: "[0] people were killed"}
    cache.put_many({})
    # Everything in the key matters: a new model version is not served old output.
    newer = dataclasses.replace(key, model_version="2.0")
    other_pair = dataclasses.replace(key, source_lang="uk")
    assert cache.get_many([newer, other_pair]) == {}


def test_cache_reads_and_writes_thousands_of_keys(store: Store) -> None:
    # More keys than one IN list or one statement holds, over two models.
    outputs: dict[CacheKey, str] = {}
    for n in range(1200):
        model = "a" if n % 3 else "b"
        outputs[cache_key("argos", model, "1", "ru", "en", f"sentence {n}")] = f"out {n} ✓"
    store.cache_translations(outputs)
    store.cache_translations(outputs)  # idempotent
    missing = cache_key("argos", "a", "1", "ru", "en", "never translated")
    found = store.cached_translations([*outputs, missing])
    assert found == outputs
