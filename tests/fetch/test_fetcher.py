"""Fetcher behaviour against a loopback server: headers, redirects, statuses, retries."""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from babelwire.errors import (
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    TooManyRedirects,
)


def test_sends_our_headers_and_fills_fetched(server: Any, make_fetcher: Any) -> None:
    body = "<html><head><meta charset='windows-1251'></head>Привет</html>".encode("cp1251")
    headers = {
        "Content-Type": "text/html",
        "ETag": '"v1"',
        "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT",
    }
    server.route("/page", 200, body, headers)
    fetched = make_fetcher(user_agent="babelwire-test/9").get("http://site.test/page")
    sent = server.seen[-1].headers
    assert sent["user-agent"] == "babelwire-test/9"
    assert sent["accept-encoding"] == "gzip, deflate, br"
    assert sent["accept"].startswith("text/html")
    assert "if-none-match" not in sent
    assert (fetched.status, fetched.body, fetched.final_url) == (200, body, "http://site.test/page")
    assert (fetched.charset, fetched.charset_source) == ("cp1251", "meta")
    assert fetched.text.endswith("Привет</html>")
    assert (fetched.etag, fetched.last_modified) == ('"v1"', "Mon, 01 Jan 2024 00:00:00 GMT")
    assert fetched.content_type == "text/html"
    assert fetched.header("ETag") == '"v1"'
    assert fetched.redirects == ()
    assert fetched.warc_file is None and not fetched.not_modified
    assert fetched.fetched_at.tzinfo is not None


def test_accept_can_be_chosen_per_request(server: Any, make_fetcher: Any) -> None:
    server.route("/feed", 200, b"<rss/>", {"Content-Type": "application/rss+xml"})
    fetched = make_fetcher().get("http://site.test/feed", accept="application/rss+xml")
    assert server.seen[-1].headers["accept"] == "application/rss+xml"
    assert fetched.charset == "utf-8"


def test_binary_bodies_get_no_charset(server: Any, make_fetcher: Any) -> None:
    server.route("/doc.pdf", 200, b"%PDF-1.7 \xff\xfe", {"Content-Type": "application/pdf"})
    fetched = make_fetcher().get("http://site.test/doc.pdf")
    assert fetched.charset is None and fetched.charset_source is None


