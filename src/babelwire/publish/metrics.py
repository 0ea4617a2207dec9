"""``GET /metrics``: the wire's numbers in the Prometheus text format (see
:mod:`babelwire.metrics`); queue depths come from the workers' metrics port."""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter, Request
from fastapi.responses import Response

from babelwire import metrics

router = APIRouter()


@router.get("/metrics", include_in_schema=False)
def prometheus(request: Request) -> Response:
    store = cast(metrics.MetricsStore, request.app.state.publish.store)
    return Response(metrics.render(store), media_type=metrics.CONTENT_TYPE)
