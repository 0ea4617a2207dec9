"""robots.txt, fetched once per origin and kept for a while (RFC 9309).

What an answer means follows RFC 9309 section 2.3.1: a 2xx body is parsed; a
4xx ("unavailable") or a redirect chain longer than we follow allows
everything; a 5xx, a 429 or a network failure
("unreachable") disallows everything, and that verdict is kept for the same
time as a parsed file, so a host in trouble is not hammered in this run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from babelwire.errors import BlockedAddress, FetchError, RobotsDisallowed, TooManyRedirects

#: RFC 9309 asks crawlers not to keep a robots.txt longer than 24 hours.
DEFAULT_TTL_S = 24 * 3600.0

#: Fetches a robots.txt URL: returns ``(status, body)`` or raises FetchError.
RobotsGetter = Callable[[str], tuple[int, bytes]]


@dataclass(frozen=True, slots=True)
class _Verdict:
    parser: Protego | None
    #: Set when the file was unreachable: everything is disallowed, and why.
    unreachable: str | None
    expires_at: float


class RobotsCache:
    """Answers "may we fetch this URL?", one robots.txt fetch per origin per TTL.

    Thread-safe: threads asking about the same origin wait for one fetch
    instead of each fetching the file.
    """

    def __init__(
        self,
        get: RobotsGetter,
        *,
        user_agent: str,
        monotonic: Callable[[], float],
        ttl_s: float = DEFAULT_TTL_S,
    ) -> None:
        self._get = get
        self._user_agent = user_agent
        self._monotonic = monotonic
        self._ttl_s = ttl_s
        self._verdicts: dict[str, _Verdict] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def check(self, url: str) -> None:
        """Return when ``url`` may be fetched; raise RobotsDisallowed otherwise."""
        origin = _origin(url)
        verdict = self._verdict(origin)
        if verdict.unreachable is not None:
            error = RobotsDisallowed(
                f"fetch: robots.txt of {origin} is unreachable ({verdict.unreachable}); "
                f"not fetching {url} in this run",
                url=url,
            )
            error.retryable = True  # a later run may find the host healthy
            raise error
        if verdict.parser is not None and not verdict.parser.can_fetch(url, self._user_agent):
            raise RobotsDisallowed(f"fetch: robots.txt of {origin} disallows {url}", url=url)

    def _verdict(self, origin: str) -> _Verdict:
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            verdict = self._verdicts.get(origin)
            if verdict is None or verdict.expires_at <= self._monotonic():
                verdict = self._load(origin)
                self._verdicts[origin] = verdict
            return verdict

    def _load(self, origin: str) -> _Verdict:
        expires_at = self._monotonic() + self._ttl_s
        try:
            status, body = self._get(origin + "/robots.txt")
        except BlockedAddress:
            raise  # the page itself is refused; say that, not "robots unreachable"
        except TooManyRedirects:
            return _Verdict(None, None, expires_at)  # RFC 9309 2.3.1.2: treat as unavailable
        except FetchError as exc:
            return _Verdict(None, str(exc).removeprefix("fetch: "), expires_at)
        if 200 <= status < 300:
            text = body.decode("utf-8", errors="replace")
            return _Verdict(Protego.parse(text), None, expires_at)
        if 400 <= status < 500 and status != 429:
            return _Verdict(None, None, expires_at)
        return _Verdict(None, f"HTTP {status}", expires_at)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}".lower()
