"""Helpers for the discover tests: build Fetched records by hand, no network."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from babelwire.model import Fetched, Source

DATA = Path(__file__).parent / "data"

MakeFetched = Callable[..., Fetched]


def fetched_from(
    body: bytes | str,
    url: str = "https://ministry.example/feed.xml",
    *,
    final_url: str | None = None,
    charset: str | None = None,
    content_type: str = "",
    not_modified: bool = False,
) -> Fetched:
    """A Fetched as fetch would return it; ``body`` may name a file in data/."""
    if isinstance(body, str):
        body = (DATA / body).read_bytes()
    return Fetched(
        url=url,
        final_url=final_url or url,
        status=304 if not_modified else 200,
        headers=(("content-type", content_type),) if content_type else (),
        body=body,
        fetched_at=datetime(2025, 12, 12, 8, 0, tzinfo=UTC),
        content_type=content_type,
        charset=charset,
        not_modified=not_modified,
    )


@pytest.fixture
def source() -> Source:
    return Source(
        id="test-source",
        name="Test Ministry",
        desk="Press office",
        region="Examplia",
        languages=("en",),
    )


@pytest.fixture
def corpus_dir() -> Path:
    path = Path(__file__).parents[2] / ".." / "shared" / "corpus"
    if not path.is_dir():
        pytest.skip("../shared/corpus is not available")
    return path


@pytest.fixture
def make_fetched() -> MakeFetched:
    return fetched_from
