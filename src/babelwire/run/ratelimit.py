"""Politeness shared by every worker: a cap on requests in flight to a host,
one gap between requests to it, and one robots.txt fetch per origin, kept
in Redis.

Each worker process still caps its own requests per host (the Fetcher's
HostGate); across machines, two things are kept in Redis and changed only
by atomic scripts:

- the host's slots: a sorted set of holders, each with the time its hold
  runs out, so a worker killed while fetching frees its slot by itself once
  the longest a request may take has passed;
- the host's next start time: N workers that arrive together are spread
  ``delay_s`` apart, as the threads of one process are.

Times come from the Redis server's clock, so workers with skewed clocks
still agree.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis

from babelwire.fetch import Fetcher
from babelwire.fetch.politeness import HostGate
from babelwire.fetch.robots import DEFAULT_TTL_S
from babelwire.model import Fetched
from babelwire.run.workermetrics import Tally

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

# Take one of the host's slots if fewer than ARGV[1] holders remain once the
# expired ones are dropped; a hold lasts ARGV[2] microseconds. 1 = taken.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
local hold = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + hold, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.floor(hold / 1000) + 1000)
return 1
"""

#: First and longest pause between two tries for a full host's slot.
SLOT_POLL_FIRST_S = 0.01
SLOT_POLL_MAX_S = 0.25

#: Added to the longest one try may take (``total_timeout_s``) before a
#: slot's hold runs out: the slot covers the exchange only, which its
#: deadline ends, so a live worker has given the slot back well before.
SLOT_MARGIN_S = 5.0


class SharedHostGate(HostGate):
    """A HostGate whose slots and gap between starts are kept in Redis for
    every worker, on top of the process's own slots."""

    def __init__(self, client: redis.Redis, *, concurrency: int, delay_s: float,
                 shared_concurrency: int | None = None, hold_s: float = 120.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(concurrency=concurrency, delay_s=0.0, sleep=sleep,
                         monotonic=time.monotonic)
        self._shared_delay_us = int(max(0.0, delay_s) * 1_000_000)
        self._shared_concurrency = shared_concurrency
        self._hold_us = int(hold_s * 1_000_000)
        self._client = client
        self._reserve = client.register_script(_RESERVE)
        self._acquire = client.register_script(_ACQUIRE)

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        host = host.lower()
        with super().slot(host), self._shared_slot(host):
            if self._shared_delay_us:
                wait_us = int(self._reserve(keys=[f"{KEY_PREFIX}gap:{host}"],
                                            args=[self._shared_delay_us]))
                if wait_us > 0:
                    self._sleep(wait_us / 1_000_000)
            yield

    @contextmanager
    def _shared_slot(self, host: str) -> Iterator[None]:
        if self._shared_concurrency is None:
            yield
            return
        key, holder = f"{KEY_PREFIX}inflight:{host}", uuid.uuid4().hex
        pause_s = SLOT_POLL_FIRST_S
        while not self._acquire(keys=[key], args=[self._shared_concurrency,
                                                  self._hold_us, holder]):
            self._sleep(pause_s)
            pause_s = min(SLOT_POLL_MAX_S, pause_s * 2)
        try:
            yield
        finally:
            self._client.zrem(key, holder)


class SharedFetcher(Fetcher):
    """A Fetcher whose host slots, host pace and robots.txt answers are shared
    through Redis (``shared_concurrency`` None: slots per process only). Each
    request's outcome is counted in ``tally``, for the worker's metrics.

    A robots.txt answer (status and body) is stored for the RFC's 24 hours;
    a worker that finds it there does not ask the host. Failures are not
    shared: each worker judges an unreachable host for itself, briefly.
    """

    def __init__(self, *args: Any, redis_client: redis.Redis,
                 shared_concurrency: int | None = None, tally: Tally | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._redis = redis_client
        self._tally = tally or Tally()
        settings = self._settings
        # A slot is held for one try; that try, and the turns of every other
        # holder before it, are the longest a live worker keeps it.
        hold_s = (settings.total_timeout_s + SLOT_MARGIN_S
                  + (shared_concurrency or 1) * settings.per_host_delay_s)
        self._gate = SharedHostGate(redis_client, concurrency=settings.per_host_concurrency,
                                    delay_s=settings.per_host_delay_s,
                                    shared_concurrency=shared_concurrency, hold_s=hold_s,
                                    sleep=self._sleep)

    def get(self, *args: Any, **kwargs: Any) -> Fetched:
        try:
            fetched = super().get(*args, **kwargs)
        except Exception as exc:
            self._tally.fetched(exc)
            raise
        self._tally.fetched(fetched)
        return fetched

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
