"""``sort=relevance|newest`` on the API's search and item lists and on the
search page: relevance by default when there is search text, newest first
otherwise, and in the OpenAPI document."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from babelwire.model import Document, Extracted, Item, Source, Stage, document_id
from babelwire.store import Store

SOURCE = Source(id="lamps", name="Lamp Office", desk="Press", region="Iceland",
                languages=("en",))
#: Oldest first: the oldest is the best match, the newest a poor one.
TEXTS = (
    ("Lighthouse lighthouse report", "The lighthouse lighthouse keeper and the lighthouse."),
    ("Weather at sea", "Rain; the old lighthouse was dark."),
    ("Harbour fees", "A new fee, paid near the lighthouse, for every ship and every boat."),
)


def _add_items(store: Store) -> None:
    store.upsert_sources([SOURCE])
    pairs = []
    for k, (headline, body) in enumerate(TEXTS):
        url = f"http://127.0.0.1:1/lamps/{k}"
        # Far in the future of the seeded wire, so the newest items are these.
        created = datetime(2031, 1, 1, tzinfo=UTC) + timedelta(hours=k)
        doc = Document(id=document_id(SOURCE.id, url), source_id=SOURCE.id, url=url,
                       stage=Stage.EXTRACTED,
                       extracted=Extracted(title=headline, blocks=(), language="en",
                                           published=created, published_has_time=True))
        pairs.append((doc, Item(
            id=f"lamp-{k}", document_id=doc.id, version=1, slug=f"lamp-{k}", headline=headline,
            section=None, body=(body,), kind="translation", source_id=SOURCE.id,
            source_name=SOURCE.name, desk=SOURCE.desk, region=SOURCE.region,
            original_language="en", original_headline=headline, original_url=url,
            published=created, published_has_time=True, first_created=created,
            version_created=created, disclaimer="Please note.", disclaimer_version="1",
            publisher="Test Wire")))
    store.save_documents(doc for doc, _ in pairs)
    store.save_items(item for _, item in pairs)


@pytest.fixture
def lamps(wire: tuple[TestClient, Any], store: Store) -> TestClient:
    _add_items(store)
    return wire[0]


def _headlines(body: dict[str, Any]) -> list[str]:
    return [item["headlines"][0]["value"] for item in body["items"]]


BEST, NEWEST = TEXTS[0][0], TEXTS[2][0]


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/items", "/search.json"])
def test_search_text_is_ranked_by_relevance_unless_newest_is_asked(
    lamps: TestClient, path: str
) -> None:
    ranked = lamps.get(path, params={"q": "lighthouse"}).json()
    assert _headlines(ranked)[0] == BEST
    asked = lamps.get(path, params={"q": "lighthouse", "sort": "relevance"}).json()
    assert _headlines(asked) == _headlines(ranked)
    newest = lamps.get(path, params={"q": "lighthouse", "sort": "newest"}).json()
    assert _headlines(newest) == [NEWEST, TEXTS[1][0], BEST]


def test_without_search_text_the_list_is_newest_first(lamps: TestClient) -> None:
    plain = lamps.get("/api/v1/items", params={"limit": 3}).json()
    assert _headlines(plain) == [NEWEST, TEXTS[1][0], BEST]
    # Nothing to score: relevance lists newest first too.
    ranked = lamps.get("/api/v1/items", params={"limit": 3, "sort": "relevance"}).json()
    assert _headlines(ranked) == _headlines(plain)


def test_the_next_page_keeps_the_order(lamps: TestClient) -> None:
    for sort, expected in (("relevance", BEST), ("newest", NEWEST)):
        first = lamps.get("/api/v1/search", params={"q": "lighthouse", "limit": 1, "sort": sort})
        assert _headlines(first.json()) == [expected]
        following = lamps.get(first.json()["next"].removeprefix("http://testserver"))
        assert following.status_code == 200 and f"sort={sort}" in first.json()["next"]
        assert _headlines(following.json())[0] != expected


def test_an_unknown_sort_is_one_clear_error(lamps: TestClient) -> None:
    for path in ("/api/v1/search", "/search.json"):
        response = lamps.get(path, params={"q": "lighthouse", "sort": "oldest"})
        assert response.status_code == 400
        assert "sort" in response.json()["error"] and "\n" not in response.json()["error"]


def test_the_search_page_offers_both_orders(lamps: TestClient) -> None:
    tree = lxml_html.fromstring(lamps.get("/search", params={"q": "lighthouse"}).text)
    assert tree.cssselect("ol.items h3 a")[0].text_content() == BEST
    assert tree.cssselect("#f-sort option[selected]")[0].get("value") == "relevance"
    tree = lxml_html.fromstring(
        lamps.get("/search", params={"q": "lighthouse", "sort": "newest"}).text)
    assert tree.cssselect("ol.items h3 a")[0].text_content() == NEWEST
    assert tree.cssselect("#f-sort option[selected]")[0].get("value") == "newest"


def test_the_openapi_document_lists_sort(lamps: TestClient) -> None:
    spec = lamps.get("/api/openapi.json").json()
    for path in ("/api/v1/search", "/api/v1/items"):
        (sort,) = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "sort"]
        schema = sort["schema"].get("anyOf", [sort["schema"]])[0]
        assert schema["enum"] == ["relevance", "newest"]
        assert "relevance" in sort["description"]
