"""Writing through the API: the token rules, post-edits, sources, fetch requests."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from babelwire.publish.app import create_app
from babelwire.publish.settings import PublishSettings

EDIT = {"headline": "UN mission in Iraq completes its work", "section": "Peace and security",
        "body": ["The UN mission will complete its work on 31 December 2025.",
                 "The head of the mission described its main achievements."]}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def client_for(store: Any, seeding: Any, token: str | None) -> TestClient:
    app = create_app(lambda: store, settings=PublishSettings(admin_token=token),
                     sources=seeding.SOURCES, compose=seeding.COMPOSE, clock=lambda: seeding.NOW)
    return TestClient(app)


def test_without_a_token_writing_is_off(fresh: Any, seeding: Any) -> None:
    client = client_for(fresh[0], seeding, None)
    doc_id = fresh[1].item("unami").document_id
    response = client.put(f"/api/v1/documents/{doc_id}/translation", json=EDIT,
                          headers=auth("anything"))
    assert response.status_code == 403
    assert "Writing is off: set BABELWIRE_ADMIN_TOKEN" in response.json()["error"]
    # No token at all is a request without credentials: 401 and the challenge.
    anonymous = client.post("/api/v1/sources/mfa-fr/fetch")
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == 'Bearer realm="babelwire"'
    assert "writing is off" in anonymous.json()["error"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": "Basic dXNlcjpwYXNz"},
                                     {"Authorization": "Bearer "}])
def test_missing_or_wrong_token_is_401(admin_client: TestClient, fresh: Any,
                                       headers: dict[str, str]) -> None:
    doc_id = fresh[1].item("unami").document_id
    response = admin_client.put(f"/api/v1/documents/{doc_id}/translation", json=EDIT,
                                headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert fresh[0].item(fresh[1].item("unami").id).version == 1


def test_edit_publishes_version_two_listed_on_the_item_page(
    admin_client: TestClient, fresh: Any, admin_token: str
) -> None:
    item = fresh[1].item("unami")
    response = admin_client.put(f"/api/v1/documents/{item.document_id}/translation", json=EDIT,
                                headers=auth(admin_token))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 2 and body["id"] == item.id
    assert body["url"] == f"http://127.0.0.1:8000/items/{item.id}/{item.slug}"
    stored = fresh[0].item(item.id)
    assert stored.headline == EDIT["headline"] and stored.engines == ("human",)
    assert [v.version for v in fresh[0].item_versions(item.id)] == [1, 2]
    translation = fresh[0].translation(item.document_id)
    assert translation.body[0].engine == "human" and translation.body[0].model == "editor"
    assert translation.body[0].model_version == "2025-12-12T12:00:00+00:00"
    page = lxml_html.fromstring(admin_client.get(f"/items/{item.id}/{item.slug}").text)
    versions = [li.text_content() for li in page.cssselect("section.versions li")]
    assert len(versions) == 2 and "Version 2" in versions[1]
    assert "Human translation or post-edit" in versions[1]
    old = admin_client.get(f"/items/{item.id}/{item.slug}?version=1")
    assert "UN mission in Iraq to complete its work" in old.text
    assert "Read the current version (2)" in old.text
    # The same edit again changes nothing: still version 2.
    again = admin_client.put(f"/api/v1/documents/{item.document_id}/translation", json=EDIT,
                             headers=auth(admin_token))
    assert again.json()["version"] == 2


def test_edit_refusals_say_what_to_fix(admin_client: TestClient, fresh: Any,
                                       admin_token: str) -> None:
    doc_id = fresh[1].item("unami").document_id
    url = f"/api/v1/documents/{doc_id}/translation"
    short = admin_client.put(url, json={**EDIT, "body": ["one"]}, headers=auth(admin_token))
    assert short.status_code == 422
    assert "has 2 paragraphs and the edit gives 1" in short.json()["error"]
    extra = admin_client.put(url, json={**EDIT, "tone": "x"}, headers=auth(admin_token))
    assert extra.status_code == 422
    missing = admin_client.put("/api/v1/documents/nope/translation", json=EDIT,
                               headers=auth(admin_token))
    assert missing.status_code == 404 and missing.json()["error"] == "No document 'nope'"
    assert fresh[0].item(fresh[1].item("unami").id).version == 1


def test_add_source_validates_like_the_catalog(admin_client: TestClient, fresh: Any,
                                               admin_token: str) -> None:
    table = {"id": "mfa-de", "name": "Auswärtiges Amt", "region": "Germany",
             "languages": ["de"], "feeds": ["https://amt.example.de/rss.xml"]}
    created = admin_client.post("/api/v1/sources", json=table, headers=auth(admin_token))
    assert created.status_code == 201, created.text
    assert "mfa-de" in fresh[0].source_ids()
    assert any(r["id"] == "mfa-de" for r in admin_client.get("/sources.json").json()["sources"])
    taken = admin_client.post("/api/v1/sources", json=table, headers=auth(admin_token))
    assert taken.status_code == 409
    bad = admin_client.post("/api/v1/sources", json={**table, "id": "Bad Id!", "languages": []},
                            headers=auth(admin_token))
    assert bad.status_code == 422 and len(bad.json()["problems"]) >= 1
    private = admin_client.post("/api/v1/sources", json={**table, "id": "lan",
                                                         "allow_private": True},
                                headers=auth(admin_token))
    assert private.status_code == 422 and "catalog file" in private.json()["error"]


def test_fetch_request_and_enable_reach_the_store(fresh: Any, seeding: Any,
                                                  admin_token: str) -> None:
    store = fresh[0]
    client = client_for(store, seeding, admin_token)
    accepted = client.post("/api/v1/sources/mfa-fr/fetch", headers=auth(admin_token))
    assert accepted.status_code == 202
    assert accepted.json()["due_at"] == "2025-12-12T12:00:00+00:00"
    assert store.health("mfa-fr").next_due_at == seeding.NOW
    assert client.put("/api/v1/sources/mfa-fr/enabled", json={"enabled": False},
                      headers=auth(admin_token)).status_code == 200
    assert store.disabled_source_ids() == {"mfa-fr"}
    assert client.post("/api/v1/sources/nope/fetch", headers=auth(admin_token)).status_code == 404


def test_added_source_is_written_to_the_catalog_the_runner_reads(
    fresh: Any, seeding: Any, admin_token: str, tmp_path: Any
) -> None:
    from fastapi.testclient import TestClient

    from babelwire.catalog import load_catalog
    from babelwire.publish.app import create_app
    from babelwire.publish.settings import PublishSettings

    app = create_app(lambda: fresh[0], settings=PublishSettings(admin_token=admin_token),
                     sources=seeding.SOURCES, compose=seeding.COMPOSE,
                     clock=lambda: seeding.NOW, catalog_dir=tmp_path)
    table = {"id": "mfa-de", "name": "Auswärtiges Amt", "region": "Germany",
             "languages": ["de"], "feeds": ["https://amt.example.de/rss.xml"]}
    created = TestClient(app).post("/api/v1/sources", json=table, headers=auth(admin_token))
    assert created.status_code == 201, created.text
    catalog = load_catalog(tmp_path)
    assert catalog.problems == ()
    assert catalog.get("mfa-de").feeds == ("https://amt.example.de/rss.xml",)
