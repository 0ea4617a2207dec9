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
)

WORKERS = register("Workers", "broker_", WORKER_SETTINGS)


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    """Values the workers need; field = setting name minus ``broker_``."""

    url: str = "redis://127.0.0.1:6379/0"
    visibility_timeout_s: int = 600
    lease_s: int = 900
    redis_url: str = ""

    def __post_init__(self) -> None:
        check_record(WORKERS, self)

    @property
    def coordination_url(self) -> str:
        return self.redis_url or self.url

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> WorkerSettings:
        """Read ``BABELWIRE_BROKER_*`` variables (start-up only), then apply overrides."""
        return cls(**read_part(WORKERS, environ, overrides))
