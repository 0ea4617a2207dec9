"""Requests no reader means to send: each is answered, never with a traceback.

Run on both backends: PostgreSQL refuses what SQLite takes (a NUL in text),
so a request that is harmless on one can be a server error on the other.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from babelwire.publish.app import create_app
from babelwire.publish.responses import CONTENT_SECURITY_POLICY, INTERNAL_ERROR
from babelwire.publish.settings import PublishSettings

#: Every list surface, each with a query that matches something.
LISTS = ["/", "/index.json", "/search?q=mission", "/search.json?q=mission", "/feeds/rss",
         "/feeds/atom", "/api/v1/items", "/api/v1/search?q=mission"]


def with_param(path: str, param: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{param}"


@pytest.mark.parametrize("path", LISTS)
def test_the_first_and_last_days_there_are_are_dates_like_any_other(
    wire: tuple[TestClient, Any], path: str
) -> None:
    client, _ = wire
    everything = client.get(path)
    assert everything.status_code == 200
    for param in ("to=9999-12-31", "from=0001-01-01", "from=0001-01-01&to=9999-12-31"):
        response = client.get(with_param(path, param))
        assert response.status_code == 200, (param, response.text[:200])
        assert response.content.count(b"mission") == everything.content.count(b"mission")
    assert client.get(with_param(path, "from=9999-12-31")).status_code == 200


@pytest.mark.parametrize("path", LISTS)
def test_a_date_out_of_every_range_is_a_400_with_a_message(
    wire: tuple[TestClient, Any], path: str
) -> None:
    client, _ = wire
    for param in ("to=10000-01-01", "from=0000-12-31", "to=2025-02-30", "to=20251212",
                  "from=２０２５-12-12"):
        response = client.get(with_param(path, param))
        assert response.status_code == 400, param
        assert "as a date (use YYYY-MM-DD)" in response.text, param


def test_a_version_that_is_not_ascii_digits_is_a_400(wire: tuple[TestClient, Any]) -> None:
    client, seeded = wire
    item = seeded.item("visit")
    for version in ("²", "٣", "1e3", "-1", "9" * 40):
        page = client.get(f"/items/{item.id}", params={"version": version})
        assert page.status_code == 400, version
        message = lxml_html.fromstring(page.text).cssselect("p.error")[0].text_content()
        assert message.startswith("The version must be a whole number"), message
        twin = client.get(f"/items/{item.id}.json", params={"version": version})
        assert twin.status_code == 400
        assert twin.json()["error"].startswith("The version must be a whole number")


@pytest.mark.parametrize("bad_id", ["%00", "a%00b", "%01", "%ED%A0%80"])
def test_an_id_no_row_can_have_is_a_404(wire: tuple[TestClient, Any], bad_id: str,
                                        admin_token: str) -> None:
    client, _ = wire
    for path in (f"/items/{bad_id}", f"/items/{bad_id}.json", f"/items/{bad_id}/slug",
                 f"/api/v1/items/{bad_id}", f"/api/v1/items/{bad_id}/versions",
                 f"/api/v1/documents/{bad_id}/translation"):
        assert client.get(path).status_code == 404, path
    auth = {"Authorization": f"Bearer {admin_token}"}
    edit = {"headline": "x", "section": None, "body": ["y"]}
    writes = [client.put(f"/api/v1/documents/{bad_id}/translation", json=edit, headers=auth),
              client.post(f"/api/v1/sources/{bad_id}/fetch", headers=auth),
              client.put(f"/api/v1/sources/{bad_id}/enabled", json={"enabled": False},
                         headers=auth)]
    assert [response.status_code for response in writes] == [404, 404, 404]


def test_messages_are_said_for_a_reader(wire: tuple[TestClient, Any]) -> None:
    client, _ = wire
    for path in ("/?cursor=abc", "/index.json?cursor=abc", "/api/v1/items?cursor=abc",
                 "/feeds/rss?from=x", '/search?q="open', "/items/nope",
                 "/api/v1/items/nope"):
        response = client.get(path)
        assert 400 <= response.status_code < 500
        text = response.text
        for stage in ("publish:", "store:", "search:", "api:"):
            assert stage not in text, (path, stage)
    body = client.get("/api/v1/items?cursor=abc").json()
    assert body == {"error": "The page link (cursor 'abc') is damaged: "
                             "start again from the first page"}


class BrokenStore:
    """A store whose every method fails with an error nobody planned for."""

    def __getattr__(self, name: str) -> Any:
        def fail(*_: Any, **__: Any) -> Any:
            raise RuntimeError(f"{name} is broken")

        return fail


@pytest.mark.parametrize(("path", "kind"), [
    ("/", "text/html"), ("/index.json", "application/json"), ("/feeds/rss", "text/plain"),
    ("/api/v1/items", "application/json"), ("/items/x", "text/html"),
])
def test_an_unhandled_error_is_a_500_with_the_security_headers(
    seeding: Any, path: str, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(BrokenStore, settings=PublishSettings(), sources=seeding.SOURCES)
    response = TestClient(app).get(path)
    assert response.status_code == 500
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-type"].startswith(kind)
    assert INTERNAL_ERROR in response.text and "broken" not in response.text
    assert "is broken" in caplog.text
