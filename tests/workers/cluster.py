"""Worker processes, the scheduler and the in-process baseline over the demo world."""

from __future__ import annotations

import ast
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from babelwire.demo import WORLD_DIR
from babelwire.demo.resolver import DemoResolver
from babelwire.demo.run import demo_catalog
from babelwire.run.runner import run_sources
from babelwire.settings import Settings
from babelwire.store import Store

#: The demo world is our own server on loopback: the pause between two
#: requests to one host only needs to show that the shared gap is kept.
DELAY_S = "0.02"

#: Hang guard of one pass: far above what the demo world takes.
PASS_TIMEOUT_S = 240


def env(database_url: str, archive_dir: Path, redis_url: str) -> dict[str, str]:
    """The environment of every process of one distributed run."""
    out = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    out.update({
        "BABELWIRE_DATABASE_URL": database_url,
        "BABELWIRE_ARCHIVE_DIR": str(archive_dir),
        "BABELWIRE_BROKER_URL": redis_url,
        "BABELWIRE_PER_HOST_DELAY_S": DELAY_S,
        "BABELWIRE_LOG_LEVEL": "ERROR",
        # A killed worker's task comes back within seconds, not minutes.
        "BABELWIRE_BROKER_VISIBILITY_TIMEOUT_S": "30",
        "BABELWIRE_BROKER_LEASE_S": "20",
    })
    return out


def start_worker(environ: dict[str, str], port: int, log: Path,
                 metrics_port: int | None = None) -> subprocess.Popen[bytes]:
    """A worker on every queue, in a process group of its own (to kill it whole)."""
    metrics = ["--metrics-port", str(metrics_port)] if metrics_port else []
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "babelwire", "worker", "--demo-port", str(port),
             "--concurrency", "2", *metrics],
            env=environ, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def kill_9(worker: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it died on its own
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        kill_9(worker)


def scheduler(environ: dict[str, str], port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "babelwire", "scheduler", "--once", "--force",
         "--demo-port", str(port)],
        env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def in_process_run(database_url: str, archive_dir: Path, port: int) -> None:
    """The embedded runner over the same world, with the same settings."""
    settings = Settings.load({}, database_url=database_url, archive_dir=str(archive_dir),
                             per_host_delay_s=float(DELAY_S), log_level="ERROR")
    run_sources(settings, demo_catalog().sources, force=True,
                resolver=DemoResolver.for_world(WORLD_DIR, port))


def dump(database_url: str) -> dict[str, Any]:
    with Store.open(database_url) as store:
        return store.dump()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def scrape(port: int) -> str:
    """The worker's /metrics, waiting (a hang guard, not a measure) for it to listen."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as answer:
                return str(answer.read().decode("utf-8"))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def units(scheduler_out: str) -> dict[str, int]:
    """The units of each phase the scheduler's last line names."""
    line = next(x for x in scheduler_out.splitlines() if "pass done" in x)
    found = ast.literal_eval(line.split("pass done: ", 1)[1].split("}", 1)[0] + "}")
    return {str(k): int(v) for k, v in found.items()}


def samples(text: str) -> dict[str, float]:
    """The samples of a Prometheus text: "name{labels}" -> value."""
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
            for line in text.splitlines() if line and not line.startswith("#")}


def serve_metrics(database_url: str) -> str:
    """``GET /metrics`` of ``babelwire serve`` over the store at ``database_url``."""
    from fastapi.testclient import TestClient

    from babelwire.publish import metrics as serve
    from babelwire.publish.app import create_app
    from babelwire.publish.settings import PublishSettings

    serve._broker.cache_clear()  # the broker is read on the first scrape
    with Store.open(database_url) as store:
        app = create_app(lambda: store, settings=PublishSettings(),
                         sources=demo_catalog().sources)
        answer = TestClient(app).get("/metrics")
    serve._broker.cache_clear()
    assert answer.status_code == 200
    return answer.text


def fetch_pages(redis_url: str, base: str, pages: int, threads: int,
                shared_concurrency: int | None) -> None:
    """One worker's fetches: ``pages`` pages of ``base`` over ``threads`` threads
    (run in a process of its own by the politeness tests)."""
    from concurrent.futures import ThreadPoolExecutor

    import redis

    from babelwire.fetch import AddressPolicy
    from babelwire.run.ratelimit import SharedFetcher

    settings = Settings.load({}, per_host_delay_s=0.0, per_host_concurrency=threads)
    fetcher = SharedFetcher(settings, policy=AddressPolicy(allow_all_private=True),
                            redis_client=redis.Redis.from_url(redis_url),
                            shared_concurrency=shared_concurrency)
    with fetcher, ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda n: fetcher.get(f"{base}/page/{n}"), range(pages)))


def start_fetching(redis_url: str, base: str, pages: int, threads: int,
                   shared_concurrency: int | None) -> subprocess.Popen[bytes]:
    code = ("from tests.workers import cluster; "
            f"cluster.fetch_pages({redis_url!r}, {base!r}, {pages}, {threads}, "
            f"{shared_concurrency!r})")
    return subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).parents[2],
                            start_new_session=True)
