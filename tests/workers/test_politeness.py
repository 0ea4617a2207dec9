"""Politeness across workers: one gap per host and one robots.txt fetch,
whichever worker asks (two gates or fetchers stand for two workers)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import redis

from babelwire.fetch import AddressPolicy
from babelwire.run.ratelimit import SharedFetcher, SharedHostGate
from babelwire.settings import Settings


def test_two_workers_share_one_gap_per_host(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    waits: list[float] = []
    first, second = (SharedHostGate(client, concurrency=2, delay_s=30.0, sleep=waits.append)
                     for _ in range(2))
    with first.slot("News.Example"):
        pass
    with second.slot("news.example"):  # the same host, from the other worker
        pass
    with second.slot("other.example"):  # another host: no wait
        pass
    # The second worker waits for the turn the first one reserved (the
    # reservation is 30 s ahead; however slow this machine, more than 20 s
    # of it is left).
    assert len(waits) == 1
    assert 20.0 < waits[0] <= 30.0


@pytest.fixture
def site() -> Iterator[tuple[str, Counter[str]]]:
    hits: Counter[str] = Counter()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits[self.path] += 1
            body = b"User-agent: *\nDisallow: /private\n" if self.path == "/robots.txt" \
                else b"<html><body>hello</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt"
                             else "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_robots_txt_is_fetched_once_for_every_worker(
    redis_url: str, site: tuple[str, Counter[str]], tmp_path: Path
) -> None:
    base, hits = site
    client = redis.Redis.from_url(redis_url)
    settings = Settings.load({}, per_host_delay_s=0.0, archive_dir=str(tmp_path))
    policy = AddressPolicy(allow_all_private=True)
    fetchers = [SharedFetcher(settings, policy=policy, redis_client=client) for _ in range(2)]
    try:
        for fetcher in fetchers:
            assert fetcher.get(f"{base}/page").status == 200
        assert hits["/robots.txt"] == 1
        assert hits["/page"] == 2
        # The shared copy is obeyed, not only counted.
        with pytest.raises(Exception, match="disallows"):
            fetchers[1].get(f"{base}/private/x")
    finally:
        for fetcher in fetchers:
            fetcher.close()
