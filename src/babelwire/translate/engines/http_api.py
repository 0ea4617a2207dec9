"""JSON over HTTP for the engines that are web services (OpenAI-compatible, LibreTranslate).

One place for what both need: timeouts, retries with exponential backoff on
429, 5xx and network errors (honouring ``Retry-After``), a client-side rate
limit, and the mapping of every httpx exception into the translate errors.
A bad key (401/403) or an unreachable server after every retry means
``EngineUnavailable``: the translator then tries the next engine instead of
failing segment after segment here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from babelwire.errors import EngineUnavailable, TranslateError

if TYPE_CHECKING:  # httpx is imported with the first request: start-up stays light
    import httpx


class RateLimiter:
    """At most ``per_minute`` calls a minute, spaced evenly (0 disables it).

    Spacing, rather than a burst allowance, is what hosted endpoints expect:
    a burst of requests at start-up is how a whole batch ends in 429s.
    """

    def __init__(
        self,
        per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval_s = 60.0 / per_minute if per_minute > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._next_at = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            start = max(now, self._next_at)
            self._next_at = start + self.interval_s
        if start > now:
            self._sleep(start - now)


class JsonApi:
    """Sends JSON requests to one service with retries; returns the decoded answer."""

    def __init__(
        self,
        engine: str,
        client: httpx.Client,
        *,
        retries: int = 3,
        backoff_base_s: float = 1.0,
        max_retry_after_s: float = 60.0,
        requests_per_min: float = 0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.engine = engine
        self.client = client
        self.retries = retries
        self.backoff_base_s = backoff_base_s
        self.max_retry_after_s = max_retry_after_s
        self.limiter = RateLimiter(requests_per_min, sleep=sleep)
        self._sleep = sleep

    def post(self, url: str, payload: Any, headers: Mapping[str, str] | None = None) -> Any:
        return self._call("POST", url, payload, headers)

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
        return self._call("GET", url, None, headers)

    def _call(self, method: str, url: str, payload: Any, headers: Mapping[str, str] | None) -> Any:
        import httpx

        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            self.limiter.wait()
            try:
                response = self.client.request(method, url, json=payload, headers=headers)
            except httpx.TimeoutException as exc:
                if last:
                    raise TranslateError(f"{self.engine}: {url} timed out ({exc})") from None
                self._sleep(self._backoff_s(attempt))
                continue
            except httpx.HTTPError as exc:  # refused, reset, DNS, TLS
                if last:
                    raise EngineUnavailable(
                        f"{self.engine}: cannot reach {url} ({type(exc).__name__}: {exc})"
                    ) from None
                self._sleep(self._backoff_s(attempt))
                continue
            if (response.status_code == 429 or response.status_code >= 500) and not last:
                self._sleep(self._retry_after_s(response) or self._backoff_s(attempt))
                continue
            return self._decode(response, url)
        raise AssertionError("unreachable")  # the last attempt always returns or raises

    def _backoff_s(self, attempt: int) -> float:
        return float(self.backoff_base_s * 2**attempt)

    def _retry_after_s(self, response: httpx.Response) -> float | None:
        try:
            seconds = float(response.headers.get("retry-after", ""))
        except ValueError:
            return None  # absent, or an HTTP date: fall back to our own backoff
        return min(max(seconds, 0.0), self.max_retry_after_s)

    def _decode(self, response: httpx.Response, url: str) -> Any:
        status = response.status_code
        if status in {401, 403}:
            raise EngineUnavailable(f"{self.engine}: {url} refused the credentials (HTTP {status})")
        if status >= 400:
            detail = response.text[:200].replace("\n", " ")
            raise TranslateError(f"{self.engine}: {url} answered HTTP {status}: {detail}")
        try:
            return response.json()
        except ValueError:
            raise TranslateError(f"{self.engine}: {url} answered with something not JSON") from None
