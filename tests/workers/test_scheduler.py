"""The scheduler's phases: every unit ends done, and a unit whose lease ran
out without a done mark (its message lost, its worker dead) is enqueued again."""

from __future__ import annotations

from typing import Any

import redis

from babelwire.run.scheduler import PassCounts, Scheduler
from babelwire.run.tasks import claim_key, done_key


class LosingApp:
    """Loses the first message of each unit; finishes the second."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self.sent: list[tuple[str, list[Any]]] = []

    def send_task(self, name: str, args: list[Any]) -> None:
        self.sent.append((name, args))
        run_id, unit = args[0], args[1]
        if sum(1 for _, a in self.sent if a[1] == unit) > 1:
            self.client.set(done_key(run_id, unit), 1)


def test_a_lost_unit_is_enqueued_again_when_its_lease_runs_out(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    app = LosingApp(client)

    def lease_runs_out(_: float) -> None:
        # Stands for lease_s passing: every claim expires.
        for key in client.scan_iter("babelwire:claim:*"):
            client.delete(key)

    run = Scheduler(app, store=None, redis=client, sources=(),  # type: ignore[arg-type]
                    lease_s=900, sleep=lease_runs_out)
    counts = PassCounts()
    run._phase("r1", "poll", {"a": ("babelwire.poll", ["r1", "a"]),
                              "b": ("babelwire.poll", ["r1", "b"])}, counts)
    assert sorted(a[1] for _, a in app.sent) == ["a", "a", "b", "b"]
    assert counts.reissued == 2
    assert counts.units == {"poll": 2}


def test_a_unit_in_progress_is_not_enqueued_twice(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    app = LosingApp(client)
    checks = []

    def a_worker_finishes(_: float) -> None:
        checks.append(1)
        if len(checks) == 3:  # still claimed on the first checks; done at the third
            client.set(done_key("r2", "a"), 1)

    run = Scheduler(app, store=None, redis=client, sources=(),  # type: ignore[arg-type]
                    lease_s=900, sleep=a_worker_finishes)
    counts = PassCounts()
    run._phase("r2", "poll", {"a": ("babelwire.poll", ["r2", "a"])}, counts)
    assert len(app.sent) == 1
    assert counts.reissued == 0
    assert client.exists(claim_key("r2", "a"))
