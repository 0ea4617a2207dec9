"""The replay server: the demo world over plain HTTP on 127.0.0.1.

One ``ThreadingHTTPServer`` answers for every virtual host, choosing the
folder by the Host header (port stripped). It behaves like a modest real web
server: ETag and Last-Modified with 304 answers, HEAD, Content-Length on
every answer, gzip when a behaviour asks for it and the client accepts it.
The departures listed in ``behaviours.toml`` (429 then 200, slow answers,
redirects to private addresses) are what babelwire's fetch must cope with.

    with ReplayServer(WORLD_DIR) as srv:
        srv.port                      # bound on 127.0.0.1, chosen by the OS
        srv.hits("news-ru.un.demo.test", "/robots.txt")
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import Counter
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from babelwire.demo.behaviours import Behaviour, load_behaviours
from babelwire.demo.world import content_type_for, file_for, world_hosts

_NOT_FOUND_BODY = b"<!doctype html><title>404 Not Found</title><h1>Not Found</h1>\n"


class ReplayServer:
    """Serves ``world_dir`` by Host header; a context manager.

    ``delay_scale`` multiplies every ``delay_s`` of the behaviours table, so
    tests can keep the slow endpoint without waiting for it (0 = no delay).
    """

    def __init__(self, world_dir: Path, *, delay_scale: float = 1.0) -> None:
        self.world_dir = world_dir
        self.hosts = world_hosts(world_dir)
        self.behaviours = load_behaviours(world_dir / "behaviours.toml")
        self.delay_scale = delay_scale
        self._hits: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle -------------------------------------------------------

    def start(self) -> ReplayServer:
        handler = type("BoundHandler", (_Handler,), {"replay": self})
        httpd = _Server(("127.0.0.1", 0), handler)
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="demo-replay-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("demo: the replay server is not running")
        return int(self._httpd.server_address[1])

    # -- request counters -------------------------------------------------

    def hits(self, host: str, path: str) -> int:
        """Requests received for ``path`` (query string ignored) on ``host``."""
        with self._lock:
            return self._hits[(host, path)]

    def requested_paths(self, host: str) -> frozenset[str]:
        """Every path requested on ``host`` so far."""
        with self._lock:
            return frozenset(p for (h, p) in self._hits if h == host)

    def total_hits(self) -> int:
        with self._lock:
            return sum(self._hits.values())

    def reset(self) -> None:
        """Forget every count, which also re-arms the ``times`` behaviours."""
        with self._lock:
            self._hits.clear()

    def _count(self, host: str, path: str) -> int:
        with self._lock:
            self._hits[(host, path)] += 1
            return self._hits[(host, path)]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    #: A crawler opens many connections at once; the default backlog of 5
    #: makes the kernel drop SYNs, which costs a client a 1 s retransmit.
    request_queue_size = 128


class _Handler(BaseHTTPRequestHandler):
    replay: ReplayServer
    protocol_version = "HTTP/1.1"
    server_version = "demo-httpd/1.0"
    #: Idle keep-alive connections are dropped after this many seconds.
    timeout = 30

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the demo prints its own summary, tests read the counters."""

    def _answer(self, *, send_body: bool) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip().lower().rstrip(".")
        path = urlsplit(self.path).path or "/"
        number = self.replay._count(host, path)
        behaviour = self.replay.behaviours.get(host, path)
        if behaviour is not None and behaviour.active_for(number):
            if behaviour.delay_s:
                time.sleep(behaviour.delay_s * self.replay.delay_scale)
            if behaviour.redirect:
                status = behaviour.status or HTTPStatus.FOUND
                self._send(status, b"", send_body, [("Location", behaviour.redirect)])
                return
            if behaviour.status and behaviour.status != HTTPStatus.OK:
                extra = []
                if behaviour.retry_after_s is not None:
                    extra.append(("Retry-After", str(behaviour.retry_after_s)))
                body = f"{behaviour.status} {HTTPStatus(behaviour.status).phrase}\n".encode()
                self._send(behaviour.status, body, send_body, extra, "text/plain; charset=utf-8")
                return
        file = file_for(self.replay.world_dir, host, path) if host in self.replay.hosts else None
        if file is None:
            self._send(
                HTTPStatus.NOT_FOUND, _NOT_FOUND_BODY, send_body, [], "text/html; charset=utf-8"
            )
            return
        self._send_file(file, behaviour, send_body)

    def _send_file(self, file: Path, behaviour: Behaviour | None, send_body: bool) -> None:
        body = file.read_bytes()
        content_type = (behaviour and behaviour.content_type) or content_type_for(file, body)
        last_modified = (
            behaviour and behaviour.last_modified
        ) or self.replay.behaviours.last_modified
        gzipped = bool(behaviour and behaviour.encoding == "gzip") and _accepts_gzip(
            self.headers.get("Accept-Encoding", "")
        )
        # The compressed variant is another representation, so another ETag.
        etag = f'"{hashlib.sha256(body).hexdigest()[:20]}{"-gz" if gzipped else ""}"'
        headers = [("ETag", etag), ("Last-Modified", last_modified)]
        if behaviour and behaviour.encoding:
            headers.append(("Vary", "Accept-Encoding"))
        if _not_modified(
            self.headers.get("If-None-Match"),
            self.headers.get("If-Modified-Since"),
            etag,
            last_modified,
        ):
            self._send(HTTPStatus.NOT_MODIFIED, b"", False, headers)
            return
        if gzipped:
            # mtime=0 keeps the bytes, and so the ETag, stable between runs.
            body = gzip.compress(body, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        self._send(HTTPStatus.OK, body, send_body, headers, content_type)

    def _send(
        self,
        status: int,
        body: bytes,
        send_body: bool,
        headers: list[tuple[str, str]],
        content_type: str | None = None,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and status != HTTPStatus.NOT_MODIFIED:
            self.wfile.write(body)


def _accepts_gzip(accept_encoding: str) -> bool:
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() in {"gzip", "x-gzip", "*"}:
            return params.replace(" ", "") not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
    return False


def _not_modified(
    if_none_match: str | None, if_modified_since: str | None, etag: str, last_modified: str
) -> bool:
    """RFC 9110 §13.2.2: If-None-Match wins; If-Modified-Since only without it."""
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
        modified = parsedate_to_datetime(last_modified)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as the RFC asks
    if since.tzinfo is None or modified.tzinfo is None:
        return False
    return modified <= since
