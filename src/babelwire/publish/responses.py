"""What every response shares: security headers, error answers, and ``Allow``.

- Every response carries :data:`SECURITY_HEADERS`, a 500 included: the
  middleware turns an unhandled exception into an error answer itself
  instead of leaving it to the server, which would send none of them.
- An error is answered in the kind that was asked for: JSON
  (``{"error": "..."}``) under ``/api/`` and for ``.json`` twins, plain text
  for feeds, an HTML page otherwise. The message is one sentence for the
  reader (:func:`~babelwire.publish.pages.for_reader`); a fault on our side
  says nothing of its cause, which goes to the log.
- A request parameter that cannot be read is 400; a well-formed JSON body
  whose content is refused is 422.
- ``OPTIONS`` on any served path answers 204 with ``Allow`` naming every
  method served there (the read and the write of one path live in different
  routers, so no single route knows them all); a 405 names the same.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount

from babelwire.errors import StoreError
from babelwire.publish.pages import for_reader, render

log = logging.getLogger("babelwire.publish")

#: Sent on every response. No script may run and nothing may be loaded from
#: elsewhere: even if source text slipped past escaping, a browser would not
#: execute it or fetch from another origin on its behalf.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Readers follow links to official sources; those need not learn what the
    # reader was looking at here.
    "Referrer-Policy": "no-referrer",
}

STORE_DOWN = "The wire's database cannot be reached just now: try again in a minute"
INTERNAL_ERROR = "Something went wrong on our side; it has been logged"

#: The methods a route of this app may serve (OPTIONS is answered here).
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
#: Where a request parameter was read from, in FastAPI's validation errors.
_PARAMETER_PLACES = {"query", "path", "header", "cookie"}


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method some route serves at the request's path (empty: none).

    Each method is tried against the routes as routing would (included
    routers answer for their own routes); a mount (the static files) serves
    GET and HEAD."""
    methods: set[str] = set()
    for route in app.router.routes:
        if isinstance(route, Mount):
            if route.matches(request.scope)[0] is not Match.NONE:
                methods |= {"GET", "HEAD"}
            continue
        for method in _METHODS:
            if route.matches({**request.scope, "method": method})[0] is Match.FULL:
                methods.add(method)
    return sorted(methods | {"OPTIONS"}) if methods else []


async def shared_rules(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """The middleware: OPTIONS, the security headers, and a 500 that has them."""
    if request.method == "OPTIONS":
        allowed = allowed_methods(request.app, request)
        response: Response = (
            Response(status_code=204, headers={"Allow": ", ".join(allowed)}) if allowed
            else error_response(request, 404, "Not Found"))
    else:
        try:
            response = await call_next(request)
        except Exception:
            log.exception("publish: unhandled error on %s %s", request.method, request.url.path)
            response = error_response(request, 500, INTERNAL_ERROR)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _kind(request: Request) -> str:
    path = request.url.path
    if path.startswith("/api/") or path.endswith(".json"):
        return "json"
    return "text" if path.startswith("/feeds/") else "html"


def error_response(request: Request, status_code: int, message: str,
                   headers: Mapping[str, str] | None = None) -> Response:
    """The error as the kind of answer the path gives, the message for a reader."""
    message = for_reader(message)
    kind = _kind(request)
    if kind == "json":
        return JSONResponse({"error": message}, status_code=status_code, headers=headers)
    if kind == "text":
        return PlainTextResponse(message, status_code=status_code, headers=headers)
    settings = request.app.state.publish.settings
    response = render("error", {"site": settings, "title": f"Error {status_code}",
                                "message": message, "json_url": None, "feeds": []},
                      status_code=status_code)
    response.headers.update(headers or {})
    return response


def install(app: FastAPI) -> None:
    """The middleware and the error handlers, on ``app``."""
    app.middleware("http")(shared_rules)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request.app, request))
        return error_response(request, exc.status_code, str(exc.detail), headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors]
        in_parameters = all(e["loc"][:1] and e["loc"][0] in _PARAMETER_PLACES for e in errors)
        unreadable_body = any(e.get("type") == "json_invalid" for e in errors)
        status = 400 if in_parameters or unreadable_body else 422
        return error_response(request, status, "Invalid request: " + "; ".join(problems))

    @app.exception_handler(StoreError)
    async def store_down(request: Request, exc: StoreError) -> Response:
        # The reason names the database; it is for the operator, not the reader.
        log.error("%s", exc)
        return error_response(request, 503, STORE_DOWN)
