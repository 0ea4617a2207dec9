"""Translations of documents, and the sentence cache the translator reads.

A document has one current translation (a human edit replaces the machine's;
its segments name the engine "human"). The cache maps everything an output
depends on (engine, model, model version, pair, hash of the masked sentence)
to the output, for :class:`~babelwire.translate.cache.TranslationCache`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.model import Translation
from babelwire.store.engine import upsert_insert
from babelwire.store.itemrows import translation_from_row, translation_row
from babelwire.store.items import chunks
from babelwire.store.rows import clean_text
from babelwire.store.schema import translation_cache, translations
from babelwire.translate.cache import CacheKey


def save_translation(connection: Connection, translation: Translation) -> None:
    row = translation_row(translation)
    insert = upsert_insert(connection, translations).values(row)
    connection.execute(
        insert.on_conflict_do_update(
            index_elements=[translations.c.document_id],
            set_={name: insert.excluded[name] for name in row if name != "document_id"},
        )
    )


def get_translation(connection: Connection, doc_id: str) -> Translation | None:
    query = sa.select(translations).where(translations.c.document_id == doc_id)
    row = connection.execute(query).first()
    return None if row is None else translation_from_row(row._mapping)


def _pair(key: CacheKey) -> tuple[str, str, str, str, str]:
    return (key.engine, key.model, key.model_version, key.source_lang, key.target_lang)


def cached_outputs(connection: Connection, keys: Iterable[CacheKey]) -> dict[CacheKey, str]:
    """Outputs for the keys that have one. Keys are grouped by everything but
    the hash, so each query is one ``text_sha256 IN (...)`` on the primary
    key, at most :data:`items.CHUNK` hashes long."""
    groups: dict[tuple[str, str, str, str, str], list[str]] = {}
    for key in keys:
        groups.setdefault(_pair(key), []).append(key.text_sha256)
    found: dict[CacheKey, str] = {}
    table = translation_cache.c
    for (engine, model, version, source, target), hashes in groups.items():
        for part in chunks(sorted(set(hashes))):
            query = sa.select(table.text_sha256, table.output).where(
                table.engine == engine,
                table.model == model,
                table.model_version == version,
                table.source_lang == source,
                table.target_lang == target,
                table.text_sha256.in_(part),
            )
            for digest, output in connection.execute(query):
                found[CacheKey(engine, model, version, source, target, digest)] = output
    return found


def put_outputs(connection: Connection, outputs: Mapping[CacheKey, str], now: datetime) -> None:
    """Insert or overwrite cached outputs (one statement per chunk of keys)."""
    rows: list[dict[str, Any]] = [
        {
            "engine": clean_text(key.engine),
            "model": clean_text(key.model),
            "model_version": clean_text(key.model_version),
            "source_lang": clean_text(key.source_lang),
            "target_lang": clean_text(key.target_lang),
            "text_sha256": clean_text(key.text_sha256),
            "output": clean_text(output),
            "created_at": now,
        }
        for key, output in outputs.items()
    ]
    insert = upsert_insert(connection, translation_cache)
    statement = insert.on_conflict_do_update(
        index_elements=list(translation_cache.primary_key.columns),
        set_={"output": insert.excluded.output, "created_at": insert.excluded.created_at},
    )
    for part in chunks(rows):
        connection.execute(statement, list(part))


class CacheTable(Protocol):
    """What the cache needs of the store (``Store`` has both), named here so
    that this module does not import the facade that imports it."""

    def cached_translations(self, keys: Iterable[CacheKey]) -> dict[CacheKey, str]: ...
    def cache_translations(self, outputs: Mapping[CacheKey, str]) -> None: ...


class StoreTranslationCache:
    """The translator's cache, kept in the store (``translation_cache``).

    Implements ``babelwire.translate.cache.TranslationCache``; one read
    transaction per ``get_many`` and one write per ``put_many``.
    """

    def __init__(self, store: CacheTable) -> None:
        self._store = store

    def get_many(self, keys: Iterable[CacheKey]) -> dict[CacheKey, str]:
        return self._store.cached_translations(keys)

    def put_many(self, items: Mapping[CacheKey, str]) -> None:
        if items:
            self._store.cache_translations(items)
