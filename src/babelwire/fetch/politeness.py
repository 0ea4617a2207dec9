"""Per-host politeness: a cap on requests in flight and a gap between starts.

Both limits are per host name, shared by every thread of one Fetcher. The
gap is reserved under a lock before sleeping, so N threads that arrive
together are spread out at ``delay_s`` intervals instead of all waking at
once after the first delay.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class HostGate:
    def __init__(
        self,
        *,
        concurrency: int,
        delay_s: float,
        sleep: Callable[[float], None],
        monotonic: Callable[[], float],
    ) -> None:
        self._concurrency = max(1, concurrency)
        self._delay_s = max(0.0, delay_s)
        self._sleep = sleep
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold one of ``host``'s request slots, after waiting for its turn."""
        host = host.lower()
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self._concurrency))
        with semaphore:
            self._wait_turn(host)
            yield

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            now = self._monotonic()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + self._delay_s
        if start > now:
            self._sleep(start - now)
