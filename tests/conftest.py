"""Fixtures shared by the whole suite.

``database_url`` and ``store`` run each test twice: on a SQLite file in the
test's tmp_path, and on a fresh PostgreSQL database created for the test in
the server named by BABELWIRE_TEST_DATABASE_URL (``scripts/pg-test-server``
starts one; ``make test`` does it for you). Without that variable the
PostgreSQL runs are skipped, except under CI, where they fail: CI must never
pass with PostgreSQL silently untested.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from babelwire.store import Store

TEST_DATABASE_URL_ENV = "BABELWIRE_TEST_DATABASE_URL"


@pytest.fixture(scope="session")
def _postgres_admin() -> Iterator[sa.Engine]:
    """An engine on the test server's maintenance database, for CREATE DATABASE."""
    url = os.environ.get(TEST_DATABASE_URL_ENV, "").strip()
    if not url:
        message = f"{TEST_DATABASE_URL_ENV} is not set: start scripts/pg-test-server"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} (CI must not skip the PostgreSQL tests)")
        pytest.skip(message)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def _fresh_postgres_database(admin: sa.Engine, template: str = "template1") -> Iterator[str]:
    name = f"bw_{uuid.uuid4().hex[:16]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            # FORCE: a test that failed half-way may still hold connections.
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def _postgres_migrated_template(_postgres_admin: sa.Engine) -> Iterator[str]:
    """A database migrated once per session; copying it is quicker than
    creating and migrating a database for every test."""
    for url in _fresh_postgres_database(_postgres_admin):
        with Store.open(url) as store:
            store.migrate()
        yield sa.make_url(url).database or ""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def _store_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(
    _store_backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    """The URL of an empty database that exists only for this test."""
    if _store_backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'babelwire.db'}"
        return
    yield from _fresh_postgres_database(request.getfixturevalue("_postgres_admin"))


@pytest.fixture
def store(_store_backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated, empty Store on each backend (its own database, not database_url's)."""
    if _store_backend == "sqlite":
        with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as opened:
            opened.migrate()
            yield opened
        return
    admin = request.getfixturevalue("_postgres_admin")
    template = request.getfixturevalue("_postgres_migrated_template")
    for url in _fresh_postgres_database(admin, template):
        with Store.open(url) as opened:
            yield opened
