"""The replay server: virtual hosts, conditional GET, behaviours, counters."""

from __future__ import annotations

import gzip
import http.client
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from babelwire.demo import WORLD_DIR
from babelwire.demo.behaviours import load_behaviours
from babelwire.demo.server import ReplayServer
from babelwire.errors import ConfigError

UN = "news-ru.un.demo.test"
UN_FEED = "/feed/subscribe/ru/news/all/rss.xml"
RATE_LIMITED = "/ru/story/2025/12/1466729"


@pytest.fixture(scope="module")
def server() -> Iterator[ReplayServer]:
    # delay_scale=0: the slow endpoint keeps its behaviour without the wait.
    with ReplayServer(WORLD_DIR, delay_scale=0.0) as srv:
        yield srv


@dataclass(frozen=True)
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def getheader(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)


def get(srv: ReplayServer, host: str, path: str, method: str = "GET", **headers: str) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request(method, path, headers={"Host": host, **headers})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


def body(reply: Reply) -> bytes:
    return reply.body


def test_binds_loopback_on_an_os_chosen_port(server: ReplayServer) -> None:
    assert server.port > 0
    assert server._httpd is not None and server._httpd.server_address[0] == "127.0.0.1"


def test_serves_by_host_header_and_ignores_the_port(server: ReplayServer) -> None:
    un = get(server, f"{UN}:8080", "/robots.txt")
    president = get(server, "president.ru.demo.test", "/robots.txt")
    assert un.status == president.status == 200
    assert b"/internal/" in body(president) and b"/internal/" not in body(un)
    assert un.getheader("Content-Type") == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("unknown.demo.test", "/robots.txt"),
        ("example.org", "/"),
        (UN, "/no/such/page"),
        (UN, "/../president.ru.demo.test/robots.txt"),
        (UN, "/%2e%2e/president.ru.demo.test/robots.txt"),
        ("..", "/world/behaviours.toml"),
    ],
)
def test_unknown_hosts_paths_and_escapes_are_404(
    server: ReplayServer, host: str, path: str
) -> None:
    assert get(server, host, path).status == 404


def test_extensionless_and_directory_paths_find_their_files(server: ReplayServer) -> None:
    article = get(server, UN, "/ru/story/2025/12/1466781")
    assert article.status == 200
    assert article.getheader("Content-Type") == "text/html; charset=utf-8"
    assert "МООНСИ".encode() in body(article)
    us = get(
        server,
        "state.us.demo.test",
        "/releases/office-of-the-spokesperson/2025/12/human-rights-day-2025/",
    )
    assert us.status == 200 and b"Human Rights Day 2025" in body(us)


def test_legacy_charset_pages_name_no_charset_in_the_header(server: ReplayServer) -> None:
    page = get(server, "president.ru.demo.test", "/events/president/news/78431")
    assert page.getheader("Content-Type") == "text/html"
    assert b'charset=windows-1251"' in body(page)
    assert "Конституции".encode("cp1251") in body(page)


def test_head_sends_the_headers_of_get_without_a_body(server: ReplayServer) -> None:
    full = get(server, UN, UN_FEED)
    head = get(server, UN, UN_FEED, method="HEAD")
    assert head.status == 200 and body(head) == b""
    assert head.getheader("Content-Length") == str(len(body(full)))
    assert head.getheader("ETag") == full.getheader("ETag")
    assert full.getheader("Content-Type") == "application/rss+xml; charset=utf-8"


def test_conditional_get_answers_304(server: ReplayServer) -> None:
    first = get(server, UN, UN_FEED)
    etag, last_modified = first.getheader("ETag"), first.getheader("Last-Modified")
    assert etag and last_modified
    assert get(server, UN, UN_FEED, **{"If-None-Match": etag}).status == 304
    assert get(server, UN, UN_FEED, **{"If-None-Match": f'"other", W/{etag}'}).status == 304
    assert get(server, UN, UN_FEED, **{"If-Modified-Since": last_modified}).status == 304
    assert get(server, UN, UN_FEED, **{"If-None-Match": '"stale"'}).status == 200
    older = "Mon, 01 Dec 2025 00:00:00 GMT"
    assert get(server, UN, UN_FEED, **{"If-Modified-Since": older}).status == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    both = {"If-None-Match": '"stale"', "If-Modified-Since": last_modified}
    assert get(server, UN, UN_FEED, **both).status == 200
    not_modified = get(server, UN, UN_FEED, **{"If-None-Match": etag})
    assert body(not_modified) == b"" and not_modified.getheader("ETag") == etag


