"""Real Redis and PostgreSQL on loopback for the distributed workers' tests.

``scripts/run-tests`` starts both (``scripts/redis-test-server``,
``scripts/pg-test-server``) and names them in BABELWIRE_TEST_REDIS_URL and
BABELWIRE_TEST_DATABASE_URL. Without them the tests skip, except under CI,
where they fail: CI must never pass with the workers untested.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator

import pytest
import redis
import sqlalchemy as sa
from tests.conftest import _fresh_postgres_database

TEST_REDIS_URL_ENV = "BABELWIRE_TEST_REDIS_URL"


def _missing(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI must not skip the worker tests)")
    pytest.skip(message)


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis database of its own on the test server, emptied before and after."""
    url = os.environ.get(TEST_REDIS_URL_ENV, "").strip()
    if not url:
        _missing(f"{TEST_REDIS_URL_ENV} is not set: start scripts/redis-test-server")
    # One of Redis's numbered databases, so tests running side by side
    # (pytest -n 2) do not read each other's queues.
    url = url.rsplit("/", 1)[0] + f"/{random.randrange(1, 16)}"
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    except redis.RedisError as exc:
        _missing(f"Redis at {url} does not answer: {exc}")
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def postgres_url(_postgres_admin: sa.Engine) -> Iterator[str]:
    """A fresh PostgreSQL database (the workers' store)."""
    yield from _fresh_postgres_database(_postgres_admin)


@pytest.fixture
def postgres_url_baseline(_postgres_admin: sa.Engine) -> Iterator[str]:
    """A second fresh database, for the in-process run compared with."""
    yield from _fresh_postgres_database(_postgres_admin)
