"""stats(), skip_reasons() and dump()."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from babelwire.model import Document, Entry, FetchState, Source, Stage
from babelwire.store import Store
from babelwire.store.schema import SEARCH_INDEX_TABLES, VOLATILE_COLUMNS, metadata

MakeDoc = Callable[..., Document]


def _fill(
    store: Store, make_document: MakeDoc, make_entry: Callable[..., Entry], samples: SimpleNamespace
) -> None:
    store.add_discovered([make_entry("new")])
    store.save_document(make_document("ru1"))
    store.save_document(make_document("ru2"))
    english = dataclasses.replace(samples.full_extracted(), language="en")
    store.save_document(make_document("en", extracted=english, source_id="other"))
    for path, reason in (
        ("s1", "not an article"),
        ("s2", "not an article"),
        ("s3", "robots.txt disallows"),
    ):
        store.save_document(make_document(path, stage=Stage.SKIPPED, reason=reason, extracted=None))
    store.save_document(
        make_document(
            "o1", source_id="other", stage=Stage.SKIPPED, reason="duplicate", extracted=None
        )
    )
    store.save_document(
        make_document("f1", stage=Stage.FAILED, reason="fetch: HTTP 503", extracted=None)
    )


def test_stats_shape(
    seeded: Store,
    make_document: MakeDoc,
    make_entry: Callable[..., Entry],
    samples: SimpleNamespace,
) -> None:
    empty = seeded.stats()
    assert empty == {
        "documents": 0,
        "by_stage": {stage.value: 0 for stage in Stage},
        "by_language": {},
        "by_source": {},
    }
    _fill(seeded, make_document, make_entry, samples)
    assert seeded.stats() == {
        "documents": 9,
        "by_stage": {
                "discovered": 1, "fetched": 0, "extracted": 3, "translated": 0,
                "published": 0, "skipped": 4, "failed": 1,
            },
        "by_language": {"en": 1, "ru": 2, "und": 6},
        "by_source": {"other": 2, "un-news-ru": 7},
    }


def test_skip_reasons(
    seeded: Store,
    make_document: MakeDoc,
    make_entry: Callable[..., Entry],
    samples: SimpleNamespace,
) -> None:
    assert seeded.skip_reasons() == {}
    _fill(seeded, make_document, make_entry, samples)
    assert seeded.skip_reasons() == {
        "other": {"duplicate": 1},
        "un-news-ru": {"not an article": 2, "robots.txt disallows": 1},
    }
    assert seeded.skip_reasons(Stage.FAILED) == {"un-news-ru": {"fetch: HTTP 503": 1}}


def test_dump_is_sorted_and_leaves_out_volatile_columns(
    seeded: Store,
    source: Source,
    make_document: MakeDoc,
    make_entry: Callable[..., Entry],
    samples: SimpleNamespace,
) -> None:
    _fill(seeded, make_document, make_entry, samples)
    now = datetime(2025, 12, 12, tzinfo=UTC)
    seeded.save_fetch_state(
        FetchState(
            url="http://127.0.0.1:1/feed.xml", source_id=source.id, etag='"1"', last_fetched_at=now
        )
    )
    seeded.record_source_success(source.id, now, now + timedelta(hours=1))
    dump = seeded.dump()
    assert set(dump) == {table.name for table in metadata.sorted_tables}
    for table, rows in dump.items():
        # Only the first three tables have rows here (no items were saved).
        assert rows or table not in {"sources", "fetch_state", "documents"}, table
        for row in rows:
            assert not set(row) & VOLATILE_COLUMNS[table]
    ids = [row["id"] for row in dump["documents"]]
    assert ids == sorted(ids)
    assert dump["fetch_state"] == [
        {
            "url": "http://127.0.0.1:1/feed.xml",
            "source_id": source.id,
            "etag": '"1"',
            "last_modified": None,
            "consecutive_failures": 0,
            "last_error": None,
        }
    ]


def test_dump_ignores_when_things_happened(
    database_url: str, source: Source, make_document: MakeDoc
) -> None:
    """Two runs that did the same work at different times dump the same."""

    def run(start: datetime, failures_first: int) -> dict[str, object]:
        with Store.open(database_url, clock=lambda: start) as store:
            store.migrate()
            store.upsert_sources([source])
            failing = make_document(
                "1", stage=Stage.FAILED, reason="fetch: timeout", fetched_at=start
            )
            for _ in range(failures_first):  # a crashed run retried more often
                store.save_document(failing)
            store.save_document(make_document("1", fetched_at=start))
            store.record_source_success(source.id, start, start + timedelta(minutes=30))
            dumped = store.dump()
        return dumped

    first = run(datetime(2025, 12, 12, tzinfo=UTC), failures_first=0)
    _drop_all(database_url)
    second = run(datetime(2026, 1, 1, tzinfo=UTC), failures_first=2)
    assert first == second


def _drop_all(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as connection:
            for table in (*SEARCH_INDEX_TABLES, "alembic_version"):
                connection.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
            metadata.drop_all(connection)
    finally:
        engine.dispose()
