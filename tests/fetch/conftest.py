"""A loopback HTTP server with a route table, and Fetchers pointed at it.

Tests name hosts like ``site.test``; a StaticResolver maps them to the
server's ephemeral port on 127.0.0.1, and the AddressPolicy allows exactly
those names to reach loopback. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from babelwire.fetch import AddressPolicy, Archive, Fetcher, StaticResolver
from babelwire.settings import Settings

Route = Callable[[BaseHTTPRequestHandler], None]
ALLOWED_HOSTS = frozenset({"site.test", "other.test"})


def respond(
    handler: BaseHTTPRequestHandler,
    status: int = 200,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> None:
    """Send a whole response; Content-Length is added unless given."""
    headers = dict(headers or {})
    headers.setdefault("Content-Length", str(len(body)))
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    if body:
        handler.wfile.write(body)


@dataclass
class Seen:
    path: str
    host: str
    headers: dict[str, str]


@dataclass
class LoopbackServer:
    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)

    def hits(self, path: str) -> int:
        return sum(1 for s in self.seen if s.path == path)

    def route(
        self,
        path: str,
        status: int = 200,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer ``path`` with a fixed response."""
        self.routes[path] = lambda handler: respond(handler, status, body, headers)

    respond = staticmethod(respond)


def _handler_class(state: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in separate writes; without NODELAY each
            # keep-alive response waits out the client's delayed ACK (~40 ms).
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.seen.append(Seen(self.path, headers.get("host", ""), headers))
            route = state.routes.get(self.path)
            if route is None:
                respond(self, 404, b"not here")
            else:
                route(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up on purpose (caps, timeouts) are not news


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    state = LoopbackServer()
    httpd = _QuietServer(("127.0.0.1", 0), _handler_class(state))
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def _settings(**overrides: Any) -> Settings:
    """Defaults, no politeness delay, and retries off unless a test asks."""
    base: dict[str, Any] = {"per_host_delay_s": 0.0, "retries": 0, "backoff_base_s": 0.5}
    base.update(overrides)
    return Settings.load(environ={}, **base)


@dataclass
class FetcherFactory:
    server: LoopbackServer
    sleeps: list[float] = field(default_factory=list)
    extra_hosts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    allowed_hosts: set[str] = field(default_factory=lambda: set(ALLOWED_HOSTS))
    _made: list[Fetcher] = field(default_factory=list)

    def __call__(self, archive: Archive | None = None, **overrides: Any) -> Fetcher:
        table = {host: [("127.0.0.1", self.server.port)] for host in ALLOWED_HOSTS}
        table.update(self.extra_hosts)
        fetcher = Fetcher(
            _settings(**overrides),
            resolver=StaticResolver(table),
            policy=AddressPolicy(private_allowed_hosts=frozenset(self.allowed_hosts)),
            archive=archive,
            sleep=self.sleeps.append,
        )
        self._made.append(fetcher)
        return fetcher


@pytest.fixture
def make_fetcher(server: LoopbackServer) -> Iterator[FetcherFactory]:
    factory = FetcherFactory(server)
    yield factory
    for fetcher in factory._made:
        fetcher.close()


@pytest.fixture
def corpus_dir() -> Path:
    path = Path(__file__).parents[2] / ".." / "shared" / "corpus"
    if not (path / "manifest.jsonl").is_file():
        pytest.skip("../shared/corpus is not available")
    return path
