"""Politeness across workers: a cap on requests in flight to one host, one
gap per host and one robots.txt fetch, whichever worker asks (two gates or
fetchers stand for two workers, or two worker processes where it matters)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import redis
from tests.workers import cluster

from babelwire.errors import ConfigError
from babelwire.fetch import AddressPolicy
from babelwire.run.ratelimit import KEY_PREFIX, SharedFetcher, SharedHostGate
from babelwire.run.workersettings import WorkerSettings
from babelwire.settings import Settings

#: Hang guard of a politeness test's worker processes.
WORKER_TIMEOUT_S = 120


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


class Crowd:
    """A loopback site that counts the requests in flight at once.

    Each page request is held until ``crowd`` requests have been in flight
    together, or ``hold_s`` has passed: a cap that lets more through than it
    should is then seen however slow the machine, and one that holds costs
    ``hold_s`` per request.
    """

    def __init__(self, crowd: int, hold_s: float) -> None:
        self.in_flight = self.most = self.served = 0
        changed = threading.Condition()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(handler) -> None:
                with changed:
                    self.in_flight += 1
                    self.most = max(self.most, self.in_flight)
                    changed.notify_all()
                    if handler.path != "/robots.txt":  # asked alone, before the pages
                        changed.wait_for(lambda: self.most >= crowd, timeout=hold_s)
                body = b"User-agent: *\nAllow: /\n" if handler.path == "/robots.txt" \
                    else b"<html><body>hello</body></html>"
                handler.send_response(200)
                handler.send_header("Content-Type", "text/html")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)
                with changed:
                    self.in_flight -= 1
                    self.served += 1

            def log_message(handler, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Crowd:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def two_workers_fetch(redis_url: str, site: Crowd, shared_concurrency: int | None) -> None:
    """Two worker processes, four threads each, fetch six pages each from ``site``."""
    workers = [cluster.start_fetching(redis_url, site.base, 6, 4, shared_concurrency)
               for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=WORKER_TIMEOUT_S) == 0


def test_two_workers_keep_to_the_shared_cap_of_requests_in_flight_to_a_host(
    redis_url: str
) -> None:
    # Each process would allow four at once; together, two.
    with Crowd(crowd=3, hold_s=0.3) as site:
        two_workers_fetch(redis_url, site, shared_concurrency=2)
    assert site.served >= 2 * 6  # and robots.txt, once or twice (they start together)
    assert site.most == 2
    assert not redis.Redis.from_url(redis_url).exists(f"{KEY_PREFIX}inflight:127.0.0.1")


def test_without_the_shared_cap_two_workers_crowd_the_host(redis_url: str) -> None:
    # The check above can fail: without it the site sees three at once.
    with Crowd(crowd=3, hold_s=60) as site:
        two_workers_fetch(redis_url, site, shared_concurrency=None)
    assert site.most >= 3


def test_a_killed_workers_slot_frees_itself(redis_url: str) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time, redis\n"
         "from babelwire.run.ratelimit import SharedHostGate\n"
         f"gate = SharedHostGate(redis.Redis.from_url({redis_url!r}), concurrency=1, "
         "delay_s=0, shared_concurrency=1, hold_s=2.0)\n"
         "with gate.slot('news.example'):\n"
         "    print('held', flush=True)\n"
         "    time.sleep(3600)\n"],
        stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    finally:
        cluster.kill_9(holder)  # dies holding the host's only slot
    client = redis.Redis.from_url(redis_url)
    assert client.zcard(f"{KEY_PREFIX}inflight:news.example") <= 1
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    gate = SharedHostGate(client, concurrency=1, delay_s=0, shared_concurrency=1, sleep=sleep)
    with gate.slot("news.example"):  # would wait forever if the slot leaked
        pass
    assert client.zcard(f"{KEY_PREFIX}inflight:news.example") == 0


def test_the_shared_cap_is_a_setting_with_a_range() -> None:
    assert WorkerSettings.load({}).per_host_concurrency == 2
    assert WorkerSettings.load({"BABELWIRE_BROKER_PER_HOST_CONCURRENCY": "8"}) \
        .per_host_concurrency == 8
    with pytest.raises(ConfigError, match="BABELWIRE_BROKER_PER_HOST_CONCURRENCY='0'"):
        WorkerSettings.load({"BABELWIRE_BROKER_PER_HOST_CONCURRENCY": "0"})
