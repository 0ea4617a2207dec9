"""The total deadline covers connect, headers and body, and robots.txt within a try.

Servers here drip for a bounded time (well past the deadline) and then answer
in full, so a fetch that ignores the deadline ends with a 200 and fails the
test instead of hanging it.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

import pytest

from babelwire.errors import FetchTimeout, RobotsDisallowed

DEADLINE_S = 1.5
LINE_EVERY_S = 0.5
#: Header lines sent before the response ends: 10 s of dripping.
LINES = 20


def slow_headers(handler: Any) -> None:
    """One header line every half second, each one well inside the read timeout."""
    with contextlib.suppress(OSError):  # the client hung up, as it should
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n")
        for n in range(LINES):
            time.sleep(LINE_EVERY_S)
            handler.wfile.write(f"X-Drip-{n}: {n}\r\n".encode())
        # No body: nothing after the headers gives a late deadline check a chance.
        handler.wfile.write(b"Content-Length: 0\r\n\r\n")


def slow_start(handler: Any) -> None:
    """Silence for longer than the deadline, then a whole response."""
    time.sleep(LINE_EVERY_S * LINES)
    with contextlib.suppress(OSError):
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate")


@pytest.mark.parametrize("route", [slow_headers, slow_start])
def test_slow_headers_hit_the_total_deadline_on_every_try(
    server: Any, make_fetcher: Any, route: Any
) -> None:
    server.routes["/page"] = route
    fetcher = make_fetcher(total_timeout_s=DEADLINE_S, read_timeout_s=20.0, retries=1)
    with pytest.raises(FetchTimeout) as caught:
        fetcher.get("http://site.test/page", check_robots=False)
    assert str(caught.value) == (
        "fetch: http://site.test/page took longer than the 1.5s total deadline"
    )
    assert caught.value.retryable
    assert server.hits("/page") == 2 and len(make_fetcher.sleeps) == 1


def test_a_slow_read_inside_the_deadline_is_still_a_read_timeout(
    server: Any, make_fetcher: Any
) -> None:
    server.routes["/page"] = slow_start
    fetcher = make_fetcher(total_timeout_s=20.0, read_timeout_s=0.2)
    with pytest.raises(FetchTimeout, match=r"^fetch: timed out waiting for data for http://site"):
        fetcher.get("http://site.test/page", check_robots=False)


def test_robots_txt_is_fetched_within_the_pages_deadline(server: Any, make_fetcher: Any) -> None:
    # robots.txt answers after half the deadline and the page after the other
    # half: each alone fits, together they pass it.
    def half_late(body: bytes) -> Any:
        def route(handler: Any) -> None:
            time.sleep(DEADLINE_S * 0.6)
            with contextlib.suppress(OSError):
                server.respond(handler, 200, body)

        return route

    server.routes["/robots.txt"] = half_late(b"User-agent: *\nAllow: /\n")
    server.routes["/page"] = half_late(b"page")
    fetcher = make_fetcher(total_timeout_s=DEADLINE_S)
    with pytest.raises(FetchTimeout, match=r"took longer than the 1\.5s total deadline"):
        fetcher.get("http://site.test/page")
    # robots.txt was read in time, so it is believed: the next try fetches the page.
    server.route("/page", 200, b"page")
    assert fetcher.get("http://site.test/page").body == b"page"
    assert server.hits("/robots.txt") == 1


def test_robots_txt_cut_by_an_earlier_hop_is_not_cached_as_unreachable(
    server: Any, make_fetcher: Any
) -> None:
    # site.test spends most of the deadline before it redirects; other.test's
    # robots.txt is then cut short by the page's deadline, which says nothing
    # about other.test.
    def slow_redirect(handler: Any) -> None:
        time.sleep(DEADLINE_S * 0.8)
        with contextlib.suppress(OSError):
            server.respond(handler, 302, b"", {"Location": "http://other.test/page"})

    def robots(handler: Any) -> None:
        if handler.headers["Host"] == "other.test":
            time.sleep(DEADLINE_S * 0.5)
        with contextlib.suppress(OSError):
            server.respond(handler, 200, b"User-agent: *\nAllow: /\n")

    server.routes["/go"] = slow_redirect
    server.routes["/robots.txt"] = robots
    server.route("/page", 200, b"page")
    fetcher = make_fetcher(total_timeout_s=DEADLINE_S)
    with pytest.raises(FetchTimeout, match=r"^fetch: http://other\.test/page took longer than"):
        fetcher.get("http://site.test/go")
    try:
        assert fetcher.get("http://other.test/page").body == b"page"
    except RobotsDisallowed as exc:  # pragma: no cover - the failure this test guards
        pytest.fail(f"robots.txt of other.test was cached as unreachable: {exc}")
    assert [s.host for s in server.seen if s.path == "/robots.txt"] == [
        "site.test", "other.test", "other.test"
    ]
