"""A request's total deadline, enforced on every wait on its socket.

httpx bounds each wait (one connect, one read) but not their sum: a server
that sends one header line every few seconds never trips the read timeout,
and the body loop, which checks the deadline, starts only after the last
header. So the guarded backend wraps every connection in
:class:`DeadlineStream`, which shortens each connect, TLS handshake, read and
write to what is left of the deadline of the request running on this thread
(set with :func:`running`). Name resolution is the one step it cannot bound:
``getaddrinfo`` takes no timeout.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore

TimeoutKind = type[httpcore.TimeoutException]


class Deadline:
    """The moment (on ``monotonic``) by which one request must be done."""

    def __init__(self, at: float, monotonic: Callable[[], float]) -> None:
        self.at = at
        self._monotonic = monotonic
        #: Whether the latest wait was shortened to the deadline; a timeout
        #: after such a wait is the deadline passing, not a slow step.
        self.cut = False

    def wait_s(self, timeout_s: float | None, kind: TimeoutKind) -> float:
        """``timeout_s`` or the time left, whichever is shorter; ``kind`` when none is left."""
        left_s = self.at - self._monotonic()
        self.cut = timeout_s is None or left_s < timeout_s
        if left_s <= 0:
            # A zero socket timeout would mean "do not block", not "give up".
            raise kind("total deadline passed")
        return left_s if timeout_s is None else min(timeout_s, left_s)


_CURRENT: ContextVar[Deadline | None] = ContextVar("babelwire_fetch_deadline", default=None)


@contextmanager
def running(deadline: Deadline) -> Iterator[Deadline]:
    """Make ``deadline`` bound every socket wait of this thread inside the block."""
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)


def wait_s(timeout_s: float | None, kind: TimeoutKind) -> float | None:
    """``timeout_s`` shortened to the current request's deadline, if one is running."""
    deadline = _CURRENT.get()
    return timeout_s if deadline is None else deadline.wait_s(timeout_s, kind)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every wait ends by the running request's deadline.

    The deadline is looked up at each call, not kept: a pooled connection
    serves many requests, each with its own deadline.
    """

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, wait_s(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, wait_s(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, wait_s(timeout, httpcore.ConnectTimeout)
        )
        return DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)
