"""End-to-end ingest speed on the demo world: documents per second.

Runs the whole ingest (poll, discover, fetch, archive, extract, store) over
the bundled demo world, served on 127.0.0.1 with its slow page's delay
switched off, so what is measured is babelwire's own work. The baseline,
measured in the same run, is the same pipeline with one worker thread; the
ratio shows what the thread pool buys. Each configuration runs ``REPEATS``
times into a fresh database and the best time is kept (the machines are
noisy; the best run is the least disturbed one).

    .venv/bin/python bench/ingest_speed.py
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

from babelwire.demo import WORLD_DIR
from babelwire.demo.resolver import DemoResolver
from babelwire.demo.run import demo_catalog
from babelwire.demo.server import ReplayServer
from babelwire.model import Stage
from babelwire.run import resources as wiring
from babelwire.run import runner
from babelwire.settings import Settings

REPEATS = 3


def one_run(workers: int, server: ReplayServer) -> tuple[float, int]:
    sources = demo_catalog().sources
    hosts = frozenset().union(*(s.hosts for s in sources))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.load(
            {},
            database_url=f"sqlite:///{Path(tmp) / 'bench.db'}",
            archive_dir=str(Path(tmp) / "archive"),
            per_host_delay_s=0.0,
            per_host_concurrency=4,
            workers=workers,
            max_retry_after_s=0.0,
        )
        server.reset()
        resolver = DemoResolver.for_world(WORLD_DIR, server.port)
        started = time.perf_counter()
        with wiring.resources(settings, resolver=resolver, private_allowed_hosts=hosts) as res:
            run = runner.Runner(settings, res.store, res.fetcher, res.archive, sources)
            run.run_once(force=True)
            stored = sum(1 for _ in res.store.documents(stage=Stage.EXTRACTED))
        return time.perf_counter() - started, stored


def main() -> None:
    logging.getLogger("babelwire").setLevel(logging.ERROR)
    with ReplayServer(WORLD_DIR, delay_scale=0.0) as server:
        one_run(8, server)  # warm-up: imports, language models, trafilatura caches
        results = {}
        for workers in (1, 8):
            timings = [one_run(workers, server) for _ in range(REPEATS)]
            best_s, stored = min(timings)
            results[workers] = (best_s, stored)
            print(f"workers={workers}: {stored} documents in {best_s:.2f} s "
                  f"= {stored / best_s:.1f} documents/s (best of {REPEATS})")
    ratio = (results[8][1] / results[8][0]) / (results[1][1] / results[1][0])
    print(f"ratio 8 workers / 1 worker (baseline): {ratio:.2f}x")


if __name__ == "__main__":
    main()
