"""Fixtures shared by the whole suite.

``database_url`` and ``store`` run each test twice: on a SQLite file in the
test's tmp_path, and on a fresh PostgreSQL database created for the test in
the server named by BABELWIRE_TEST_DATABASE_URL (``scripts/pg-test-server``
starts one; ``make test`` does it for you). Without that variable the
PostgreSQL runs are skipped, except under CI, where they fail: CI must never
pass with PostgreSQL silently untested.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


# -- ninjs 3.1 ------------------------------------------------------------------

NINJS_SCHEMA = Path(__file__).resolve().parents[1] / ".." / "shared" / "standards" / (
    "ninjs-schema_3.1.json")


def _refuse_remote(uri: str) -> Any:
    # The schema points at GeoJSON's schema online; tests never leave the machine.
    raise LookupError(f"test: not fetching {uri}")


def _ninjs_formats() -> Any:
    """date-time and uri checks without the optional packages jsonschema would use."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parsed = datetime.fromisoformat(value)
        return "T" in value and parsed.utcoffset() is not None

    @checker.checks("uri")
    def _uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and parts.netloc)

    return checker


@pytest.fixture(scope="session")
def ninjs_validator() -> Any:
    """A validator for IPTC ninjs 3.1 (skips when ../shared is absent)."""
    from jsonschema import Draft202012Validator
    from referencing import Registry

    if not NINJS_SCHEMA.exists():
        pytest.skip("../shared/standards/ninjs-schema_3.1.json is absent")
    schema = json.loads(NINJS_SCHEMA.read_text(encoding="utf-8"))
    # mypy does not see attrs' generated __init__ of Registry; retrieve= is its API.
    registry = Registry(retrieve=_refuse_remote)  # type: ignore[call-arg]
    return Draft202012Validator(schema, registry=registry, format_checker=_ninjs_formats())


# -- Apertium -------------------------------------------------------------------


def _apertium_missing() -> str | None:
    """Why Apertium cannot translate Spanish to English here, or None when it can."""
    if shutil.which("apertium") is None:
        return "the apertium program is not installed (apt-get install apertium)"
    modes = subprocess.run(["apertium", "-l"], capture_output=True, text=True, check=False)
    if "spa-eng" not in modes.stdout.split():
        return "apertium has no spa-eng mode (apt-get install apertium-eng-spa)"
    return None


@pytest.fixture(scope="session")
def apertium_spa_eng() -> None:
    """Skips the test without Apertium's spa-eng pair; fails it under CI, which
    must never pass with the real translation untested."""
    reason = _apertium_missing()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI must not skip this test)")
    pytest.skip(reason)
