"""The Celery application of the distributed workers: queues, routes, delivery.

Three queues split the work by what it waits on:

- ``fetch``      polls and page fetches (network; many workers, many threads);
- ``cpu``        extraction, duplicate detection and the composition of
  each translated document's item;
- ``translate``  batched translation (one translator per worker process, on
  GPU nodes where there are any).

Every task is acknowledged only when it has finished (``acks_late``), and a
worker killed in the middle gives its task back (``reject_on_worker_lost``),
so a task may run twice but is never lost; the tasks are written to converge
to the same rows when they do (see ``tasks``).
"""

from __future__ import annotations

from celery import Celery

from babelwire.run.workersettings import QUEUES as QUEUES  # named here by the CLI
from babelwire.run.workersettings import WorkerSettings

#: Task name -> queue. Names are stable strings: messages outlive releases.
ROUTES = {
    "babelwire.poll": "fetch",
    "babelwire.fetch": "fetch",
    "babelwire.extract": "cpu",
    "babelwire.dedup": "cpu",
    "babelwire.compose": "cpu",
    "babelwire.stories": "cpu",
    "babelwire.translate": "translate",
    # Webhooks and e-mail wait on other servers, as fetches do.
    "babelwire.deliver": "fetch",
}

app = Celery("babelwire")


def configure(settings: WorkerSettings) -> Celery:
    """Point the application at the broker; called once at start-up by each process."""
    app.conf.update(
        broker_url=settings.url,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": settings.visibility_timeout_s},
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # One message at a time per worker slot: a killed worker holds (and
        # gives back) only what it was working on.
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_routes={name: {"queue": queue} for name, queue in ROUTES.items()},
        task_default_queue="cpu",
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
    )
    return app
