"""Fixtures for the engine and model tests.

* ``tiny_argosmodel`` / ``models_dir``: a random-weight es→en Argos package,
  built once per session in well under a second, and a models folder with it
  installed.
* ``server``: a local HTTP server (127.0.0.1, port 0) that answers from a
  script. Each path has a list of replies, used in order, the last one
  repeating; a reply body may be a function of the request JSON, so a fake
  translation service can answer with as many strings as it was sent. Tests
  build replies with ``server.Reply(...)`` (the suite runs with
  ``--import-mode=importlib``, so test modules cannot import helpers).
* ``neural`` and ``apertium``: the neural tests need the ``translate`` extra
  (ctranslate2, sentencepiece, numpy), the Apertium tests the ``apertium``
  program with its spa-eng data. Missing locally, those tests skip with the
  reason; under CI (``CI=true``) they fail, so CI can never pass with an
  engine silently untested.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest


def skip_or_fail(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI must not skip this test)")
    pytest.skip(reason)


def require_neural() -> None:
    wanted = ("ctranslate2", "sentencepiece", "numpy")
    missing = [name for name in wanted if importlib.util.find_spec(name) is None]
    if missing:
        skip_or_fail(f"the translate extra is not installed (missing {', '.join(missing)})")


@pytest.fixture
def neural() -> None:
    require_neural()


@pytest.fixture(scope="session")
def apertium(apertium_spa_eng: None) -> Any:
    """The apertium engine, when the program and its spa-eng mode are installed."""
    from babelwire.translate.engines.apertium import ApertiumEngine

    return ApertiumEngine(timeout_s=30)


@pytest.fixture(scope="session")
def tiny_argosmodel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight es→en package, built once (well under a second)."""
    require_neural()
    from tests.translate.engines.synthetic import build_argosmodel

    return build_argosmodel(tmp_path_factory.mktemp("pkg") / "translate-es_en-1_0.argosmodel")


@pytest.fixture
def models_dir(tmp_path: Path, tiny_argosmodel: Path) -> Path:
    """A models folder with the tiny es→en package installed."""
    from babelwire.translate.models import install_file

    folder = tmp_path / "models"
    install_file(tiny_argosmodel, folder)
    return folder


@dataclass
class Reply:
    status: int = 200
    #: bytes/str sent as is; anything else as JSON; a callable gets the request JSON.
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class ScriptedServer:
    Reply = Reply

    def __init__(self) -> None:
        self.replies: dict[str, list[Reply]] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(self, path: str, *replies: Reply) -> None:
        self.replies[path] = list(replies)

    def seen(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next_reply(self, path: str) -> Reply:
        with self._lock:
            queue = self.replies.get(path)
            if not queue:
                return Reply(404, b"not found")
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                headers = {k.lower(): v for k, v in self.headers.items()}
                with server._lock:
                    server.requests.append(Seen(self.command, path, headers, body))
                reply = server._next_reply(path)
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                payload = reply.body(json.loads(body)) if callable(reply.body) else reply.body
                if isinstance(payload, str):
                    payload = payload.encode()
                elif not isinstance(payload, bytes):
                    payload = json.dumps(payload).encode()
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            do_GET = _serve
            do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    try:
        yield scripted
    finally:
        scripted.close()
