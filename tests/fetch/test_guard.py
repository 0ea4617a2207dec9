"""The address guard: refusal after DNS, before any socket, on every hop."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import httpcore
import pytest

from babelwire.errors import BlockedAddress, ConnectionFailed
from babelwire.fetch import AddressPolicy, StaticResolver, SystemResolver
from babelwire.fetch.guard import GuardedBackend, host_address, refusal_reason


@pytest.mark.parametrize(
    ("ip", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.5", "private"),
        ("172.16.3.4", "private"),
        ("192.168.1.1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("100.64.1.1", "carrier-grade NAT"),
        ("240.0.0.1", "reserved"),
        ("::ffff:10.0.0.5", "private"),  # IPv4-mapped
        ("2002:a00:5::1", "private"),  # 6to4 wrapping 10.0.0.5
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 wrapping 169.254.169.254
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_refusal_reason(ip: str, reason: str | None) -> None:
    assert refusal_reason(ipaddress.ip_address(ip)) == reason


def test_policy_names_the_address_and_host() -> None:
    with pytest.raises(BlockedAddress, match=r"^fetch: refusing private address 10\.0\.0\.5 "):
        AddressPolicy().check("evil.example", "10.0.0.5")


def test_policy_allows_listed_hosts_and_everything_when_asked() -> None:
    AddressPolicy(private_allowed_hosts=frozenset({"site.test"})).check("SITE.test", "127.0.0.1")
    AddressPolicy(allow_all_private=True).check("x.example", "10.0.0.5")
    AddressPolicy().check("public.example", "93.184.216.34")
    with pytest.raises(BlockedAddress):
        AddressPolicy(private_allowed_hosts=frozenset({"site.test"})).check("x.test", "127.0.0.1")


def test_static_resolver_raises_oserror_for_unknown_hosts() -> None:
    resolver = StaticResolver({"a.test": [("127.0.0.1", 8080)]})
    assert resolver.resolve("A.TEST", 80) == [("127.0.0.1", 8080)]
    with pytest.raises(OSError):
        resolver.resolve("b.test", 80)


class ConnectSpy:
    """Records every attempt to open a socket, and refuses it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.attempts: list[Any] = []
        monkeypatch.setattr(socket, "create_connection", self._refuse)
        monkeypatch.setattr(socket.socket, "connect", self._refuse)

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        self.attempts.append(args)
        raise AssertionError("a socket connect was attempted")


def test_private_resolution_is_refused_before_any_connect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spy = ConnectSpy(monkeypatch)
    backend = GuardedBackend(StaticResolver({"evil.example": [("10.0.0.5", 80)]}), AddressPolicy())
    with pytest.raises(BlockedAddress, match=r"10\.0\.0\.5"):
        backend.connect_tcp("evil.example", 80, timeout=1.0)
    assert spy.attempts == []


def test_one_private_address_among_public_ones_refuses_the_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spy = ConnectSpy(monkeypatch)
    table = {"mixed.example": [("93.184.216.34", 80), ("192.168.0.1", 80)]}
    backend = GuardedBackend(StaticResolver(table), AddressPolicy())
    with pytest.raises(BlockedAddress, match=r"192\.168\.0\.1"):
        backend.connect_tcp("mixed.example", 80, timeout=1.0)
    assert spy.attempts == []


