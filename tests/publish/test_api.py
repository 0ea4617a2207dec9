"""The public JSON API: items, one item (ninjs), versions, sources, search, stats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

SCHEMA_PATH = Path(__file__).parents[2] / ".." / "shared" / "standards" / "ninjs-schema_3.1.json"


@pytest.fixture(scope="module")
def ninjs_validator() -> Any:
    if not SCHEMA_PATH.is_file():
        pytest.skip("../shared/standards/ninjs-schema_3.1.json is absent")
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def test_items_pages_by_cursor_with_total_and_facets(client: TestClient, seeded: Any) -> None:
    first = client.get("/api/v1/items?limit=4&facets=true").json()
    assert len(first["items"]) == 4 and first["next_cursor"]
    assert first["next"].startswith("http://127.0.0.1:8000/api/v1/items?")
    assert {f["value"]: f["count"] for f in first["facets"]["region"]} == {
        "Russian Federation": 2, "France": 2, "China": 2}
    second = client.get(f"/api/v1/items?limit=4&cursor={first['next_cursor']}").json()
    assert len(second["items"]) == 2 and second["next_cursor"] is None
    uris = [i["uri"] for i in first["items"] + second["items"]]
    assert len(set(uris)) == len(seeded[1].items)


def test_items_filters_match_the_web_filters(client: TestClient) -> None:
    body = client.get("/api/v1/items?region=France&section=Diplomacy").json()
    assert [i["headlines"][0]["value"] for i in body["items"]] == [
        "Minister visits Baghdad", "Statement on sanctions"]
    assert client.get("/api/v1/items?from=2030-01-01").json()["items"] == []


def test_bad_requests_are_one_line_json_errors(client: TestClient) -> None:
    response = client.get("/api/v1/items?from=tomorrow")
    assert response.status_code == 400
    assert response.json() == {
        "error": "Cannot read from='tomorrow' as a date (use YYYY-MM-DD)"}
    limit = client.get("/api/v1/items?limit=100000")
    assert limit.status_code == 400 and "limit" in limit.json()["error"]
    cursor = client.get("/api/v1/items?cursor=not-a-cursor")
    assert cursor.status_code == 400
    assert cursor.json()["error"] == (
        "The page link (cursor 'not-a-cursor') is damaged: start again from the first page")
    assert client.get("/api/v1/items/nope").json() == {"error": "No item 'nope'"}


def test_one_item_is_valid_ninjs(client: TestClient, seeded: Any,
                                 ninjs_validator: Any) -> None:
    for item in seeded[1].items.values():
        body = client.get(f"/api/v1/items/{item.id}").json()
        errors = [e.message for e in ninjs_validator.iter_errors(body)]
        assert errors == [], item.slug
        assert body["version"] == "1"
    listed = client.get("/index.json").json()["items"]
    for body in listed:
        assert not list(ninjs_validator.iter_errors(body))


def test_versions_and_translation_for_editors(client: TestClient, seeded: Any) -> None:
    item = seeded[1].item("visit")
    versions = client.get(f"/api/v1/items/{item.id}/versions").json()["versions"]
    assert [v["version"] for v in versions] == ["1"]
    translation = client.get(f"/api/v1/documents/{item.document_id}/translation").json()
    assert translation["headline"] == "Minister visits Baghdad"
    assert translation["source"]["body"] == [
        "Le ministre s'est rendu à Bagdad.", "Il a rencontré son homologue."]
    assert translation["engines"] == [{"engine": "argos", "model": "opus-mt-fr-en",
                                       "version": "1.0"}]
    assert client.get("/api/v1/documents/nope/translation").status_code == 404


def test_search_returns_snippets_and_facets(client: TestClient) -> None:
    body = client.get("/api/v1/search?q=Baghdad").json()
    assert [i["headlines"][0]["value"] for i in body["items"]] == ["Minister visits Baghdad"]
    snippet = body["results"][0]["snippet_html"]
    assert "<mark>" in snippet
    assert body["facets"]["region"] == [{"value": "France", "count": 1}]
    assert client.get("/api/v1/search").status_code == 400
    bad = client.get('/api/v1/search?q="unclosed')
    assert bad.status_code == 400 and bad.json()["error"].startswith("Unclosed quote")


def test_sources_and_stats(client: TestClient, seeding: Any) -> None:
    sources = client.get("/api/v1/sources").json()["sources"]
    assert {s["id"] for s in sources} == {s.id for s in seeding.SOURCES}
    stats = client.get("/api/v1/stats").json()
    assert stats["waiting"] == 1
    assert json.dumps(stats)


def test_openapi_lists_every_operation_and_docs_render(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/v1/items", "/api/v1/items/{item_id}", "/api/v1/search",
                 "/api/v1/sources", "/api/v1/stats", "/api/v1/documents/{doc_id}/translation",
                 "/api/v1/sources/{source_id}/fetch", "/api/v1/sources/{source_id}/enabled"):
        assert path in paths, path
    assert "put" in paths["/api/v1/documents/{doc_id}/translation"]
    assert not any(p.startswith("/feeds") or p == "/" for p in paths)
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/v1/documents/{doc_id}/translation" in docs.text
    assert "<script" not in docs.text
