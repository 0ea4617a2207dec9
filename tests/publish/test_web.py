"""The reader's pages and their JSON twins, against a seeded SQLite store."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from babelwire.errors import StoreError
from babelwire.publish.app import create_app
from babelwire.publish.responses import CONTENT_SECURITY_POLICY, STORE_DOWN
from babelwire.publish.settings import PublishSettings


def headlines(page_html: str) -> list[str]:
    tree = lxml_html.fromstring(page_html)
    return [a.text_content().strip() for a in tree.cssselect("ol.items h3 a")]


def test_wire_lists_newest_first_in_pages_of_three(client: TestClient, seeded: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert headlines(response.text) == [
        "UN mission in Iraq to complete its work", "Climate summit opens",
        "Minister visits Baghdad",
    ]
    tree = lxml_html.fromstring(response.text)
    older = tree.cssselect("a[rel=next]")[0].get("href")
    second = client.get(older)
    assert headlines(second.text)[0] == "Statement on sanctions"


def test_paging_through_the_json_twin_sees_every_item_once(client: TestClient,
                                                           seeded: Any) -> None:
    seen: list[str] = []
    url: str | None = "/index.json"
    while url:
        body = client.get(url).json()
        seen += [item["uri"].split("/")[-2] for item in body["items"]]
        url = body["next"] and urlsplit(body["next"])._replace(scheme="", netloc="").geturl()
    assert sorted(seen) == sorted(item.id for item in seeded[1].items.values())
    assert len(seen) == len(set(seen))


def test_filters_by_region_source_language_and_section(client: TestClient) -> None:
    assert headlines(client.get("/?region=France").text) == [
        "Minister visits Baghdad", "Statement on sanctions"]
    assert headlines(client.get("/?source=gov-cn").text)[0] == (
        "State Council issues new trade policy")
    assert headlines(client.get("/?language=ru").text) == [
        "UN mission in Iraq to complete its work", "Climate summit opens"]
    assert headlines(client.get("/?section=Climate").text) == ["Climate summit opens"]
    assert headlines(client.get("/?region=Atlantis").text) == []


def test_date_filter_and_a_bad_date_is_a_message_not_an_error_page(client: TestClient) -> None:
    assert len(client.get("/index.json?from=2025-12-12&to=2025-12-12").json()["items"]) == 3
    assert client.get("/index.json?to=2025-12-11").json()["items"] == []
    response = client.get("/?from=yesterday")
    assert response.status_code == 400
    tree = lxml_html.fromstring(response.text)
    message = tree.cssselect("p.error[role=alert]")[0].text_content()
    assert message == "Cannot read from='yesterday' as a date (use YYYY-MM-DD)"
    assert tree.cssselect("form.filters")


def test_filter_form_is_labelled_and_keeps_the_choice(client: TestClient) -> None:
    tree = lxml_html.fromstring(client.get("/?region=France").text)
    for control in tree.cssselect("form.filters select, form.filters input:not([type=hidden])"):
        assert tree.cssselect(f"label[for={control.get('id')}]"), control.get("name")
    # The choice is kept as a hidden field and shown with its own remove link.
    kept = tree.cssselect("form.filters input[type=hidden][name=region]")
    assert [i.get("value") for i in kept] == ["France"]
    assert tree.cssselect("ul.chosen a.remove")[0].get("href") == "/"
    # Only regions the items have are offered, with counts (Egypt has none).
    options = [o.text_content() for o in tree.cssselect("select[name=region] option")]
    assert "China (2)" in options and not any(o.startswith("Egypt") for o in options)


def test_waiting_panel_lists_documents_and_why(client: TestClient, seeding: Any) -> None:
    tree = lxml_html.fromstring(client.get("/").text)
    panel = tree.cssselect("aside.waiting")[0]
    assert "مناورات عسكرية مشتركة" in panel.text_content()
    # Said for a reader: no stage prefix, no command to run.
    assert "no translation engine for Arabic" in panel.text_content()
    assert seeding.WAITING_REASON not in panel.text_content()
    body = client.get("/index.json").json()
    assert [w["reason"] for w in body["waiting"]] == [seeding.WAITING_REASON]


def test_page_landmarks_skip_link_and_twin_link(client: TestClient) -> None:
    for path, twin in (("/", "/index.json"), ("/sources", "/sources.json"),
                       ("/search?q=mission", "/search.json?q=mission")):
        tree = lxml_html.fromstring(client.get(path).text)
        assert tree.cssselect("a.skip-link")[0].get("href") == "#main"
        assert tree.cssselect("main#main") and tree.cssselect("header") and tree.cssselect("nav")
        assert len(tree.cssselect("h1")) == 1
        assert tree.cssselect("link[rel=alternate][type='application/json']")[0].get(
            "href") == twin
        assert client.get(twin).status_code == 200


def test_every_response_has_security_headers(client: TestClient, seeded: Any) -> None:
    item = seeded[1].item("unami")
    for path in ("/", f"/items/{item.id}", "/search?q=x", "/sources", "/index.json",
                 "/feeds/rss", "/api/v1/items", "/items/missing", "/static/style.css"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_item_page_shows_wire_text_original_and_provenance(client: TestClient,
                                                          seeded: Any) -> None:
    item = seeded[1].item("unami")
    page = client.get(f"/items/{item.id}/{item.slug}")
    assert page.status_code == 200
    tree = lxml_html.fromstring(page.text)
    wire = tree.cssselect("pre.wire-text")[0].text_content()
    assert wire.startswith("UN mission in Iraq to complete its work\nTranslation. Region: "
                           "Russian Federation –\nSource: United Nations – UN News –")
    assert "does not necessarily reflect the position of Test Wire" in wire
    original = tree.cssselect("div.original")[0]
    assert original.get("lang") == "ru"
    assert "Миссия ООН в Ираке завершит работу" in original.text_content()
    assert "Глава миссии рассказал о ключевых достижениях." in original.text_content()
    provenance = tree.cssselect("section.provenance")[0].text_content()
    for expected in (item.original_url, "<urn:uuid:unami-", "argos · opus-mt-ru-en · 1.0",
                     "HTTP 200", "2025-12-12 10:30 UTC"):
        assert expected in provenance, expected
    assert tree.cssselect("link[rel=canonical]")[0].get("href") == (
        f"http://127.0.0.1:8000/items/{item.id}/{item.slug}")


def test_item_urls_short_wrong_slug_and_missing(client: TestClient, seeded: Any) -> None:
    item = seeded[1].item("visit")
    assert client.get(f"/items/{item.id}").status_code == 200
    moved = client.get(f"/items/{item.id}/old-slug?version=1", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == f"/items/{item.id}/{item.slug}?version=1"
    missing = client.get("/items/0000000000")
    assert missing.status_code == 404 and "No item" in missing.text
    assert client.get("/items/0000000000.json").json() == {"error": "No item '0000000000'"}
    assert client.get(f"/items/{item.id}?version=x").status_code == 400
    assert client.get(f"/items/{item.id}?version=9").status_code == 404


def test_item_json_twin_is_the_ninjs_item(client: TestClient, seeded: Any) -> None:
    item = seeded[1].item("trade")
    body = client.get(f"/items/{item.id}.json").json()
    assert body["uri"] == f"http://127.0.0.1:8000/items/{item.id}/{item.slug}"
    assert body["headlines"] == [{"role": "main", "value": item.headline}]
    assert body["associations"][0]["language"] == "zh"


def test_hostile_source_text_is_escaped_everywhere(client: TestClient, seeded: Any) -> None:
    item = seeded[1].item("hostile")
    pages = [client.get(f"/items/{item.id}").text, client.get("/?source=gov-cn").text,
             client.get("/search?q=hostile").text]
    for page in pages:
        assert "<script>window" not in page
        assert "<img src" not in page
        assert '<div style="position:fixed' not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in pages[0]
    tree = lxml_html.fromstring(pages[0])
    assert not tree.cssselect("main script, main img, main [style], main [onerror]")


def test_sources_page_shows_health_per_source(client: TestClient, seeding: Any) -> None:
    tree = lxml_html.fromstring(client.get("/sources").text)
    rows = tree.cssselect("table.sources tbody tr")
    assert len(rows) == len(seeding.SOURCES)
    body = client.get("/sources.json").json()
    by_id = {row["id"]: row for row in body["sources"]}
    assert set(by_id) == {s.id for s in seeding.SOURCES}
    assert by_id["mfa-fr"]["region"] == "France"
    assert by_id["mfa-fr"]["consecutive_failures"] == 0
    assert by_id["mfa-fr"]["verified"] is False
    # Two items in the 30-day window.
    assert by_id["mfa-fr"]["items_per_day"] == round(2 / 30, 2)
    assert by_id["mod-ar"]["consecutive_failures"] == 1
    assert by_id["mod-ar"]["last_error"] == seeding.POLL_ERROR
    assert by_id["un-news-ru"]["last_success_at"] == "2025-12-12T11:50:00+00:00"
    failing = tree.cssselect("tr.failing")
    assert len(failing) == 1 and seeding.POLL_ERROR in failing[0].text_content()
    assert "2025-12-12 11:50 UTC" in tree.cssselect("table.sources")[0].text_content()


def test_feed_links_follow_the_view(client: TestClient) -> None:
    tree = lxml_html.fromstring(client.get("/?region=France&section=Diplomacy").text)
    hrefs = [link.get("href") for link in tree.cssselect("link[rel=alternate]")]
    rss = next(h for h in hrefs if h.startswith("/feeds/rss"))
    assert parse_qs(urlsplit(rss).query) == {"region": ["France"], "section": ["Diplomacy"]}
    assert any(h.startswith("/feeds/atom") for h in hrefs)


def test_static_css_has_no_external_urls(client: TestClient) -> None:
    css = client.get("/static/style.css").text
    assert not re.search(r"url\(|@import|https?://", css)


def test_store_down_is_a_503_for_the_reader_and_the_cause_in_the_log(
    seeding: Any, caplog: pytest.LogCaptureFixture
) -> None:
    def unreachable() -> Any:
        raise StoreError("store: cannot open postgresql://db.invalid/wire: connection refused")

    down = TestClient(create_app(unreachable, settings=PublishSettings(),
                                 sources=seeding.SOURCES))
    page = down.get("/")
    assert page.status_code == 503
    message = lxml_html.fromstring(page.text).cssselect("p.error")[0].text_content()
    assert message == STORE_DOWN and "db.invalid" not in page.text
    api = down.get("/api/v1/items")
    assert api.status_code == 503 and api.json() == {"error": STORE_DOWN}
    assert down.get("/feeds/rss").text == STORE_DOWN
    assert "cannot open postgresql://db.invalid/wire: connection refused" in caplog.text