def test_fetcher_refuses_private_host_without_connecting(
    make_fetcher: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_fetcher.extra_hosts["evil.example"] = [("10.0.0.5", 80)]
    fetcher = make_fetcher()
    spy = ConnectSpy(monkeypatch)
    with pytest.raises(BlockedAddress) as caught:
        fetcher.get("http://evil.example/secret", check_robots=False)
    assert "http://evil.example/secret" in str(caught.value)
    assert str(caught.value).startswith("fetch: refusing private address 10.0.0.5")
    with pytest.raises(BlockedAddress):
        fetcher.get("http://evil.example/secret")  # the robots.txt fetch is guarded too
    with pytest.raises(BlockedAddress, match=r"169\.254\.169\.254"):
        fetcher.get("http://169.254.169.254/latest/meta-data/")  # IP literal, no DNS
    assert spy.attempts == []


def test_allowed_host_reaches_loopback_on_the_resolved_port(server: Any, make_fetcher: Any) -> None:
    # The URL says port 80; the resolver says the server's ephemeral port.
    server.route("/hello", 200, b"hi", {"Content-Type": "text/plain"})
    fetched = make_fetcher().get("http://site.test/hello")
    assert fetched.body == b"hi"
    assert server.seen[-1].host == "site.test"


def test_each_connection_resolves_once(server: Any, make_fetcher: Any) -> None:
    """The backend asks the resolver itself; nothing else looks the name up."""
    calls: list[tuple[str, int]] = []

    class CountingResolver(StaticResolver):
        def resolve(self, host: str, port: int) -> list[tuple[str, int]]:
            calls.append((host, port))
            return super().resolve(host, port)

    backend = GuardedBackend(
        CountingResolver({"site.test": [("127.0.0.1", server.port)]}),
        AddressPolicy(private_allowed_hosts=frozenset({"site.test"})),
    )
    stream = backend.connect_tcp("site.test", 80, timeout=2.0)
    stream.close()
    assert calls == [("site.test", 80)]


def test_unknown_host_is_a_connection_failure(make_fetcher: Any) -> None:
    with pytest.raises(ConnectionFailed, match=r"nowhere\.test"):
        make_fetcher().get("http://nowhere.test/", check_robots=False)


@pytest.mark.parametrize(
    ("location", "check_robots", "refusal"),
    [
        ("http://10.0.0.5/admin", False, r"private address 10\.0\.0\.5"),
        ("http://metadata.example/latest/", True, r"link-local address 169\.254\.169\.254"),
        ("http://metadata.example/latest/", False, r"link-local address 169\.254\.169\.254"),
    ],
)
def test_redirect_to_a_private_target_is_refused_at_the_hop(
    server: Any,
    make_fetcher: Any,
    monkeypatch: pytest.MonkeyPatch,
    location: str,
    check_robots: bool,
    refusal: str,
) -> None:
    make_fetcher.extra_hosts["metadata.example"] = [("169.254.169.254", 80)]
    server.route("/go", 301, b"", {"Location": location})
    fetcher = make_fetcher()
    real_connect = httpcore.SyncBackend.connect_tcp
    targets: list[str] = []

    def spy(self: Any, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        targets.append(host)
        return real_connect(self, host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", spy)
    with pytest.raises(BlockedAddress, match=refusal):
        fetcher.get("http://site.test/go", check_robots=check_robots)
    assert server.hits("/go") == 1
    assert targets and set(targets) == {"127.0.0.1"}  # only ever the loopback server


def test_system_resolver_returns_ip_port_pairs() -> None:
    # A numeric host is answered locally by getaddrinfo: no DNS traffic.
    assert SystemResolver().resolve("127.0.0.1", 8080) == [("127.0.0.1", 8080)]


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),  # decimal
        ("0177.0.0.1", "127.0.0.1"),  # octal
        ("0x7f.0.0.1", "127.0.0.1"),  # hex
        ("0X7F000001", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),  # short forms: the last part fills the rest
        ("127.0.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("0", "0.0.0.0"),
        ("127.0.0.1.", "127.0.0.1"),  # a trailing dot, as in a rooted name
        ("4294967295", "255.255.255.255"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),  # IPv4-mapped
        ("[::1]", "::1"),
        ("fe80::1%eth0", "fe80::1"),
        ("example.org", None),
        ("127.0.0.1.example.org", None),
        ("4294967296", None),  # over 32 bits: a name to a resolver as well
        ("256.0.0.1", None),
        ("1.2.3.4.5", None),
        ("08.0.0.1", None),  # not octal
        ("1e3", None),
        ("[not::an::address]", None),
    ],
)
def test_host_address_reads_hosts_as_inet_aton_does(host: str, address: str | None) -> None:
    parsed = host_address(host)
    assert (str(parsed) if parsed is not None else None) == address


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "127.1", "0177.0.1", "[::ffff:7f00:1]"])
def test_numeric_spellings_of_loopback_are_refused_without_lookup_or_connect(
    make_fetcher: Any, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    looked_up: list[str] = []

    class Recording(StaticResolver):
        def resolve(self, name: str, port: int) -> list[tuple[str, int]]:
            looked_up.append(name)
            return super().resolve(name, port)

    backend = GuardedBackend(Recording({}), AddressPolicy())
    spy = ConnectSpy(monkeypatch)
    with pytest.raises(BlockedAddress, match=r"^fetch: refusing loopback address "):
        backend.connect_tcp(host.strip("[]"), 80, timeout=1.0)
    fetcher = make_fetcher(retries=2)
    with pytest.raises(BlockedAddress, match=r"^fetch: refusing loopback address "):
        fetcher.get(f"http://{host}/", check_robots=False)
    assert spy.attempts == [] and looked_up == [] and make_fetcher.sleeps == []


def test_redirect_to_a_numeric_private_address_is_one_line_naming_it(
    server: Any, make_fetcher: Any
) -> None:
    server.route("/go", 302, b"", {"Location": "http://2130706433/admin"})
    fetcher = make_fetcher(retries=2)
    with pytest.raises(BlockedAddress) as caught:
        fetcher.get("http://site.test/go")
    assert str(caught.value) == (
        "fetch: refusing loopback address 127.0.0.1 for host 2130706433 "
        "(http://2130706433/admin), redirected from http://site.test/go"
    )
    assert server.hits("/go") == 1 and make_fetcher.sleeps == []
