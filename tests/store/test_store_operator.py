"""Operator writes: switching a source off and asking for a poll."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from babelwire.errors import StoreError
from babelwire.model import Source
from babelwire.store import Store

SOURCE = Source(id="un-news-ru", name="United Nations", desk="United Nations",
                region="Russian Federation", languages=("ru",),
                feeds=("https://news.un.example/feed.xml",))


def test_disable_and_enable_a_source(store: Store) -> None:
    store.upsert_sources([SOURCE])
    assert store.disabled_source_ids() == set()
    store.set_source_enabled(SOURCE.id, False)
    assert store.disabled_source_ids() == {SOURCE.id}
    # A catalog reload rewrites the catalog columns but keeps the operator's switch.
    store.upsert_sources([SOURCE])
    assert store.disabled_source_ids() == {SOURCE.id}
    store.set_source_enabled(SOURCE.id, True)
    assert store.disabled_source_ids() == set()


def test_request_fetch_makes_the_source_due(store: Store) -> None:
    store.upsert_sources([SOURCE])
    later = datetime(2030, 1, 1, tzinfo=UTC)
    store.record_source_success(SOURCE.id, datetime(2029, 12, 31, tzinfo=UTC), later)
    asked = datetime(2029, 12, 31, 12, tzinfo=UTC)
    store.request_fetch(SOURCE.id, asked)
    assert store.health(SOURCE.id).next_due_at == asked


def test_unknown_source_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown source"):
        store.set_source_enabled("nope", False)
    with pytest.raises(StoreError, match="unknown source"):
        store.request_fetch("nope", datetime(2030, 1, 1, tzinfo=UTC))
