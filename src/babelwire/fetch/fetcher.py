"""The Fetcher: polite, safe GETs that return :class:`~babelwire.model.Fetched`.

One Fetcher per process, built at start-up and shared by every worker
thread. For each ``get`` it follows redirects itself (each hop re-checked:
scheme, robots.txt, address guard), waits its turn for the host, archives
every response, retries what may succeed later, and decides the charset.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime
from types import TracebackType
from urllib.parse import urlsplit

from babelwire.errors import (
    BlockedAddress,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    RobotsDisallowed,
    TooManyRedirects,
)
from babelwire.fetch.archive import Archive
from babelwire.fetch.charset import decide_charset
from babelwire.fetch.guard import AddressPolicy, Resolver, SystemResolver
from babelwire.fetch.politeness import HostGate
from babelwire.fetch.retry import backoff_s, retry_after_s
from babelwire.fetch.robots import DEFAULT_TTL_S, RobotsCache
from babelwire.fetch.transfer import (
    Exchange,
    build_client,
    deadline_error,
    exchange,
    redirect_target,
)
from babelwire.model import Fetched, utc_now
from babelwire.settings import Settings

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Media types decoded as text; other bodies (PDF, images) keep charset None.
_TEXT_MARKERS = ("text/", "xml", "json", "html", "javascript")


class Fetcher:
    """Thread-safe HTTP GETs with one shared client; close it (or use ``with``) at the end.

    ``resolver`` defaults to the system's; ``policy`` to refusing every
    non-public address unless ``settings.allow_private``. ``archive`` stays
    the caller's to close. ``sleep``, ``clock``, ``monotonic`` and ``rng``
    are seams for tests; ``robots_ttl_s`` is how long a robots.txt is kept.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: Resolver | None = None,
        policy: AddressPolicy | None = None,
        archive: Archive | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        robots_ttl_s: float = DEFAULT_TTL_S,
    ) -> None:
        self._settings = settings
        self._archive = archive
        self._sleep = sleep
        self._clock = clock
        self._monotonic = monotonic
        self._rng = rng or random.Random()
        policy = policy or AddressPolicy(allow_all_private=settings.allow_private)
        self._client = build_client(settings, resolver or SystemResolver(), policy)
        self._gate = HostGate(
            concurrency=settings.per_host_concurrency,
            delay_s=settings.per_host_delay_s,
            sleep=sleep,
            monotonic=monotonic,
        )
        self._robots = RobotsCache(
            self._get_robots,
            user_agent=settings.user_agent,
            monotonic=monotonic,
            ttl_s=robots_ttl_s,
        )

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        check_robots: bool = True,
        accept: str | None = None,
    ) -> Fetched:
        """GET ``url``; a 2xx or 304 becomes Fetched, anything else a FetchError.

        ``Fetched.redirects`` lists the URLs that answered with a redirect, in
        order, starting with ``url``; ``final_url`` is the one that answered.
        Timeouts, connection failures, 429 and 5xx are retried
        ``settings.retries`` times; ``total_timeout_s`` bounds the network
        time of each try, robots.txt fetches included, so no URL holds a run
        longer than that times ``retries + 1`` plus the backoff between tries.
        """
        _require_http(url)
        headers: dict[str, str] = {}
        if accept:
            headers["Accept"] = accept
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        retry = 0
        while True:
            budget = _Budget(self._settings.total_timeout_s)
            token = _TRY_BUDGET.set(budget)
            try:
                final, redirects = self._follow(url, headers, check_robots, budget)
            except FetchError as exc:
                # A robots verdict is cached for the run: retrying cannot change it.
                if not exc.retryable or isinstance(exc, RobotsDisallowed):
                    raise
                if retry >= self._settings.retries:
                    raise
                delay_s = self._backoff_s(retry)
            else:
                if not _worth_retrying(final.status) or retry >= self._settings.retries:
                    return self._fetched(url, final, redirects, etag, last_modified)
                delay_s = self._retry_delay_s(final, retry)
            finally:
                _TRY_BUDGET.reset(token)
            self._sleep(delay_s)
            retry += 1

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _follow(
        self, url: str, headers: dict[str, str], check_robots: bool, budget: _Budget
    ) -> tuple[Exchange, tuple[str, ...]]:
        """Follow redirects from ``url``; return the last response and the URLs that redirected.

        ``budget`` is the network time left over all hops; time spent
        queueing for a host's turn is politeness, not slowness, and is not
        charged to it.
        """
        chain: list[str] = []
        current = url
        while True:
            try:
                if check_robots:
                    self._check_robots(current)
                response = self._exchange(current, headers, budget)
            except BlockedAddress as exc:
                if not chain:
                    raise
                # One line with the refused address, the hop and where it started.
                raise BlockedAddress(f"{exc}, redirected from {url}", url=url) from None
            location = response.header("location")
            if response.status not in REDIRECT_STATUSES or not location:
                return response, tuple(chain)
            if len(chain) >= self._settings.max_redirects:
                raise TooManyRedirects(
                    f"fetch: more than {self._settings.max_redirects} redirects from {url}",
                    url=url,
                )
            chain.append(current)
            current = redirect_target(current, location)
            _require_http(current, redirected_from=chain[-1])

    def _check_robots(self, url: str) -> None:
        try:
            self._robots.check(url)
        except _BudgetSpent:
            raise deadline_error(url, self._settings) from None
        except BlockedAddress as exc:
            # The host was refused on the way to its robots.txt: name the page,
            # as a refusal of the page itself does.
            raise BlockedAddress(f"{exc} ({url})", url=url) from None

    def _exchange(self, url: str, headers: dict[str, str], budget: _Budget) -> Exchange:
        """One archived GET in the host's turn, charged to ``budget``."""
        with self._gate.slot(urlsplit(url).hostname or ""):
            started = self._monotonic()
            try:
                response = exchange(
                    self._client,
                    url,
                    headers=headers,
                    settings=self._settings,
                    deadline=started + budget.left_s,
                    monotonic=self._monotonic,
                    clock=self._clock,
                )
            finally:
                budget.left_s -= self._monotonic() - started
        if self._archive is None:
            return response
        warc_file, offset, record_id = self._archive.write(
            url=url,
            status=response.status,
            headers=response.headers,
            body=response.body,
            request_headers=response.request_headers,
            fetched_at=response.fetched_at,
        )
        archived = dataclasses.replace(
            response, warc_file=warc_file, warc_offset=offset, warc_record_id=record_id
        )
        return archived

    def _get_robots(self, url: str) -> tuple[int, bytes]:
        """Fetch a robots.txt within the budget of the try that needs it.

        A robots.txt that ran out of a budget earlier hops had already spent
        is not judged: the page fails on its deadline and the file is asked
        for again next time, instead of being cached as unreachable.
        """
        budget = _TRY_BUDGET.get() or _Budget(self._settings.total_timeout_s)
        whole = budget.left_s >= self._settings.total_timeout_s
        try:
            response, _ = self._follow(url, {"Accept": "text/plain"}, False, budget)
        except BlockedAddress as exc:
            raise BlockedAddress(str(exc).removesuffix(f" ({url})"), url=url) from None
        except FetchTimeout:
            if whole or budget.left_s > 0:
                raise
            raise _BudgetSpent from None
        return response.status, response.body

    def _backoff_s(self, retry: int) -> float:
        return backoff_s(retry, base_s=self._settings.backoff_base_s, rng=self._rng)

    def _retry_delay_s(self, response: Exchange, retry: int) -> float:
        asked_s = retry_after_s(
            response.header("retry-after"),
            now=self._clock(),
            max_s=self._settings.max_retry_after_s,
        )
        return self._backoff_s(retry) if asked_s is None else asked_s

    def _fetched(
        self,
        url: str,
        response: Exchange,
        redirects: tuple[str, ...],
        sent_etag: str | None,
        sent_last_modified: str | None,
    ) -> Fetched:
        status = response.status
        not_modified = status == 304
        if not (200 <= status < 300 or not_modified):
            origin = f" (redirected from {url})" if response.url != url else ""
            raise HTTPStatusError(
                f"fetch: HTTP {status} for {response.url}{origin}", status=status, url=url
            )
        body = b"" if not_modified else response.body
        content_type = response.header("content-type") or ""
        charset: str | None = None
        charset_source: str | None = None
        if body and (not content_type or any(m in content_type.lower() for m in _TEXT_MARKERS)):
            charset, charset_source = decide_charset(body, content_type)
        # A 304 may omit the validators; the ones we sent are still current.
        etag = response.header("etag") or (sent_etag if not_modified else None)
        last_modified = response.header("last-modified") or (
            sent_last_modified if not_modified else None
        )
        return Fetched(
            url=url,
            final_url=response.url,
            status=status,
            headers=tuple((k.lower(), v) for k, v in response.headers),
            body=body,
            fetched_at=response.fetched_at,
            content_type=content_type,
            charset=charset,
            charset_source=charset_source,
            not_modified=not_modified,
            etag=etag,
            last_modified=last_modified,
            redirects=redirects,
            warc_file=response.warc_file,
            warc_offset=response.warc_offset,
            warc_record_id=response.warc_record_id,
        )


@dataclasses.dataclass(slots=True)
class _Budget:
    """Network seconds one try may still spend, over its hops and robots.txt fetches."""

    left_s: float


# The budget of the try running on this thread, for the robots.txt fetches
# the robots cache makes on its behalf (they cannot take it as an argument).
_TRY_BUDGET: ContextVar[_Budget | None] = ContextVar("babelwire_try_budget", default=None)


class _BudgetSpent(Exception):
    """A robots.txt fetch ran out of its try's budget; never leaves this module."""


def _worth_retrying(status: int) -> bool:
    """429 and 5xx: the server is busy or broken, not refusing."""
    return status == 429 or status >= 500


def _require_http(url: str, *, redirected_from: str | None = None) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in {"http", "https"}:
        where = f" (redirect from {redirected_from})" if redirected_from else ""
        raise FetchError(f"fetch: refusing non-HTTP URL {url}{where}", url=url)

