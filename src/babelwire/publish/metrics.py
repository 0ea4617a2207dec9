"""``GET /metrics``: the wire's numbers in the Prometheus text format (see
:mod:`babelwire.metrics`).

Where the server runs beside distributed workers (``BABELWIRE_BROKER_URL``
is set and names a Redis broker), it reports the queue depths too, as the
workers' metrics ports do.
"""

from __future__ import annotations

import functools
import logging
import os
from typing import cast

from fastapi import APIRouter, Request
from fastapi.responses import Response

from babelwire import metrics
from babelwire.run.workersettings import QUEUES, WORKERS, WorkerSettings

log = logging.getLogger("babelwire.publish")
router = APIRouter()

#: A scrape waits at most this long for the broker before saying it is down.
BROKER_TIMEOUT_S = 2.0


@router.get("/metrics", include_in_schema=False)
def prometheus(request: Request) -> Response:
    store = cast(metrics.MetricsStore, request.app.state.publish.store)
    return Response(metrics.render(store, broker=_broker(), queues=QUEUES),
                    media_type=metrics.CONTENT_TYPE)


@functools.cache
def _broker() -> metrics.QueueDepths | None:
    """The Redis broker's client, read once, on the first scrape; None without one."""
    url_env = next(s.env for s in WORKERS.rows if s.name == "broker_url")
    if not os.environ.get(url_env):
        return None
    url = WorkerSettings.load().queue_url
    if url is None:
        return None
    try:
        import redis  # the celery extra, installed wherever workers run
    except ImportError:
        log.warning("metrics: no queue depths: BABELWIRE_BROKER_URL is set, but the redis "
                    "package is missing (pip install 'babelwire[celery]')")
        return None
    return cast(metrics.QueueDepths,
                redis.Redis.from_url(url, socket_timeout=BROKER_TIMEOUT_S,
                                     socket_connect_timeout=BROKER_TIMEOUT_S))
