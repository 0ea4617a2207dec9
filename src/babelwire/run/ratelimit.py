"""Politeness shared by every worker: one gap between requests to a host, and
one robots.txt fetch per origin, kept in Redis.

Each worker process still caps its own requests in flight per host (the
Fetcher's HostGate); what must hold across machines is the pace, so the next
start time of each host lives in Redis and is reserved atomically by a
script: N workers that arrive together are spread ``delay_s`` apart, as the
threads of one process are. Times come from the Redis server's clock, so
workers with skewed clocks still agree.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis

from babelwire.fetch import Fetcher
from babelwire.fetch.politeness import HostGate
from babelwire.fetch.robots import DEFAULT_TTL_S

KEY_PREFIX = "babelwire:"

# Reserve the host's next start: max(now, stored) and push the stored value
# one gap further; returns how long the caller must wait, in microseconds.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local start = tonumber(redis.call('GET', KEYS[1]) or now)
if start < now then start = now end
local gap = tonumber(ARGV[1])
redis.call('SET', KEYS[1], start + gap, 'PX', math.floor(gap / 1000) + 60000)
return start - now
"""


class SharedHostGate(HostGate):
    """A HostGate whose gap between starts is kept in Redis for every worker."""

    def __init__(self, client: redis.Redis, *, concurrency: int, delay_s: float,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(concurrency=concurrency, delay_s=0.0, sleep=sleep,
                         monotonic=time.monotonic)
        self._shared_delay_us = int(max(0.0, delay_s) * 1_000_000)
        self._reserve = client.register_script(_RESERVE)

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with super().slot(host):
            if self._shared_delay_us:
                wait_us = int(self._reserve(keys=[f"{KEY_PREFIX}gap:{host.lower()}"],
                                            args=[self._shared_delay_us]))
                if wait_us > 0:
                    self._sleep(wait_us / 1_000_000)
            yield


class SharedFetcher(Fetcher):
    """A Fetcher whose host pace and robots.txt answers are shared through Redis.

    A robots.txt answer (status and body) is stored for the RFC's 24 hours;
    a worker that finds it there does not ask the host. Failures are not
    shared: each worker judges an unreachable host for itself, briefly.
    """

    def __init__(self, *args: Any, redis_client: redis.Redis, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._redis = redis_client
        settings = self._settings
        self._gate = SharedHostGate(redis_client, concurrency=settings.per_host_concurrency,
                                    delay_s=settings.per_host_delay_s, sleep=self._sleep)

    def _get_robots(self, url: str) -> tuple[int, bytes]:
        key = f"{KEY_PREFIX}robots:{url.lower()}"
        cached = self._redis.get(key)
        if cached is not None:
            answer = json.loads(cached)
            return int(answer["status"]), answer["body"].encode("latin-1")
        status, body = super()._get_robots(url)
        # latin-1 keeps every byte as one character, so the body survives JSON.
        self._redis.set(key, json.dumps({"status": status, "body": body.decode("latin-1")}),
                        ex=int(DEFAULT_TTL_S))
        return status, body
