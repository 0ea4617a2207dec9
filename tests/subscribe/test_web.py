"""The web side: a subscription's Atom feed, /feeds.opml, and the admin routes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import feedparser
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from babelwire.model import Item
from babelwire.publish.app import create_app
from babelwire.publish.settings import PublishSettings
from babelwire.store import Store
from babelwire.subscribe.subscriptions import new_subscription

from .conftest import SOURCES, START

TOKEN = "subscriptions-admin-token-1"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def client(wired: Store) -> TestClient:
    app = create_app(lambda: wired, settings=PublishSettings(
        base_url="https://wire.example", admin_token=TOKEN, publisher="Test Wire"),
        sources=SOURCES, clock=lambda: START)
    return TestClient(app)


def _auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def test_a_subscription_has_a_valid_atom_feed_at_a_stable_url(
    client: TestClient, wired: Store, publish: Callable[..., Item],
    at: Callable[[float], datetime],
) -> None:
    publish("a", "Summit opens", at=at(1))
    publish("b", "Harvest report", at=at(2))
    publish("c", "Summit closes", at=at(3), source_id="un-news-ru")
    wired.add_subscription(new_subscription("summits", "summit", now=at(0)))
    response = client.get("/feeds/subscriptions/summits.atom")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.version == "atom10" and not feed.bozo
    assert feed.feed.title == "Test Wire: summits (“summit”)"
    assert [e.title for e in feed.entries] == ["Summit closes", "Summit opens"]
    root = etree.fromstring(response.content)
    assert root.findtext(f"{ATOM}id") == "https://wire.example/feeds/subscriptions/summits.atom"
    for entry in root.iterfind(f"{ATOM}entry"):
        assert all(entry.find(f"{ATOM}{name}") is not None
                   for name in ("id", "title", "updated", "author", "content"))
    again = client.get("/feeds/subscriptions/summits.atom",
                       headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("name", ["nobody", "UPPER", "..%2f..%2fetc", "a" * 300])
def test_an_unknown_subscription_feed_is_404(client: TestClient, name: str) -> None:
    assert client.get(f"/feeds/subscriptions/{name}.atom").status_code == 404


def test_feeds_opml_lists_sources_and_subscriptions(
    client: TestClient, wired: Store, at: Callable[[float], datetime],
) -> None:
    wired.add_subscription(new_subscription("summits", "summit", now=at(0)))
    response = client.get("/feeds.opml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/x-opml")
    urls = [o.get("xmlUrl") for o in etree.fromstring(response.content).iter("outline")]
    assert "https://wire.example/feeds/atom?source=mfa-fr" in urls
    assert "https://wire.example/feeds/subscriptions/summits.atom" in urls


def test_admin_routes_need_the_token(client: TestClient) -> None:
    assert client.get("/api/v1/subscriptions").status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.post("/api/v1/subscriptions", json={"name": "a", "query": "b"},
                       headers=wrong).status_code == 401
    assert client.delete("/api/v1/subscriptions/a").status_code == 401


def test_add_list_and_remove_through_the_api(client: TestClient) -> None:
    created = client.post("/api/v1/subscriptions", headers=_auth(), json={
        "name": "sahel", "query": "Mali OR Niger", "webhook": "https://hooks.example/in"})
    assert created.status_code == 201
    body = created.json()
    assert body["delivery"] == "webhook" and len(body["secret"]) >= 32
    assert body["feed"] == "https://wire.example/feeds/subscriptions/sahel.atom"
    listed = client.get("/api/v1/subscriptions", headers=_auth()).json()["subscriptions"]
    assert [s["name"] for s in listed] == ["sahel"] and "secret" not in listed[0]
    again = client.post("/api/v1/subscriptions", headers=_auth(),
                        json={"name": "sahel", "query": "x"})
    assert again.status_code == 409
    assert client.delete("/api/v1/subscriptions/sahel", headers=_auth()).status_code == 204
    assert client.delete("/api/v1/subscriptions/sahel", headers=_auth()).status_code == 404


@pytest.mark.parametrize(("body", "fault"), [
    ({"name": "a", "query": '"open'}, "subscribe: query: unclosed quote"),
    ({"name": "a", "query": "x", "webhook": "http://127.0.0.1:8000/"},
     "subscribe: webhook: refusing loopback address 127.0.0.1"),
    ({"name": "a", "query": "x", "email": "not an address"}, "subscribe: email:"),
])
def test_a_bad_subscription_is_422_with_one_line(client: TestClient, body: dict[str, str],
                                                 fault: str) -> None:
    response = client.post("/api/v1/subscriptions", headers=_auth(), json=body)
    assert response.status_code == 422
    assert response.json()["error"].startswith(fault)
