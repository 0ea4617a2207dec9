"""RSS and Atom: parsed back with feedparser, for every filter; GUIDs; 304s."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from babelwire.compose import render_wire

FILTERS = [
    ("", 4),  # feed_size is 4 in the test client
    ("region=France", 2),
    ("source=un-news-ru", 2),
    ("language=zh", 2),
    ("section=Diplomacy", 2),
    ("q=mission", 1),
]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize(("params", "count"), FILTERS)
def test_every_filter_has_a_feed_that_parses(client: TestClient, fmt: str, params: str,
                                             count: int) -> None:
    response = client.get(f"/feeds/{fmt}?{params}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(f"application/{fmt}+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == ("rss20" if fmt == "rss" else "atom10")
    assert len(feed.entries) == count
    if params:
        # Sources are named, not given by id (point 11 of issue 8).
        shown = {"un-news-ru": "United Nations – UN News"}.get(params.split("=")[1],
                                                                 params.split("=")[1])
        assert shown in feed.feed.title


def test_entries_carry_wire_text_permalink_and_zoned_dates(client: TestClient,
                                                           seeded: Any) -> None:
    item = seeded[1].item("visit")
    permalink = f"http://127.0.0.1:8000/items/{item.id}/{item.slug}"
    atom = client.get("/feeds/atom?region=France")
    entry = feedparser.parse(atom.content).entries[0]
    assert entry.id == permalink and entry.link == permalink
    # The wire text as HTML paragraphs, after the provenance paragraph.
    assert entry.content[0].type == "text/html"
    for line in render_wire(item).splitlines():
        assert f"<p>{html.escape(line)}</p>" in entry.content[0].value
    # Published: when the source published, in its own zone.
    assert "<published>2025-12-12T11:00:00+03:00</published>" in atom.text
    rss = client.get("/feeds/rss?region=France")
    entry = feedparser.parse(rss.content).entries[0]
    assert entry.guid == permalink and entry.link == permalink
    assert f'<guid isPermaLink="true">{permalink}</guid>' in rss.text
    assert "<pubDate>Fri, 12 Dec 2025 11:00:00 +0300</pubDate>" in rss.text
    assert "Translation. Region: France –" in entry.description


def test_guids_are_stable_and_feed_bytes_repeat(client: TestClient) -> None:
    first = client.get("/feeds/rss")
    second = client.get("/feeds/rss")
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]
    head = client.head("/feeds/rss")
    assert head.status_code == 200 and head.headers["etag"] == first.headers["etag"]
    guids = [e.guid for e in feedparser.parse(first.content).entries]
    assert len(set(guids)) == len(guids)


def test_conditional_get_answers_304(client: TestClient) -> None:
    response = client.get("/feeds/atom?language=ru")
    etag, modified = response.headers["etag"], response.headers["last-modified"]
    assert modified == "Fri, 12 Dec 2025 11:00:00 GMT"
    again = client.get("/feeds/atom?language=ru", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    other = client.get("/feeds/atom?language=ru", headers={"If-None-Match": '"other"'})
    assert other.status_code == 200
    since = client.get("/feeds/atom?language=ru", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    earlier = format_datetime(datetime(2025, 12, 12, 10, tzinfo=UTC), usegmt=True)
    assert client.get("/feeds/atom?language=ru",
                      headers={"If-Modified-Since": earlier}).status_code == 200
    # A different view has a different ETag.
    assert client.get("/feeds/atom?language=fr").headers["etag"] != etag


def test_edited_item_keeps_its_guid_and_changes_the_etag(
    admin_client: TestClient, fresh: Any, admin_token: str
) -> None:
    item = fresh[1].item("sanctions")
    before = admin_client.get("/feeds/rss?region=France")
    edit = {"headline": "Statement on the sanctions", "section": "Diplomacy",
            "body": ["France welcomes the decision of the Council."]}
    response = admin_client.put(f"/api/v1/documents/{item.document_id}/translation", json=edit,
                                headers={"Authorization": f"Bearer {admin_token}"})
    assert response.status_code == 200, response.text
    after = admin_client.get("/feeds/rss?region=France")
    assert after.headers["etag"] != before.headers["etag"]
    guids = {e.title: e.guid for e in feedparser.parse(after.content).entries}
    assert guids["Statement on the sanctions"] == (
        f"http://127.0.0.1:8000/items/{item.id}/{item.slug}")
    assert "Statement on sanctions" not in guids


def test_markup_in_source_text_stays_text_in_feeds(client: TestClient) -> None:
    rss = client.get("/feeds/rss?source=gov-cn").text
    # Escaped once for XML and once for HTML: a reader shows the characters.
    assert "&amp;lt;script&amp;gt;window.__pwned=1" in rss
    assert "<script" not in rss
    atom = client.get("/feeds/atom?source=gov-cn")
    entry = next(e for e in feedparser.parse(atom.content).entries if "Hostile" in e.title)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in entry.content[0].value
    assert entry.content[0].type == "text/html"


def test_bad_query_in_a_feed_is_a_400_with_the_reason(client: TestClient) -> None:
    response = client.get("/feeds/rss?from=never")
    assert response.status_code == 400
    assert "Cannot read from='never'" in response.text
    assert client.get('/feeds/atom?q="unclosed').status_code == 400


def test_empty_feed_is_valid_and_stable(client: TestClient) -> None:
    first = client.get("/feeds/atom?region=Atlantis")
    assert feedparser.parse(first.content).entries == []
    assert not feedparser.parse(first.content).bozo
    assert first.headers["etag"] == client.get("/feeds/atom?region=Atlantis").headers["etag"]
    # No date to state: no Last-Modified rather than 1970 (point 11 of issue 8).
    assert "last-modified" not in first.headers


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_self_link_has_a_type_and_keeps_the_request_encoding(client: TestClient,
                                                             fmt: str) -> None:
    response = client.get(f"/feeds/{fmt}?region=Russian%20Federation")
    assert response.status_code == 200
    tree = etree.fromstring(response.content)
    links = tree.findall(".//{http://www.w3.org/2005/Atom}link[@rel='self']")
    assert len(links) == 1
    assert links[0].get("type") == f"application/{fmt}+xml"
    assert links[0].get("href") == (
        f"http://127.0.0.1:8000/feeds/{fmt}?region=Russian%20Federation")


def test_feed_links_on_pages_write_a_space_as_percent_20(client: TestClient) -> None:
    page = client.get("/?region=Russian%20Federation").text
    assert "/feeds/rss?region=Russian%20Federation" in page
    assert "region=Russian+Federation" not in page
