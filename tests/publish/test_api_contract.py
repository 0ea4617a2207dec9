"""The OpenAPI document is true: a property-based client finds no answer it
does not describe, on every operation, reading and writing, on both backends.

schemathesis reads ``/api/openapi.json`` from the app and sends generated
requests, valid ones and ones the document says are invalid, through the
ASGI interface (nothing leaves the process); every answer is checked against
the document (status code, content type, headers, body schema) and must not
be a server error. The number of examples is bounded so the suite stays quick.

One check is left out, ``positive_data_acceptance`` ("a request the schema
allows gets 2xx"): search text and cursors have grammars JSON Schema cannot
state (an unclosed quote, a cursor of another list, 'from' after 'to'), so a
schema-valid request can rightly be a 400, which the document lists.
"""

from __future__ import annotations

from typing import Any, cast

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from babelwire.publish.app import create_app
from babelwire.publish.contract import ANSWERS, DAY_SCHEMA
from babelwire.publish.settings import PublishSettings

#: Examples per operation and mode: enough to reach every documented answer.
EXAMPLES = 15


def operations(client: TestClient) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", client.app)
    # The app's own document always loads: every result is Ok.
    return [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]


def negatable(operation: Any) -> bool:
    """Whether an invalid request can be written for ``operation``: it needs a
    query parameter or a body (a path segment cannot be made invalid, and an
    operation without parameters takes any request)."""
    places = {parameter.location for parameter in operation.iter_parameters()}
    return "query" in places or (operation.body is not None and len(operation.body) > 0)


def test_every_operation_has_its_answers_listed(wire: tuple[TestClient, Any]) -> None:
    client, _ = wire
    spec = client.get("/api/openapi.json").json()
    served = {(method, path) for path, methods in spec["paths"].items() for method in methods}
    assert served == set(ANSWERS)
    for (method, path), answers in ANSWERS.items():
        listed = spec["paths"][path][method]["responses"]
        assert "422" not in listed or 422 in answers
        for status in answers:
            schema = listed[str(status)]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}
    items = {p["name"]: p for p in spec["paths"]["/api/v1/items"]["get"]["parameters"]}
    assert items["from"]["schema"] == DAY_SCHEMA == items["to"]["schema"]
    assert {"format": "date"} in DAY_SCHEMA["anyOf"]
    assert "next_cursor" in items["cursor"]["description"]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_documented(
    wire: tuple[TestClient, Any], admin_token: str, mode: GenerationMode
) -> None:
    client, _ = wire
    token = {"Authorization": f"Bearer {admin_token}"}
    found = operations(client)
    assert {(op.method.lower(), op.path) for op in found} == set(ANSWERS)
    for operation in found:
        if mode is GenerationMode.NEGATIVE and not negatable(operation):
            continue

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def answers_as_documented(case: Any) -> None:
            case.call_and_validate(headers=token, excluded_checks=[positive_data_acceptance])

        answers_as_documented()


def allow(response: Any) -> set[str]:
    return {method.strip() for method in response.headers["allow"].split(",")}


def test_options_names_every_method_served_at_the_path(wire: tuple[TestClient, Any]) -> None:
    client, seeded = wire
    doc_id = seeded.item("visit").document_id
    translation = client.options(f"/api/v1/documents/{doc_id}/translation")
    assert translation.status_code == 204
    assert allow(translation) == {"GET", "PUT", "OPTIONS"}
    assert allow(client.options("/api/v1/sources")) == {"GET", "POST", "OPTIONS"}
    assert allow(client.options("/api/v1/sources/mfa-fr/enabled")) == {"PUT", "OPTIONS"}
    # HEAD is named only where it is served (feeds, static files).
    assert allow(client.options("/feeds/rss")) == {"GET", "HEAD", "OPTIONS"}
    assert allow(client.options("/static/style.css")) == {"GET", "HEAD", "OPTIONS"}
    assert client.head("/feeds/rss").status_code == 200
    assert allow(client.head("/api/v1/items")) == {"GET", "OPTIONS"}
    assert client.options("/nowhere").status_code == 404
    # A method not served: 405, and Allow names the same methods as OPTIONS.
    refused = client.delete(f"/api/v1/documents/{doc_id}/translation")
    assert refused.status_code == 405 and allow(refused) == allow(translation)
    assert refused.json() == {"error": "Method Not Allowed"}


def test_writes_answer_401_without_a_token_and_403_when_writing_is_off(
    wire: tuple[TestClient, Any], seeding: Any
) -> None:
    client, seeded = wire
    store = cast(FastAPI, client.app).state.publish.store
    doc_id = seeded.item("visit").document_id
    edit = {"headline": "x", "section": None, "body": ["y"]}
    off = TestClient(create_app(lambda: store, settings=PublishSettings(),
                                sources=seeding.SOURCES))
    for app_client in (client, off):
        anonymous = app_client.put(f"/api/v1/documents/{doc_id}/translation", json=edit)
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"] == 'Bearer realm="babelwire"'
    wrong = client.post("/api/v1/sources/mfa-fr/fetch", headers={"Authorization": "Bearer no"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    refused = off.post("/api/v1/sources/mfa-fr/fetch", headers={"Authorization": "Bearer x"})
    assert refused.status_code == 403 and "Writing is off" in refused.json()["error"]


def test_subscription_routes_answer_as_documented(
    wire: tuple[TestClient, Any], admin_token: str
) -> None:
    """Each answer of the subscriptions' admin routes, asked for in turn, has
    the status, headers and body the document gives (generated requests
    rarely reach a 409 or a 204)."""
    client, _ = wire
    token = {"Authorization": f"Bearer {admin_token}"}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", client.app)
    listing = schema["/api/v1/subscriptions"]["GET"]
    adding = schema["/api/v1/subscriptions"]["POST"]
    removing = schema["/api/v1/subscriptions/{name}"]["DELETE"]

    def status(case: Any, **headers: str) -> int:
        response = case.call_and_validate(headers=headers or token,
                                          excluded_checks=[positive_data_acceptance])
        return int(response.status_code)

    hook = {"name": "summits", "query": "summit",
            "webhook": "https://hooks.example.org/wire"}
    assert status(adding.Case(body=hook)) == 201
    assert status(adding.Case(body=hook)) == 409
    assert status(adding.Case(body={**hook, "name": "Not A Name"})) == 422
    assert status(adding.Case(body={"name": "x"})) == 422
    assert status(adding.Case(body=hook), Authorization="Bearer no") == 401
    assert status(listing.Case()) == 200
    listed = client.get("/api/v1/subscriptions", headers=token).json()["subscriptions"]
    assert [s["name"] for s in listed] == ["summits"] and "secret" not in listed[0]
    assert status(removing.Case(path_parameters={"name": "summits"})) == 204
    assert status(removing.Case(path_parameters={"name": "summits"})) == 404
    unreadable = client.post("/api/v1/subscriptions", content=b"{",
                             headers={**token, "Content-Type": "application/json"})
    assert unreadable.status_code == 400
    store = cast(FastAPI, client.app).state.publish.store
    off = TestClient(create_app(lambda: store, settings=PublishSettings(), sources=[]))
    off_schema = schemathesis.openapi.from_asgi("/api/openapi.json", off.app)
    refused = off_schema["/api/v1/subscriptions"]["GET"].Case().call_and_validate(
        headers={"Authorization": "Bearer x"}, excluded_checks=[positive_data_acceptance])
    assert refused.status_code == 403
    spec = client.get("/api/openapi.json").json()
    created = spec["paths"]["/api/v1/subscriptions"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CreatedSubscription"}
