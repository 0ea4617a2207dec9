"""The demo resolver: every demo host answers on the replay server.

The demo world's URLs name hosts under ``.demo.test`` (RFC 2606: never
resolvable on the internet). babelwire's fetch asks a resolver for addresses
before it connects (and checks them against its address policy), so the demo
passes this one in:

- every host that has a folder in the world resolves to 127.0.0.1 on the
  replay server's port, whatever port the URL named;
- ``intranet.demo.test`` resolves to 10.0.0.5, a private address where nothing
  listens: a demo page redirects there, and fetch must refuse it before
  connecting;
- a literal IP address resolves to itself, as with ``getaddrinfo``;
- anything else raises ``OSError``, as ``getaddrinfo`` does for an unknown name.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from babelwire.demo.world import world_hosts

#: Hosts that stand for machines on a private network. Nothing of the demo
#: listens there; they exist so that redirects to them can be refused.
PRIVATE_HOSTS: Mapping[str, str] = MappingProxyType({"intranet.demo.test": "10.0.0.5"})


def demo_hosts(world_dir: Path) -> frozenset[str]:
    """The virtual hosts the replay server answers for (the world's folders)."""
    return world_hosts(world_dir)


class DemoResolver:
    """Maps demo host names to the replay server; ``getaddrinfo``-shaped answers."""

    def __init__(self, hosts: frozenset[str], server_port: int) -> None:
        self.hosts = frozenset(h.lower() for h in hosts)
        self.server_port = server_port

    @classmethod
    def for_world(cls, world_dir: Path, server_port: int) -> DemoResolver:
        return cls(demo_hosts(world_dir), server_port)

    def resolve(self, host: str, port: int) -> list[tuple[str, int]]:
        """Addresses for ``host``: a list of (IP address, port) pairs."""
        name = host.strip().lower().rstrip(".").strip("[]")
        try:
            return [(str(ipaddress.ip_address(name)), port)]
        except ValueError:
            pass
        if name in self.hosts:
            return [("127.0.0.1", self.server_port)]
        if name in PRIVATE_HOSTS:
            return [(PRIVATE_HOSTS[name], port)]
        raise OSError(f"demo: {host} is not a host of the demo world")
