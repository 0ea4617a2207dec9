"""Opening databases, migrations and error mapping, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import socket
import threading
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from babelwire.errors import StoreError
from babelwire.model import FetchState, Source
from babelwire.store import Store
from babelwire.store.migrate import head_revision
from babelwire.store.schema import in_compared_schema, metadata


def test_migrate_twice_is_a_no_op(database_url: str, source: Source) -> None:
    with Store.open(database_url) as store:
        assert store.schema_revision() is None
        store.migrate()
        store.upsert_sources([source])
        store.migrate()
        assert store.schema_revision() == head_revision() == "0009"
        assert store.source_ids() == [source.id]


def test_migrations_produce_the_schema_the_queries_use(database_url: str) -> None:
    with Store.open(database_url) as store:
        store.migrate()
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            # The full-text index is backend-specific raw DDL, not in metadata.
            options = {"compare_type": True, "include_name": in_compared_schema}
            context = MigrationContext.configure(connection, opts=options)
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_search_vectors_stay_in_their_rows_on_postgresql(database_url: str) -> None:
    # Out of line, each row a search tests costs a TOAST lookup (0009).
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL storage setting")
    with Store.open(database_url) as store:
        store.migrate()
    rng = random.Random(9)
    # About 6 KB that pglz cannot squeeze: out of line but for the setting.
    vector = " ".join(f"'{rng.getrandbits(64):016x}':{n + 1}" for n in range(250))
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO items_search (seq, region, source_id, original_language, "
                "dated_at, english, original, tsv) VALUES (1, 'Chile', 's', 'en', now(), "
                "'Harbour', 'Puerto', CAST(:vector AS tsvector))"), {"vector": vector})
            size = connection.scalar(sa.text(
                "SELECT pg_column_size(tsv) FROM items_search WHERE seq = 1"))
            toast = connection.scalar(sa.text(
                "SELECT reltoastrelid::regclass::text FROM pg_class "
                "WHERE oid = 'items_search'::regclass"))
            chunks = connection.scalar(sa.text(f"SELECT count(*) FROM {toast}"))
            assert size > 4000 and chunks == 0
    finally:
        engine.dispose()


def _migrate_from_threads(url: str, threads: int = 3) -> list[BaseException]:
    """Open and migrate ``url`` from several threads at once; what they raised."""
    errors: list[BaseException] = []

    def migrate() -> None:
        try:
            with Store.open(url) as store:
                store.migrate()
        except BaseException as error:
            errors.append(error)

    started = [threading.Thread(target=migrate) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return errors


def test_concurrent_migrations_both_succeed(database_url: str) -> None:
    # Two processes starting at once against a new database: neither may fail.
    assert _migrate_from_threads(database_url) == []
    with Store.open(database_url) as store:
        assert store.schema_revision() == head_revision()


def test_a_new_sqlite_file_opened_and_migrated_by_threads_at_once(tmp_path: Path) -> None:
    # Switching a new file to WAL needs it to itself, and SQLite refused at
    # once, whatever the busy timeout, about one time in ten.
    for attempt in range(60):
        url = f"sqlite:///{tmp_path / f'wire{attempt}.db'}"
        assert _migrate_from_threads(url) == [], f"attempt {attempt}"


def test_open_creates_the_sqlite_directory(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "babelwire.db"
    with Store.open(f"sqlite:///{path}") as store:
        store.migrate()
        assert store.backend == "sqlite"
        # WAL mode is on: the write-ahead log sits next to the file.
        store.upsert_sources([])
        assert path.exists()
        assert path.with_name("babelwire.db-wal").exists()


def test_in_memory_sqlite_is_one_database(source: Source) -> None:
    with Store.open("sqlite://") as store:
        store.migrate()
        store.upsert_sources([source])
        assert store.source_ids() == [source.id]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://127.0.0.1/x", "only sqlite and postgresql"),
        ("not a url at all", "cannot open"),
        ("sqlite:///{blocker}/sub/babelwire.db", "cannot open"),
    ],
)
def test_open_errors_are_store_errors(tmp_path: Path, url: str, expected: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match=expected) as caught:
        Store.open(url.format(blocker=blocker))
    assert str(caught.value).startswith("store: ")


def test_unreachable_postgres_is_a_store_error_without_password() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The port is closed now: the connection is refused at once.
    url = f"postgresql+psycopg://bw:hunter2@127.0.0.1:{port}/nothing"
    with pytest.raises(StoreError, match="store: cannot open") as caught:
        Store.open(url)
    assert "hunter2" not in str(caught.value)
    assert "127.0.0.1" in str(caught.value)


def test_driver_errors_are_mapped(store: Store) -> None:
    # A foreign key violation: fetch state for a source that does not exist.
    with pytest.raises(StoreError, match=r"^store: saving fetch state of http://127\.0\.0\.1"):
        store.save_fetch_state(FetchState(url="http://127.0.0.1:1/feed", source_id="nobody"))


def test_naive_datetimes_are_refused(store: Store, source: Source) -> None:
    store.upsert_sources([source])
    with pytest.raises(StoreError, match="naive datetime"):
        store.record_source_success(source.id, datetime(2025, 1, 1), datetime(2025, 1, 2))