def test_rate_limited_page_answers_429_once_then_200() -> None:
    with ReplayServer(WORLD_DIR, delay_scale=0.0) as srv:
        first = get(srv, UN, RATE_LIMITED)
        assert first.status == 429
        assert first.getheader("Retry-After") == "1"
        second = get(srv, UN, RATE_LIMITED)
        assert second.status == 200 and "Дню прав человека".encode() in body(second)
        assert srv.hits(UN, RATE_LIMITED) == 2
        srv.reset()  # re-arms the behaviour
        assert get(srv, UN, RATE_LIMITED).status == 429


def test_gzip_only_for_clients_that_accept_it(server: ReplayServer) -> None:
    host, path = "state.us.demo.test", "/rss-feed/press-releases/feed.xml"
    plain = get(server, host, path)
    zipped = get(server, host, path, **{"Accept-Encoding": "gzip, deflate"})
    refused = get(server, host, path, **{"Accept-Encoding": "gzip;q=0, identity"})
    assert plain.getheader("Content-Encoding") is None
    assert refused.getheader("Content-Encoding") is None
    assert zipped.getheader("Content-Encoding") == "gzip"
    assert zipped.getheader("Vary") == "Accept-Encoding"
    assert gzip.decompress(body(zipped)) == body(plain)
    assert zipped.getheader("ETag") != plain.getheader("ETag")
    assert body(plain).startswith(b"<?xml")


def test_redirects_point_at_private_addresses(server: ReplayServer) -> None:
    fr = get(server, "diplomatie.fr.demo.test", "/fr/lien/rapport-annuel-2025")
    us = get(server, "state.us.demo.test", "/briefings/department-press-briefing-december-11-2025/")
    assert fr.status == us.status == 302
    assert (fr.getheader("Location") or "").startswith("http://intranet.demo.test/")
    assert (us.getheader("Location") or "").startswith("http://10.0.0.5/")


def test_slow_endpoint_is_configured_and_still_answers(server: ReplayServer) -> None:
    path = "/fr/actualites/article/triangle-de-weimar-reunion-des-ministres"
    behaviour = server.behaviours.get("diplomatie.fr.demo.test", path)
    assert behaviour is not None and behaviour.delay_s >= 3
    assert get(server, "diplomatie.fr.demo.test", path).status == 200


def test_hits_are_counted_per_host_and_path_across_threads() -> None:
    with ReplayServer(WORLD_DIR) as srv:
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _: get(srv, UN, "/robots.txt?x=1").status, range(40)))
        assert statuses == [200] * 40
        assert srv.hits(UN, "/robots.txt") == 40
        assert srv.hits("president.ru.demo.test", "/robots.txt") == 0
        assert srv.requested_paths(UN) == frozenset({"/robots.txt"})
        assert srv.total_hits() == 40


def test_stop_releases_the_port() -> None:
    srv = ReplayServer(WORLD_DIR).start()
    port = srv.port
    srv.stop()
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()


def test_bad_behaviour_tables_are_refused(tmp_path: Path) -> None:
    table = tmp_path / "behaviours.toml"
    table.write_text('[[behaviour]]\nhost = "a.demo.test"\npath = "/x"\nstauts = 429\n')
    with pytest.raises(ConfigError, match="unknown keys"):
        load_behaviours(table)
    table.write_text('[[behaviour]]\nhost = "a.demo.test"\npath = "/x"\nencoding = "br"\n')
    with pytest.raises(ConfigError, match="encoding"):
        load_behaviours(table)
    table.write_text('[defaults]\nlast_modified = "yesterday"\n')
    with pytest.raises(ConfigError, match="not an HTTP date"):
        load_behaviours(table)
    assert len(list(load_behaviours(tmp_path / "absent.toml"))) == 0
