"""Two worker processes over the demo world end where the in-process runner
ends: the same documents, translations, items and versions (times aside).

The second test kills workers with SIGKILL at random moments of the run and
starts new ones: a task a dead worker held comes back (acknowledged late, or
enqueued again by the scheduler when its lease runs out), and running it
again changes nothing, so the end is the same.
"""

from __future__ import annotations

import random
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from tests.workers import cluster

from babelwire.demo import WORLD_DIR
from babelwire.demo.server import ReplayServer

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def test_two_workers_equal_the_in_process_run(
    tmp_path: Path, redis_url: str, postgres_url: str, request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    baseline_url = request.getfixturevalue("postgres_url_baseline")
    with ReplayServer(WORLD_DIR) as server:
        cluster.in_process_run(baseline_url, tmp_path / "baseline", server.port)
        environ = cluster.env(postgres_url, tmp_path / "archive", redis_url)
        metrics_ports = [cluster.free_port() for _ in range(2)]
        workers = [cluster.start_worker(environ, server.port, tmp_path / f"worker{n}.log",
                                        metrics_ports[n])
                   for n in range(2)]
        try:
            done = cluster.scheduler(environ, server.port)
            out, err = done.communicate(timeout=cluster.PASS_TIMEOUT_S)
            scraped = [cluster.scrape(port) for port in metrics_ports]
        finally:
            for worker in workers:
                cluster.stop(worker)
    assert done.returncode == 0, err[-3000:]
    assert "pass done" in out
    assert_same_wire(postgres_url, baseline_url)
    # Composition was the compose tasks' work, one per translated document.
    assert cluster.units(out)["compose"] == len(cluster.dump(postgres_url)["items"]) > 0
    # The pass ends with the stories and the subscriptions' delivery, once each.
    assert cluster.units(out)["stories"] == cluster.units(out)["deliver"] == 1
    assert_worker_metrics(scraped)
    monkeypatch.setenv("BABELWIRE_BROKER_URL", redis_url)
    assert_serve_metrics(cluster.serve_metrics(postgres_url))


def assert_worker_metrics(scraped: list[str]) -> None:
    """Stages from the store, queue depths from the broker, the rest counted."""
    for text in scraped:
        samples = cluster.samples(text)
        assert samples['babelwire_queue_depth{queue="cpu"}'] == 0
        assert samples['babelwire_documents{stage="skipped"}'] > 0
        assert samples['babelwire_item_age_at_publication_seconds_bucket{le="+Inf"}'] \
            == samples["babelwire_item_age_at_publication_seconds_count"] > 0
    total = Counter[str]()
    for text in scraped:
        total.update(cluster.samples(text))
    # Either worker may have drawn the fetches and the batches; together, both.
    assert total['babelwire_fetches_total{outcome="http_200"}'] > 0
    assert total["babelwire_translation_seconds_total"] > 0
    if shutil.which("apertium"):  # the demo's Spanish pages: words an engine wrote
        assert total["babelwire_translated_words_total"] > 0


def assert_serve_metrics(text: str) -> None:
    """Serve's /metrics beside the workers: the same stages, reasons and queues."""
    samples = cluster.samples(text)
    assert samples["babelwire_broker_up"] == 1
    assert {q: samples[f'babelwire_queue_depth{{queue="{q}"}}']
            for q in ("fetch", "cpu", "translate")} == {"fetch": 0, "cpu": 0, "translate": 0}
    assert samples['babelwire_documents{stage="published"}'] > 0
    assert any(name.startswith("babelwire_documents_stopped{") for name in samples)
    assert samples["babelwire_item_age_at_publication_seconds_count"] > 0


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
    got, want = (without_times(cluster.dump(url)) for url in (database_url, baseline_url))
    # Not two empty runs: the demo world publishes items (Spanish, by Apertium,
    # or none where it is missing) and stores every article.
    assert len(want["documents"]) > 50
    assert got == want


def without_times(dump: dict[str, Any]) -> dict[str, Any]:
    """The dump with the time an enrichment's key names (its translation's) left
    out, as the dump leaves out every other time."""
    for row in dump.get("document_enrichment", ()):
        row["input_key"] = row["input_key"].split(" ", 1)[0]
    return dump
