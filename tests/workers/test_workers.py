"""Two worker processes over the demo world end where the in-process runner
ends: the same documents, translations, items and versions (times aside).

The second test kills workers with SIGKILL at random moments of the run and
starts new ones: a task a dead worker held comes back (acknowledged late, or
enqueued again by the scheduler when its lease runs out), and running it
again changes nothing, so the end is the same.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from tests.workers import cluster

from babelwire.demo import WORLD_DIR
from babelwire.demo.server import ReplayServer

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def test_two_workers_equal_the_in_process_run(
    tmp_path: Path, redis_url: str, postgres_url: str, request: pytest.FixtureRequest
) -> None:
    baseline_url = request.getfixturevalue("postgres_url_baseline")
    with ReplayServer(WORLD_DIR) as server:
        cluster.in_process_run(baseline_url, tmp_path / "baseline", server.port)
        environ = cluster.env(postgres_url, tmp_path / "archive", redis_url)
        metrics_port = cluster.free_port()
        workers = [cluster.start_worker(environ, server.port, tmp_path / f"worker{n}.log",
                                        metrics_port if n == 0 else None)
                   for n in range(2)]
        try:
            done = cluster.scheduler(environ, server.port)
            out, err = done.communicate(timeout=cluster.PASS_TIMEOUT_S)
            metrics = cluster.scrape(metrics_port)
        finally:
            for worker in workers:
                cluster.stop(worker)
    assert done.returncode == 0, err[-3000:]
    assert "pass done" in out
    # The worker's metrics port: stages from the store, queue depths from the broker.
    assert 'babelwire_queue_depth{queue="translate"} 0' in metrics
    assert 'babelwire_documents{stage="skipped"} ' in metrics
    assert_same_wire(postgres_url, baseline_url)


def test_workers_killed_at_random_then_restarted_equal_the_in_process_run(
    tmp_path: Path, redis_url: str, postgres_url: str, request: pytest.FixtureRequest
) -> None:
    baseline_url = request.getfixturevalue("postgres_url_baseline")
    rng = random.Random()
    kills = 0
    with ReplayServer(WORLD_DIR) as server:
        cluster.in_process_run(baseline_url, tmp_path / "baseline", server.port)
        environ = cluster.env(postgres_url, tmp_path / "archive", redis_url)
        logs = [tmp_path / f"worker{n}.log" for n in range(2)]
        workers = [cluster.start_worker(environ, server.port, log) for log in logs]
        try:
            done = cluster.scheduler(environ, server.port)
            deadline = time.monotonic() + cluster.PASS_TIMEOUT_S
            while done.poll() is None and time.monotonic() < deadline:
                time.sleep(rng.uniform(0.5, 3.0))
                if done.poll() is not None or kills >= 4:
                    continue
                victim = rng.randrange(len(workers))
                cluster.kill_9(workers[victim])
                kills += 1
                workers[victim] = cluster.start_worker(environ, server.port, logs[victim])
            _, err = done.communicate(timeout=max(1.0, deadline - time.monotonic()))
        finally:
            for worker in workers:
                cluster.stop(worker)
    assert done.returncode == 0, err[-3000:]
    assert kills > 0, "the run finished before any worker could be killed"
    assert_same_wire(postgres_url, baseline_url)


def assert_same_wire(database_url: str, baseline_url: str) -> None:
    got, want = cluster.dump(database_url), cluster.dump(baseline_url)
    # Not two empty runs: the demo world publishes items (Spanish, by Apertium,
    # or none where it is missing) and stores every article.
    assert len(want["documents"]) > 50
    assert got == want
