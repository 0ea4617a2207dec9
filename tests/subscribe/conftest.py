"""A small wire for the subscription tests: the sources and items of
``tests/publish/seeding.py``, with the wire time of each item chosen by the
test (that is what a subscription's cursor follows)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from babelwire.model import Item
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.subscribe import SubscribeSettings

from ..publish.seeding import SOURCES, Story, Wire

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

Publish = Callable[..., Item]


@pytest.fixture
def wired(store: Store) -> Store:
    store.upsert_sources(SOURCES)
    return store


@pytest.fixture
def publish(wired: Store) -> Publish:
    """Put one item on the wire at ``at`` (published by the source at ``published``)."""

    def put(slug: str, headline: str, *, at: datetime, source_id: str = "mfa-fr",
            body: tuple[str, ...] = ("First paragraph.",),
            published: datetime | None = None) -> Item:
        story = Story(source_id, slug, f"orig {headline}", tuple(f"orig {b}" for b in body),
                      headline, body)
        wire = Wire(at, SOURCES, (story,), published_before=at - (published or at))
        return wire.save(wired, story)

    return put


@pytest.fixture
def ingest_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings.load({}, connect_timeout_s=5.0, read_timeout_s=5.0, total_timeout_s=10.0)


def subscribe_settings(**changes: object) -> SubscribeSettings:
    values: dict[str, object] = {"backoff_s": 1.0, "attempts": 3,
                                 "base_url": "https://wire.example"}
    return SubscribeSettings.load({}, **(values | changes))


@pytest.fixture
def make_subscribe() -> Callable[..., SubscribeSettings]:
    return subscribe_settings


def later(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.fixture
def at() -> Callable[[float], datetime]:
    """START plus some minutes."""
    return later
