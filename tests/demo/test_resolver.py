"""The demo resolver sends demo hosts to the replay server and nothing else."""

from __future__ import annotations

import pytest

from babelwire.demo import WORLD_DIR
from babelwire.demo.resolver import PRIVATE_HOSTS, DemoResolver, demo_hosts


def test_demo_hosts_are_the_world_folders() -> None:
    hosts = demo_hosts(WORLD_DIR)
    assert {"news-ru.un.demo.test", "mfa.cn.demo.test", "bcra.demo.test"} <= hosts
    assert all(h.endswith(".demo.test") for h in hosts)
    assert not hosts & set(PRIVATE_HOSTS)


def test_world_hosts_resolve_to_the_server_port_whatever_the_url_port() -> None:
    resolver = DemoResolver.for_world(WORLD_DIR, server_port=43210)
    for host in demo_hosts(WORLD_DIR):
        assert resolver.resolve(host, 80) == [("127.0.0.1", 43210)]
    assert resolver.resolve("News-RU.UN.demo.test.", 443) == [("127.0.0.1", 43210)]


def test_intranet_resolves_to_a_private_address() -> None:
    resolver = DemoResolver.for_world(WORLD_DIR, server_port=43210)
    assert resolver.resolve("intranet.demo.test", 80) == [("10.0.0.5", 80)]


def test_literal_addresses_resolve_to_themselves() -> None:
    resolver = DemoResolver(frozenset(), server_port=1)
    assert resolver.resolve("10.0.0.5", 80) == [("10.0.0.5", 80)]
    assert resolver.resolve("[::1]", 8080) == [("::1", 8080)]


@pytest.mark.parametrize("host", ["example.org", "localhost", "other.demo.test", ""])
def test_anything_else_fails_like_getaddrinfo(host: str) -> None:
    resolver = DemoResolver.for_world(WORLD_DIR, server_port=43210)
    with pytest.raises(OSError, match="not a host of the demo world"):
        resolver.resolve(host, 80)