def test_conditional_get_and_304(server: Any, make_fetcher: Any) -> None:
    server.route("/feed", 304, b"", {"ETag": '"v2"'})
    fetched = make_fetcher().get(
        "http://site.test/feed", etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT"
    )
    sent = server.seen[-1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert fetched.not_modified and fetched.body == b"" and fetched.status == 304
    assert fetched.etag == '"v2"'
    assert fetched.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT"  # kept from the request


def test_redirect_chain_is_followed_and_recorded(server: Any, make_fetcher: Any) -> None:
    server.route("/a", 301, b"", {"Location": "http://other.test/b"})
    server.route("/b", 307, b"moved", {"Location": "../c?x=1#frag"})
    server.route("/c?x=1", 200, b"done", {"Content-Type": "text/plain"})
    fetched = make_fetcher().get("http://site.test/a")
    assert fetched.body == b"done"
    assert fetched.final_url == "http://other.test/c?x=1"
    assert fetched.redirects == ("http://site.test/a", "http://other.test/b")
    assert [s.host for s in server.seen if not s.path.endswith("robots.txt")] == [
        "site.test",
        "other.test",
        "other.test",
    ]
    # robots.txt was asked once per origin, at the hop that entered it
    assert [s.host for s in server.seen if s.path == "/robots.txt"] == ["site.test", "other.test"]


def test_redirect_limit(server: Any, make_fetcher: Any) -> None:
    for n in range(5):
        server.route(f"/r{n}", 302, b"", {"Location": f"/r{n + 1}"})
    server.route("/r5", 200, b"end")
    assert make_fetcher(max_redirects=5).get("http://site.test/r0").body == b"end"
    with pytest.raises(TooManyRedirects, match=r"more than 4 redirects from http://site\.test/r0"):
        make_fetcher(max_redirects=4).get("http://site.test/r0")


def test_redirect_loop_stops(server: Any, make_fetcher: Any) -> None:
    server.route("/x", 302, b"", {"Location": "/y"})
    server.route("/y", 302, b"", {"Location": "/x"})
    with pytest.raises(TooManyRedirects):
        make_fetcher().get("http://site.test/x")


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://site.test/x", "gopher://a/"])
def test_redirect_to_other_schemes_is_refused(server: Any, make_fetcher: Any, target: str) -> None:
    server.route("/go", 302, b"", {"Location": target})
    with pytest.raises(FetchError, match=r"refusing non-HTTP URL .*redirect from http://site"):
        make_fetcher().get("http://site.test/go")


def test_non_http_url_is_refused_up_front(make_fetcher: Any) -> None:
    with pytest.raises(FetchError, match=r"^fetch: refusing non-HTTP URL file:///etc/passwd$"):
        make_fetcher().get("file:///etc/passwd")


def test_client_errors_are_not_retried(server: Any, make_fetcher: Any) -> None:
    server.route("/gone", 410, b"gone")
    fetcher = make_fetcher(retries=3)
    with pytest.raises(HTTPStatusError) as caught:
        fetcher.get("http://site.test/gone")
    assert caught.value.status == 410 and not caught.value.retryable
    assert str(caught.value) == "fetch: HTTP 410 for http://site.test/gone"
    assert server.hits("/gone") == 1 and make_fetcher.sleeps == []


def test_server_errors_are_retried_with_jittered_backoff(server: Any, make_fetcher: Any) -> None:
    server.route("/flaky", 503, b"busy")
    with pytest.raises(HTTPStatusError) as caught:
        make_fetcher(retries=3, backoff_base_s=2.0).get("http://site.test/flaky")
    assert caught.value.status == 503 and caught.value.retryable
    assert server.hits("/flaky") == 4
    assert len(make_fetcher.sleeps) == 3
    for n, slept in enumerate(make_fetcher.sleeps):
        assert 0.0 <= slept <= 2.0 * 2**n


def test_recovers_after_a_server_error(server: Any, make_fetcher: Any) -> None:
    answers = iter([(500, b"oops"), (200, b"fine")])
    server.routes["/p"] = lambda h: server.respond(h, *next(answers))
    assert make_fetcher(retries=2).get("http://site.test/p").body == b"fine"
    assert server.hits("/p") == 2


def test_retry_after_seconds_and_date_are_honoured_and_capped(
    server: Any, make_fetcher: Any
) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    answers = iter(
        [
            (429, b"", {"Retry-After": "7"}),
            (503, b"", {"Retry-After": later}),
            (429, b"", {"Retry-After": "86400"}),
            (200, b"ok", {}),
        ]
    )
    server.routes["/limited"] = lambda h: server.respond(h, *next(answers))
    fetched = make_fetcher(retries=3, max_retry_after_s=60.0).get("http://site.test/limited")
    assert fetched.body == b"ok"
    first, second, third = make_fetcher.sleeps
    assert first == 7.0
    assert 20.0 < second <= 30.0
    assert third == 60.0


def test_read_timeout_is_retryable_and_names_the_url(server: Any, make_fetcher: Any) -> None:
    def slow(handler: Any) -> None:
        time.sleep(1.0)
        with contextlib.suppress(OSError):  # the client gave up, as it should
            server.respond(handler, 200, b"late")

    server.routes["/slow"] = slow
    fetcher = make_fetcher(read_timeout_s=0.05, retries=1)
    with pytest.raises(FetchTimeout) as caught:
        fetcher.get("http://site.test/slow", check_robots=False)
    assert caught.value.retryable
    assert "http://site.test/slow" in str(caught.value)
    assert str(caught.value).startswith("fetch: timed out")
    assert server.hits("/slow") == 2  # tried again once


def test_total_deadline_stops_a_slow_drip(server: Any, make_fetcher: Any) -> None:
    def drip(handler: Any) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        try:
            for _ in range(1000):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.01)
        except OSError:
            pass  # the client gave up, as it should

    server.routes["/drip"] = drip
    fetcher = make_fetcher(read_timeout_s=5.0, total_timeout_s=0.2)
    with pytest.raises(FetchTimeout, match=r"http://site\.test/drip took longer than the 0\.2s"):
        fetcher.get("http://site.test/drip", check_robots=False)


def test_refused_connection_is_a_retryable_connection_failure(make_fetcher: Any) -> None:
    import socket

    with socket.socket() as probe:  # a loopback port with nobody listening
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    make_fetcher.extra_hosts["closed.test"] = [("127.0.0.1", closed_port)]
    make_fetcher.allowed_hosts.add("closed.test")
    fetcher = make_fetcher(retries=1)
    with pytest.raises(ConnectionFailed) as caught:
        fetcher.get("http://closed.test/", check_robots=False)
    assert caught.value.retryable and "http://closed.test/" in str(caught.value)
    assert len(make_fetcher.sleeps) == 1


def test_fetcher_is_a_context_manager(server: Any, make_fetcher: Any) -> None:
    server.route("/a", 200, b"x")
    with make_fetcher() as fetcher:
        assert fetcher.get("http://site.test/a").body == b"x"
