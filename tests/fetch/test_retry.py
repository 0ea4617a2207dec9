"""Retry timing: Retry-After in both forms, and jittered exponential backoff."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from babelwire.fetch.retry import backoff_s, retry_after_s

NOW = datetime(2025, 12, 12, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("0", 0.0),
        ("Fri, 12 Dec 2025 10:01:30 GMT", 90.0),
        ("Fri, 12 Dec 2025 09:00:00 GMT", 0.0),  # in the past: go now
        ("100000", 600.0),  # capped
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after(value: str | None, expected: float | None) -> None:
    assert retry_after_s(value, now=NOW, max_s=600.0) == expected


def test_backoff_is_full_jitter_under_a_doubling_ceiling() -> None:
    rng = random.Random(7)
    for retry in range(5):
        delays = [backoff_s(retry, base_s=1.0, rng=rng) for _ in range(200)]
        ceiling = 2.0**retry
        assert all(0.0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling / 2  # spread over the range, not pinned low
