"""Fixtures for the publish tests: a real SQLite store filled with composed items.

``seeding.py`` (next to this file) builds the items. Tests reach it through
the ``seeding`` fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from babelwire.publish.app import create_app
from babelwire.publish.settings import PublishSettings
from babelwire.store import Store

from . import seeding as SEEDING

ADMIN_TOKEN = "test-admin-token-3f9a"


@pytest.fixture(scope="session")
def seeding() -> ModuleType:
    return SEEDING


@pytest.fixture(scope="session")
def admin_token() -> str:
    return ADMIN_TOKEN


def open_store(path: Path) -> Store:
    # The store's clock is the seed's "now", so that the items-per-day window
    # (the last 30 days) covers the seeded items.
    store = Store.open(f"sqlite:///{path}", clock=lambda: SEEDING.NOW)
    store.migrate()
    return store


def make_client(store: Store, **settings: Any) -> TestClient:
    # A named base URL, as a wire behind a proxy has; test_base_url.py
    # checks links made from the request when none is set.
    settings.setdefault("base_url", "http://127.0.0.1:8000")
    app = create_app(lambda: store, settings=PublishSettings(**settings),
                     sources=SEEDING.SOURCES, compose=SEEDING.COMPOSE,
                     clock=lambda: SEEDING.NOW)
    return TestClient(app)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Any]]:
    """One seeded store per test module, for tests that only read."""
    store = open_store(tmp_path_factory.mktemp("publish") / "wire.db")
    try:
        yield store, SEEDING.seed(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def client(seeded: tuple[Store, Any]) -> TestClient:
    """Read-only client; page size 3 so that paging shows with few items."""
    return make_client(seeded[0], page_size=3, feed_size=4, publisher="Test Wire")


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[Store, Any]]:
    """A seeded store of this test's own, for tests that write."""
    store = open_store(tmp_path / "wire.db")
    try:
        yield store, SEEDING.seed(store)
    finally:
        store.close()


@pytest.fixture
def admin_client(fresh: tuple[Store, Any]) -> TestClient:
    return make_client(fresh[0], admin_token=ADMIN_TOKEN)


@pytest.fixture
def wire(store: Store) -> tuple[TestClient, Any]:
    """A client over a seeded store on each backend (SQLite and PostgreSQL),
    with writing on; the store is this test's own."""
    return make_client(store, admin_token=ADMIN_TOKEN), SEEDING.seed(store)
