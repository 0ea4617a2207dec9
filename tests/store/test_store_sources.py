"""Sources, their health, and the fetch state of polled URLs."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from babelwire.errors import StoreError
from babelwire.model import FetchState, Source, SourceHealth
from babelwire.store import Store

AT = datetime(2025, 12, 12, 10, 0, tzinfo=timezone(timedelta(hours=3)))


def test_upsert_sources_inserts_then_rewrites_catalog_fields(
    store: Store, source: Source, samples: SimpleNamespace
) -> None:
    other = dataclasses.replace(
        source, id="b-other", name=samples.HOSTILE[0], region=samples.HOSTILE[1]
    )
    store.upsert_sources([source, other])
    store.upsert_sources([source])  # again: nothing changes, nothing fails
    assert store.source_ids() == ["b-other", source.id]

    renamed = dataclasses.replace(source, name=samples.long_name(250), languages=("ru",))
    store.upsert_sources([renamed])
    rows = {row["id"]: row for row in store.dump()["sources"]}
    assert rows[source.id]["name"] == samples.long_name(250)
    assert rows[source.id]["languages"] == ["ru"]
    assert rows["b-other"]["name"] == samples.HOSTILE[0]
    assert rows["b-other"]["region"] == samples.HOSTILE[1]


def test_upsert_keeps_health_and_verification(store: Store, source: Source) -> None:
    store.upsert_sources([source])
    store.record_source_failure(source.id, "fetch: timeout", AT, AT + timedelta(hours=1))
    store.mark_verified(source.id, True, AT)
    store.upsert_sources([dataclasses.replace(source, desk="New desk")])
    health = store.health(source.id)
    assert health.consecutive_failures == 1
    assert health.verified is True


def test_new_source_health_is_empty(store: Store, source: Source) -> None:
    store.upsert_sources([source])
    assert store.health(source.id) == SourceHealth(source_id=source.id)
    assert store.all_health() == [SourceHealth(source_id=source.id)]


def test_failures_count_up_and_success_resets(store: Store, source: Source) -> None:
    store.upsert_sources([source])
    for attempt in range(3):
        store.record_source_failure(
            source.id, f"fetch: HTTP 503 #{attempt}", AT, AT + timedelta(minutes=attempt)
        )
    health = store.health(source.id)
    assert health.consecutive_failures == 3
    assert health.last_error == "fetch: HTTP 503 #2"
    assert health.last_error_at == AT
    assert health.next_due_at == AT + timedelta(minutes=2)

    later = AT + timedelta(hours=2)
    store.record_source_success(source.id, later, later + timedelta(minutes=30))
    health = store.health(source.id)
    assert health.consecutive_failures == 0
    assert health.last_success_at == later
    assert health.last_success_at is not None and health.last_success_at.tzinfo is not None
    # The last error stays visible as history.
    assert health.last_error == "fetch: HTTP 503 #2"


def test_mark_verified(store: Store, source: Source) -> None:
    store.upsert_sources([source])
    store.mark_verified(source.id, True, AT)
    assert store.health(source.id).verified is True
    assert store.health(source.id).checked_at == AT
    store.mark_verified(source.id, False, AT + timedelta(days=1))
    assert store.health(source.id).verified is False


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.health("nope"),
        lambda s: s.record_source_success("nope", AT, AT),
        lambda s: s.record_source_failure("nope", "x", AT, AT),
        lambda s: s.mark_verified("nope", True, AT),
    ],
)
def test_unknown_source_is_an_error(store: Store, call: Callable[[Store], object]) -> None:
    with pytest.raises(StoreError, match="store: unknown source 'nope'"):
        call(store)


def test_fetch_state_round_trip_and_overwrite(
    store: Store, source: Source, samples: SimpleNamespace
) -> None:
    store.upsert_sources([source])
    url = "http://127.0.0.1:1/feed.xml?q=" + samples.HOSTILE[0]
    assert store.fetch_state(url) is None
    state = FetchState(
        url=url,
        source_id=source.id,
        etag='W/"abc"',
        last_modified="Fri, 12 Dec 2025 09:00:00 GMT",
        status=200,
        last_success_at=AT,
        last_fetched_at=AT,
        next_due_at=AT + timedelta(minutes=30),
    )
    store.save_fetch_state(state)
    assert store.fetch_state(url) == state

    failed = dataclasses.replace(
        state,
        status=503,
        consecutive_failures=2,
        last_error="fetch: HTTP 503",
        next_due_at=datetime(2025, 12, 13, tzinfo=UTC),
    )
    store.save_fetch_state(failed)
    loaded = store.fetch_state(url)
    assert loaded == failed
    assert loaded is not None and loaded.next_due_at is not None
    assert loaded.next_due_at.utcoffset() == timedelta(0)
