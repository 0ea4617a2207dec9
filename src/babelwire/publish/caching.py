"""Validators for pages and the JSON API: ETag, Cache-Control and 304.

Every successful GET of a page or a JSON answer gets a strong ETag (a hash of
the body) and ``Cache-Control``; a request whose ``If-None-Match`` names that
tag is answered 304 with no body, so a reader or a poller that checks often
costs one query and no transfer. Feeds and the archived capture set their own
headers and are left alone, as are the token-guarded writes (``/api/v1/admin``)
and any request that carries credentials: a shared cache must never keep those.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import Response

#: Lists change when the runner publishes; a minute is the age a reader's
#: browser or a proxy may reuse an answer without asking again.
CACHE_CONTROL = "public, max-age=60"
#: Headers a 304 repeats (RFC 9110 §15.4.5); the body's own headers are dropped.
_KEPT_ON_304 = ("etag", "cache-control", "content-location", "date", "expires", "vary")


def body_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match value names ``etag`` (weak comparison, RFC 9110 §13.1.2)."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags or "*" in tags


def _applies(request: Request, response: Response) -> bool:
    path = request.url.path
    return (
        request.method == "GET" and response.status_code == 200
        and "etag" not in response.headers
        and "authorization" not in request.headers
        and not path.startswith(("/api/v1/admin", "/static/", "/feeds/"))
    )


async def validators(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """The middleware: hash the body, answer 304 when the client has it."""
    response = await call_next(request)
    if not _applies(request, response):
        return response
    # call_next gives a streaming response; pages and JSON answers are small.
    body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
    etag = body_etag(body)
    headers = dict(response.headers)
    headers["etag"] = etag
    headers.setdefault("cache-control", CACHE_CONTROL)
    if etag_matches(request.headers.get("if-none-match", ""), etag):
        kept = {name: value for name, value in headers.items() if name in _KEPT_ON_304}
        return Response(status_code=304, headers=kept)
    return Response(body, status_code=response.status_code, headers=headers)


def install(app: FastAPI) -> None:
    app.middleware("http")(validators)
