"""robots.txt: parsed rules, RFC 9309 status handling, one fetch per origin."""

from __future__ import annotations

from typing import Any

import pytest

from babelwire.errors import RobotsDisallowed
from babelwire.fetch.robots import RobotsCache

ROBOTS = b"""User-agent: *
Disallow: /private/

User-agent: babelwire
Disallow: /no-bots/
"""


def test_disallowed_paths_raise_and_allowed_ones_pass(server: Any, make_fetcher: Any) -> None:
    server.route("/robots.txt", 200, ROBOTS, {"Content-Type": "text/plain"})
    server.route("/news/1", 200, b"ok")
    server.route("/no-bots/x", 200, b"secret")
    server.route("/private/y", 200, b"ours")
    fetcher = make_fetcher()
    assert fetcher.get("http://site.test/news/1").body == b"ok"
    # Our own group replaces the "*" group (RFC 9309 2.2.1), so /private/ is open to us.
    assert fetcher.get("http://site.test/private/y").body == b"ours"
    with pytest.raises(RobotsDisallowed) as caught:
        fetcher.get("http://site.test/no-bots/x")  # our group, matched by product token
    assert str(caught.value) == (
        "fetch: robots.txt of http://site.test disallows http://site.test/no-bots/x"
    )
    assert not caught.value.retryable
    assert server.hits("/no-bots/x") == 0
    assert server.hits("/robots.txt") == 1  # cached for the origin
    assert fetcher.get("http://site.test/no-bots/x", check_robots=False).body == b"secret"


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_unavailable_robots_allows_everything(server: Any, make_fetcher: Any, status: int) -> None:
    server.route("/robots.txt", status, b"Disallow: /")
    server.route("/a", 200, b"a")
    assert make_fetcher().get("http://site.test/a").body == b"a"


@pytest.mark.parametrize("status", [429, 500, 503])
def test_unreachable_robots_disallows_for_the_run(
    server: Any, make_fetcher: Any, status: int
) -> None:
    server.route("/robots.txt", status, b"")
    server.route("/a", 200, b"a")
    fetcher = make_fetcher(retries=2)
    for _ in range(2):
        with pytest.raises(RobotsDisallowed, match=rf"unreachable \(HTTP {status}\)") as caught:
            fetcher.get("http://site.test/a")
        assert caught.value.retryable  # a later run may succeed
        assert "http://site.test/a" in str(caught.value)
    assert server.hits("/robots.txt") == 1 and server.hits("/a") == 0
    assert make_fetcher.sleeps == []  # nothing retried within the run


def test_robots_behind_a_redirect_is_followed(server: Any, make_fetcher: Any) -> None:
    server.route("/robots.txt", 301, b"", {"Location": "/real-robots.txt"})
    server.route("/real-robots.txt", 200, b"User-agent: *\nDisallow: /\n")
    with pytest.raises(RobotsDisallowed):
        make_fetcher().get("http://site.test/anything")


def test_redirect_hop_into_a_disallowed_path_is_refused(server: Any, make_fetcher: Any) -> None:
    server.route("/robots.txt", 200, ROBOTS)
    server.route("/go", 302, b"", {"Location": "/no-bots/page"})
    server.route("/no-bots/page", 200, b"secret")
    with pytest.raises(RobotsDisallowed, match="/no-bots/page"):
        make_fetcher().get("http://site.test/go")
    assert server.hits("/no-bots/page") == 0


def test_cache_expires_after_its_ttl() -> None:
    now = [0.0]
    fetched: list[str] = []

    def get(url: str) -> tuple[int, bytes]:
        fetched.append(url)
        return 200, b"User-agent: *\nDisallow: /x\n"

    cache = RobotsCache(get, user_agent="babelwire/1", monotonic=lambda: now[0], ttl_s=60.0)
    cache.check("http://a.test/ok")
    cache.check("http://A.test/other")
    with pytest.raises(RobotsDisallowed):
        cache.check("http://a.test/x")
    cache.check("https://a.test/ok")  # another origin: another file
    assert fetched == ["http://a.test/robots.txt", "https://a.test/robots.txt"]
    now[0] = 61.0
    cache.check("http://a.test/ok")
    assert fetched[-1] == "http://a.test/robots.txt" and len(fetched) == 3
