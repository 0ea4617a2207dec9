"""Refusing private addresses, after DNS, at the moment of connecting.

A URL's host name says nothing about where it leads: ``intranet.example``
may resolve to 10.0.0.5, and a public name may be re-pointed between two
lookups (DNS rebinding). So the check lives in the network backend that
httpcore calls to open a socket: it resolves the name once, vets every
address, and connects to the vetted address itself. Nothing else in the
process resolves names for a request.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import httpcore

from babelwire.errors import BlockedAddress
from babelwire.fetch.deadline import DeadlineStream, wait_s

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Carrier-grade NAT space (RFC 6598); Python marks it neither private nor global.
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
# NAT64 well-known prefix (RFC 6052): the last 32 bits are an IPv4 address.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Resolver(Protocol):
    def resolve(self, host: str, port: int) -> list[tuple[str, int]]:
        """Addresses for ``host:port`` as ``(ip, port)`` pairs; OSError when none."""
        ...


class SystemResolver:
    """The operating system's resolver (``getaddrinfo``)."""

    def resolve(self, host: str, port: int) -> list[tuple[str, int]]:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        pairs = [(str(info[4][0]), int(info[4][1])) for info in infos]
        return list(dict.fromkeys(pairs))


class StaticResolver:
    """A fixed table ``{host: [(ip, port), ...]}``, for tests and the demo world.

    The port in the table wins over the one asked for, so ``site.test:80`` can
    lead to a test server on an ephemeral loopback port.
    """

    def __init__(self, table: Mapping[str, Iterable[tuple[str, int]]]) -> None:
        self._table = {host.lower(): list(pairs) for host, pairs in table.items()}

    def resolve(self, host: str, port: int) -> list[tuple[str, int]]:
        pairs = self._table.get(host.lower())
        if not pairs:
            raise OSError(f"no address for {host} in the static resolver")
        return list(pairs)


# One part of a numeric IPv4 host as inet_aton reads it: hex, octal or decimal.
_IPV4_PART = re.compile(r"0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*")


def host_address(host: str) -> IPAddress | None:
    """The IP address a URL host stands for, or None when it is a name.

    Resolvers read more than dotted quads as addresses: ``inet_aton``, which
    ``getaddrinfo`` and browsers follow, takes ``2130706433``, ``0177.0.0.1``,
    ``0x7f.1`` and ``127.1`` all as 127.0.0.1. Every check of a host (the
    fetch guard, the catalog, the API) asks here, so none of those spellings
    passes for a name. IPv6 may come in brackets and with a zone id.
    """
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return None
    return _inet_aton(host.removesuffix("."))


def _inet_aton(host: str) -> ipaddress.IPv4Address | None:
    """1 to 4 numeric parts; the last fills the bytes the others leave (``127.1``)."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(_IPV4_PART.fullmatch(p) for p in parts):
        return None
    numbers = [_ipv4_part(p) for p in parts]
    *leading, last = numbers
    if any(n > 0xFF for n in leading) or last >= 256 ** (5 - len(parts)):
        return None
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _ipv4_part(part: str) -> int:
    if part[:2] in ("0x", "0X"):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part[1:], 8)
    return int(part)


def refusal_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be contacted (e.g. "private"), or None when it is public."""
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return refusal_reason(embedded)
    checks = (
        (ip.is_unspecified, "unspecified"),
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.version == 4 and ip in _CGNAT, "carrier-grade NAT"),
        (ip.is_reserved, "reserved"),
        (ip.is_private, "private"),
        (not ip.is_global, "non-global"),
    )
    return next((reason for refused, reason in checks if refused), None)


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which hosts may reach non-public addresses.

    Only hosts an operator named (the demo world, a test server) or a
    deliberate ``allow_all_private`` get past the refusal.
    """

    allow_all_private: bool = False
    private_allowed_hosts: frozenset[str] = field(default_factory=frozenset)

    def check(self, host: str, ip: str) -> None:
        """Raise BlockedAddress when ``host`` must not be reached at ``ip``."""
        try:
            address = ipaddress.ip_address(ip.split("%", 1)[0])  # drop an IPv6 zone id
        except ValueError:
            raise BlockedAddress(f"fetch: {host} resolved to {ip!r}, not an IP address") from None
        reason = refusal_reason(address)
        if reason is None or self.allow_all_private:
            return
        if host.lower().rstrip(".") in self.private_allowed_hosts:
            return
        raise BlockedAddress(f"fetch: refusing {reason} address {ip} for host {host}")


class GuardedBackend(httpcore.SyncBackend):
    """An httpcore backend that connects only to addresses the policy allows.

    Its connections end every wait by the running request's total deadline
    (:mod:`babelwire.fetch.deadline`).
    """

    def __init__(self, resolver: Resolver, policy: AddressPolicy) -> None:
        self._resolver = resolver
        self._policy = policy

    def vetted_addresses(self, host: str, port: int) -> list[tuple[str, int]]:
        """Resolve once and vet every address; one refused address refuses the host.

        A public site has no reason to publish a private address next to a
        public one, so a mixed answer is treated as hostile.
        """
        literal = host_address(host)
        if literal is not None:
            # Vetted and connected to as the address it means (``0x7f.1`` is
            # 127.0.0.1), with no lookup.
            pairs = [(host if literal.version == 6 else str(literal), port)]
        else:
            try:
                pairs = self._resolver.resolve(host, port)
            except OSError as exc:
                raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        if not pairs:
            raise httpcore.ConnectError(f"cannot resolve {host}: no addresses")
        for ip, _ in pairs:
            self._policy.check(host, ip)
        return pairs

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        last_error: Exception | None = None
        for ip, ip_port in self.vetted_addresses(host, port):
            try:
                # The parent opens the socket to the numeric address we pass:
                # no second lookup, so no chance to rebind.
                stream = super().connect_tcp(
                    ip, ip_port, wait_s(timeout, httpcore.ConnectTimeout),
                    local_address, socket_options,
                )
                return DeadlineStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None  # vetted_addresses never returns an empty list
        raise last_error
