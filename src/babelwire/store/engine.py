"""Connections: the one place that knows which database is underneath.

SQLite and PostgreSQL run the same queries; what differs lives here: how a
connection is prepared, how a write transaction starts, and which dialect's
``INSERT ... ON CONFLICT`` builds upserts. Driver and SQLAlchemy exceptions
become :class:`~babelwire.errors.StoreError` in :func:`guard`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from babelwire.errors import StoreError

#: How long a SQLite writer waits for another writer before giving up. Writes
#: are short (one document or one batch of entries), so a long wait means a
#: stuck process, not contention.
SQLITE_BUSY_TIMEOUT_MS = 30_000

#: Execution option that marks a connection as about to write (see _on_begin).
_WRITE_OPTION = "babelwire_write"

#: ``INSERT`` constructs that support ``on_conflict_do_update/do_nothing``.
_UPSERT_INSERTS: dict[str, Callable[[sa.Table], Any]] = {
    "sqlite": sqlite.insert,
    "postgresql": postgresql.insert,
}


def safe_url(url: str) -> str:
    """The URL with its password masked, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return url


def create_engine(url: str) -> Engine:
    """An engine for ``url``, with every connection prepared for babelwire."""
    try:
        parsed = sa.make_url(url)
        if parsed.get_backend_name() not in _UPSERT_INSERTS:
            raise StoreError(
                f"store: cannot open {safe_url(url)}: only sqlite and postgresql are supported"
            )
        # Unicode stays readable in the JSON columns.
        options: dict[str, Any] = {"json_serializer": partial(json.dumps, ensure_ascii=False)}
        if parsed.get_backend_name() == "sqlite":
            _prepare_sqlite_file(parsed)
            if parsed.database in (None, "", ":memory:"):
                # An in-memory database exists once per connection: share one.
                options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            # Long-running workers outlive server restarts and idle timeouts.
            options["pool_pre_ping"] = True
        engine = sa.create_engine(parsed, **options)
    except StoreError:
        raise
    except (exc.SQLAlchemyError, ImportError, OSError) as error:
        hint = " (install babelwire[postgres])" if isinstance(error, ImportError) else ""
        raise StoreError(f"store: cannot open {safe_url(url)}: {error}{hint}") from error
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _prepare_sqlite_file(parsed: sa.URL) -> None:
    if (
        parsed.database
        and parsed.database != ":memory:"
        and not parsed.database.startswith("file:")
    ):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _use_wal(cursor: Any) -> None:
    """Switch the file to WAL unless it is in WAL already. The switch needs
    the file to itself, and SQLite answers "database is locked" at once,
    busy timeout or not, while another connection uses it (a new file that
    two processes open and migrate together): the switch is retried until
    the busy timeout has passed."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event decide how transactions start, instead of
    # the sqlite3 module's own implicit BEGIN (see _on_sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # WAL: readers never block the writer and a crash never corrupts the file.
    _use_wal(cursor)
    # NORMAL is durable against a crashed process in WAL mode; only a power
    # cut can lose the last transactions, which a re-run fetches again.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    # A deferred transaction that reads and then writes cannot wait for the
    # write lock: SQLite fails it at once with "database is locked", whatever
    # busy_timeout says. Write transactions therefore take the lock up front.
    if connection.get_execution_options().get(_WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


@contextmanager
def guard(what: str) -> Iterator[None]:
    """Turn SQLAlchemy and driver errors into StoreError("store: <what>: ...")."""
    try:
        yield
    except exc.SQLAlchemyError as error:
        raise StoreError(f"store: {what}: {describe(error)}") from error


def describe(error: exc.SQLAlchemyError) -> str:
    """The driver's own one-line message, without the SQL and its parameters
    (which can hold a whole article)."""
    cause: BaseException = error
    if isinstance(error, exc.StatementError) and error.orig is not None:
        cause = error.orig
    text = str(cause).strip().splitlines()
    return text[0] if text else type(cause).__name__


@contextmanager
def writing(engine: Engine, what: str) -> Iterator[Connection]:
    """A connection inside one write transaction, committed on success."""
    with guard(what), engine.connect() as connection:
        connection.execution_options(**{_WRITE_OPTION: True})
        with connection.begin():
            yield connection


@contextmanager
def reading(engine: Engine, what: str) -> Iterator[Connection]:
    """A connection for reads; its transaction is rolled back at the end."""
    with guard(what), engine.connect() as connection:
        yield connection


def upsert_insert(connection: Connection, table: sa.Table) -> Any:
    """``INSERT`` for ``table`` in the connection's dialect, with ON CONFLICT."""
    return _UPSERT_INSERTS[connection.dialect.name](table)
