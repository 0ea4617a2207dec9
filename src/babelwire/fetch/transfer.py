"""One HTTP exchange: send a GET, stream the body within its caps, decode it.

This is the only module that calls httpx, so it is where httpx's exceptions
become :mod:`babelwire.errors`. Redirects, robots.txt, retries and the
archive are the Fetcher's business; here a 3xx is just a response.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpcore
import httpx

from babelwire.errors import BlockedAddress, ConnectionFailed, FetchError, FetchTimeout, TooLarge
from babelwire.fetch.deadline import Deadline, running
from babelwire.fetch.decode import BodyDecoder
from babelwire.fetch.guard import AddressPolicy, GuardedBackend, Resolver
from babelwire.settings import Settings

ACCEPT_ENCODING = "gzip, deflate, br"
# A host as httpx leaves it: lower case, IDNA-encoded, IPv6 without brackets.
_HOST_NAME = re.compile(r"[a-z0-9_.-]+")
DEFAULT_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@dataclass(frozen=True, slots=True)
class Exchange:
    """A response as received, before the Fetcher decides what it means."""

    url: str
    status: int
    #: Response headers with their names as sent, in order.
    headers: tuple[tuple[str, str], ...]
    #: The body after Content-Encoding was undone.
    body: bytes
    request_headers: tuple[tuple[str, str], ...]
    fetched_at: datetime
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_record_id: str | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


def build_client(settings: Settings, resolver: Resolver, policy: AddressPolicy) -> httpx.Client:
    """The one client of a Fetcher: guarded connections, no redirects, no proxies.

    httpx has no public hook for the connection step, so the transport's
    connection pool is replaced by one built on :class:`GuardedBackend`
    (``_pool`` is private: httpx is pinned below 0.29 for this reason).
    ``trust_env=False`` keeps proxy variables from routing around the guard.
    """
    transport = httpx.HTTPTransport(trust_env=False)
    transport._pool.close()
    pool_size = max(10, settings.workers * max(1, settings.per_host_concurrency))
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=pool_size,
        max_keepalive_connections=pool_size,
        keepalive_expiry=30.0,
        network_backend=GuardedBackend(resolver, policy),
    )
    headers = {
        "User-Agent": settings.user_agent,
        "Accept": DEFAULT_ACCEPT,
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    return httpx.Client(
        transport=transport,
        headers=headers,
        follow_redirects=False,
        trust_env=False,
        event_hooks={"response": [_vet_location]},
    )


def redirect_target(base: str, location: str) -> str:
    """The absolute URL a ``Location`` header sent from ``base`` points to, fragment dropped.

    A header that is not a URL (a tab or a space inside, a host such as
    ``0177.0.0.1`` that is neither a name nor a plain address) is refused
    for good: asking again gets the same header.
    """
    try:
        httpx.URL(location)  # as httpx reads it, before the Fetcher sees the response
        target = httpx.URL(base).join(location.strip()).copy_with(fragment=None)
    except (httpx.InvalidURL, ValueError) as exc:
        why = _one_line(exc)
    else:
        # httpx percent-encodes what a host name cannot hold ("http:// a/"
        # becomes "%20a"); no resolver can answer for such a name. Other
        # schemes are the Fetcher's to refuse.
        host = target.host
        if target.scheme not in ("http", "https") or ":" in host or _HOST_NAME.fullmatch(host):
            return str(target)
        why = f"host {host!r} is not a name or an address"
    raise FetchError(
        f"fetch: refusing redirect from {base}: bad Location {location!r} ({why})", url=base
    )


def _vet_location(response: httpx.Response) -> None:
    """Refuse a bad ``Location`` here, before httpx parses it for its own redirect logic.

    Even with redirects off, httpx builds the next request and reports a bad
    header as a protocol error, which reads as a network failure and would
    be retried.
    """
    if response.has_redirect_location:
        redirect_target(str(response.request.url), response.headers["location"])


def exchange(
    client: httpx.Client,
    url: str,
    *,
    headers: dict[str, str],
    settings: Settings,
    deadline: float,
    monotonic: Callable[[], float],
    clock: Callable[[], datetime],
) -> Exchange:
    """Send one GET and read the whole body; raise FetchError subclasses only."""
    remaining_s = deadline - monotonic()
    if remaining_s <= 0:
        raise deadline_error(url, settings)
    # No single wait may outlast the request's total deadline.
    timeout = httpx.Timeout(
        connect=min(settings.connect_timeout_s, remaining_s),
        read=min(settings.read_timeout_s, remaining_s),
        write=min(settings.read_timeout_s, remaining_s),
        pool=remaining_s,
    )
    watch = Deadline(deadline, monotonic)
    try:
        request = client.build_request("GET", url, headers=headers, timeout=timeout)
        # Every wait on the socket, headers included, ends by the deadline.
        with running(watch):
            response = client.send(request, stream=True)
            try:
                fetched_at = clock()
                body = _read_body(response, url, settings, deadline, monotonic)
            finally:
                response.close()
    except BlockedAddress as exc:
        raise BlockedAddress(f"{exc} ({url})", url=url) from None
    except httpx.InvalidURL as exc:
        raise FetchError(f"fetch: invalid URL {url}: {exc}", url=url) from None
    except httpx.TimeoutException as exc:
        raise deadline_error(url, settings) if watch.cut else _mapped(exc, url) from None
    except httpx.HTTPError as exc:
        raise _mapped(exc, url) from None
    except OSError as exc:
        raise ConnectionFailed(
            f"fetch: network error for {url}: {_one_line(exc)}", url=url
        ) from None
    return Exchange(
        url=url,
        status=response.status_code,
        headers=tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw),
        body=body,
        request_headers=tuple(
            (k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw
        ),
        fetched_at=fetched_at,
    )


def _read_body(
    response: httpx.Response,
    url: str,
    settings: Settings,
    deadline: float,
    monotonic: Callable[[], float],
) -> bytes:
    """Stream the raw body, enforcing the wire cap, the bomb cap and the deadline."""
    max_body_bytes = settings.max_body_bytes
    announced = response.headers.get("content-length", "").strip()
    if announced.isdigit() and int(announced) > max_body_bytes:
        raise TooLarge(
            f"fetch: {url} announces {announced} bytes, over the cap of {max_body_bytes}", url=url
        )
    decoder: BodyDecoder | None = None
    received_bytes = 0
    # One growing buffer, not pieces joined at the end: a body decoded up to
    # the decompression cap was held twice while the join copied it.
    body = io.BytesIO()
    for chunk in response.iter_raw():
        received_bytes += len(chunk)
        if received_bytes > max_body_bytes:
            raise TooLarge(
                f"fetch: body of {url} passes {max_body_bytes} bytes on the wire", url=url
            )
        if decoder is None:  # built lazily: a 304 or empty body needs no decoder
            decoder = BodyDecoder(
                response.headers.get("content-encoding"),
                max_decompressed_bytes=settings.max_decompressed_bytes,
                url=url,
            )
        body.write(decoder.feed(chunk))
        if monotonic() > deadline:
            raise deadline_error(url, settings)
    return body.getvalue()  # the buffer itself once nothing else refers to it


_TIMEOUT_STEPS: tuple[tuple[type[httpx.TimeoutException], str], ...] = (
    (httpx.ConnectTimeout, "connecting"),
    (httpx.ReadTimeout, "waiting for data"),
    (httpx.WriteTimeout, "sending the request"),
    (httpx.PoolTimeout, "waiting for a free connection"),
)


def _mapped(exc: httpx.HTTPError, url: str) -> FetchError:
    if isinstance(exc, httpx.TimeoutException):
        step = next((s for kind, s in _TIMEOUT_STEPS if isinstance(exc, kind)), "waiting")
        return FetchTimeout(f"fetch: timed out {step} for {url}", url=url)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError):
        return FetchError(f"fetch: cannot request {url}: {_one_line(exc)}", url=url)
    if isinstance(exc, httpx.TransportError):
        return ConnectionFailed(f"fetch: connection failed for {url}: {_one_line(exc)}", url=url)
    return FetchError(f"fetch: HTTP client error for {url}: {_one_line(exc)}", url=url)


def deadline_error(url: str, settings: Settings) -> FetchTimeout:
    return FetchTimeout(
        f"fetch: {url} took longer than the {settings.total_timeout_s:g}s total deadline",
        url=url,
    )


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
