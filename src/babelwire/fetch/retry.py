"""When to try again: exponential backoff with full jitter, and Retry-After."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def backoff_s(retry: int, *, base_s: float, rng: random.Random) -> float:
    """Delay before retry number ``retry`` (0 for the first): uniform in [0, base * 2**retry].

    Full jitter (rather than a fixed doubling) keeps many workers that failed
    together from retrying together.
    """
    return rng.uniform(0.0, base_s * (2**retry))


def retry_after_s(value: str | None, *, now: datetime, max_s: float) -> float | None:
    """Seconds a Retry-After header asks us to wait, capped at ``max_s``.

    It is either a number of seconds or an HTTP date (RFC 9110 10.2.3). None
    when the header is missing or unreadable, so the caller falls back to
    its own backoff.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - now).total_seconds()
    return min(max(seconds, 0.0), max_s)
