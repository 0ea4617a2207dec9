"""What the distributed workers and the scheduler need: where the broker is,
and how long a task may stay unacknowledged before another worker takes it.

The rows join the one settings registry as the "Workers" part; a field of
:class:`WorkerSettings` is a row's name without ``broker_``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babelwire.settings import Setting, check_record, read_part, register

#: The workers' queues (see ``celeryapp``), here where no Celery is needed to
#: read them: the web server reports their depths.
QUEUES = ("fetch", "cpu", "translate")

WORKER_SETTINGS: tuple[Setting, ...] = (
    Setting("broker_url", "redis://127.0.0.1:6379/0", str,
            "Message broker of the distributed workers (redis:// or amqp://); Redis "
            "also holds the shared per-host rate limit and the robots.txt cache."),
    Setting("broker_visibility_timeout_s", 600, int,
            "A task a dead worker held goes back on its queue after this long "
            "(longer than the slowest task, or it runs twice).", unit="s", min=1),
    Setting("broker_lease_s", 900, int,
            "The scheduler enqueues a unit again when no worker finished it in this long.",
            unit="s",
            min=1),
    Setting("broker_redis_url", "", str,
            "Redis for the scheduler's bookkeeping, the shared rate limit and the "
            "robots.txt cache; empty: the broker itself (set it when the broker is RabbitMQ)."),
    Setting("broker_per_host_concurrency", 2, int,
            "Requests in flight at once to one host across every worker (a slot in Redis; "
            "a killed worker's slot frees itself after total_timeout_s).",
            min=1, max=64),
)

WORKERS = register("Workers", "broker_", WORKER_SETTINGS)


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    """Values the workers need; field = setting name minus ``broker_``."""

    url: str = "redis://127.0.0.1:6379/0"
    visibility_timeout_s: int = 600
    lease_s: int = 900
    redis_url: str = ""
    per_host_concurrency: int = 2

    def __post_init__(self) -> None:
        check_record(WORKERS, self)

    @property
    def coordination_url(self) -> str:
        return self.redis_url or self.url

    @property
    def queue_url(self) -> str | None:
        """The broker's URL when it is Redis, whose queues are lists one can measure."""
        return self.url if self.url.startswith(("redis://", "rediss://", "unix://")) else None

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> WorkerSettings:
        """Read ``BABELWIRE_BROKER_*`` variables (start-up only), then apply overrides."""
        return cls(**read_part(WORKERS, environ, overrides))
