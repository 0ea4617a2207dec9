"""The OpenAPI document says what the API does: every answer, every format.

FastAPI describes the successful answer of each operation and, for every
one, a 422 with its own validation shape that this app never sends (see
``responses.py``: parameters that cannot be read are 400, and every error is
``{"error": "..."}``). :func:`install` replaces that with :data:`ANSWERS`,
the errors each operation really gives, all with :data:`ERROR_SCHEMA`, and
gives ``from``, ``to`` and ``cursor`` their formats. A test runs a
property-based client against the served document (tests/publish/
test_api_contract.py), so an answer missing here fails the suite.

Writes (see ``admin.py``): no ``Authorization`` header is 401 with
``WWW-Authenticate``, as is a token that is not the server's; a token sent
to a server where writing is off (no BABELWIRE_ADMIN_TOKEN) is 403.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string", "description": "One sentence for a reader"}},
}

_UNREADABLE = "A parameter cannot be read (the message names it)"
_NOT_JSON = "The body is not JSON, or a parameter cannot be read"
_SERVICE = {503: "The database cannot be reached"}
_WRITE = {
    401: "No token, or not the server's token (see WWW-Authenticate)",
    403: "Writing is off on this server: it has no BABELWIRE_ADMIN_TOKEN",
}

#: (method, path) -> status -> when it is given; every operation of the app
#: must be here (a test checks), and each answer is one the code can give.
ANSWERS: dict[tuple[str, str], dict[int, str]] = {
    ("get", "/api/v1/items"): {
        400: "A filter, the cursor or the limit cannot be read, or 'from' is after 'to'"},
    ("get", "/api/v1/search"): {
        400: "No query, malformed search text, or a filter, the cursor or the limit "
             "cannot be read"},
    ("get", "/api/v1/items/{item_id}"): {404: "No such item"},
    ("get", "/api/v1/items/{item_id}/versions"): {404: "No such item"},
    ("get", "/api/v1/documents/{doc_id}/translation"): {
        404: "No such document, or it has no translation"},
    ("get", "/api/v1/sources"): {},
    ("get", "/api/v1/stats"): {},
    ("get", "/api/v1/stories"): {400: _UNREADABLE},
    ("get", "/api/v1/stories/{story_id}"): {404: "No such story"},
    ("post", "/api/v1/sources"): {
        400: _NOT_JSON, **_WRITE, 409: "The source id is taken",
        422: "The table is not a valid source; 'problems' lists each fault"},
    ("put", "/api/v1/sources/{source_id}/enabled"): {
        400: _NOT_JSON, **_WRITE, 404: "No such source",
        422: 'The body is not {"enabled": true|false}'},
    ("post", "/api/v1/sources/{source_id}/fetch"): {
        400: _UNREADABLE, **_WRITE, 404: "No such source"},
    ("put", "/api/v1/documents/{doc_id}/translation"): {
        400: _NOT_JSON, **_WRITE, 404: "No such document",
        422: "The edit cannot be applied: the message says what to change"},
    ("get", "/api/v1/subscriptions"): {**_WRITE},
    ("post", "/api/v1/subscriptions"): {
        400: _NOT_JSON, **_WRITE, 409: "A subscription of that name exists",
        422: "The body is not a subscription, or a field is refused (the message names it)"},
    ("delete", "/api/v1/subscriptions/{name}"): {**_WRITE, 404: "No such subscription"},
}

_DAY_PARAMETERS = {
    "from": "First day, YYYY-MM-DD (UTC), inclusive; empty: no first day",
    "to": "Last day, YYYY-MM-DD (UTC), inclusive; empty: no last day",
}
#: A day, or nothing: a GET form sends an empty field as "to=", which means "any".
DAY_SCHEMA: dict[str, Any] = {"type": "string", "anyOf": [{"format": "date"}, {"maxLength": 0}]}
_CURSOR = ("Opaque: the next_cursor of the previous page, sent with the same filters. "
           "Any other value, or a cursor of another list, is refused with 400.")


def _error_answer(description: str, status: int) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if status == 401:
        answer["headers"] = {"WWW-Authenticate": {
            "description": "The Bearer challenge (RFC 6750)", "required": True,
            "schema": {"type": "string"}}}
    return answer


def _plain(schema: dict[str, Any]) -> dict[str, Any]:
    """``str | None`` is ``anyOf [string, null]``; a query parameter is never null."""
    kinds = [kind for kind in schema.get("anyOf", ()) if kind.get("type") != "null"]
    if len(kinds) != 1:
        return schema
    return {**{k: v for k, v in schema.items() if k != "anyOf"}, **kinds[0]}


def _parameters(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", ()):
        if parameter.get("in") == "path":
            parameter["schema"] = {**parameter["schema"], "minLength": 1}
        if parameter.get("in") != "query":
            continue
        parameter["schema"] = _plain(parameter["schema"])
        name = parameter["name"]
        if name in _DAY_PARAMETERS:
            parameter["schema"] = DAY_SCHEMA
            parameter["description"] = _DAY_PARAMETERS[name]
        elif name == "cursor":
            parameter["description"] = _CURSOR


def document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document with the answers of :data:`ANSWERS`."""
    spec = get_openapi(title=app.title, version=app.version, description=app.description,
                       routes=app.routes)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas["Error"] = ERROR_SCHEMA
    for path, methods in spec.get("paths", {}).items():
        for method, operation in methods.items():
            answers = ANSWERS[(method, path)]
            operation["responses"].pop("422", None)
            for status, description in {**answers, **_SERVICE}.items():
                operation["responses"][str(status)] = _error_answer(description, status)
            _parameters(operation)
    return spec


def install(app: FastAPI) -> None:
    """Serve :func:`document` (built once) as the app's OpenAPI document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
