"""The search page: results with highlighted snippets, facets, friendly errors."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

HOSTILE_QUERIES = [
    '"unclosed phrase',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    'NEAR(a b) * ^ ( ) \\ "',
    "foo:bar",
    "region:",
    "-",
    "OR OR OR",
    "x" * 999,
    "日本語 OR ٱلْعَرَبِيَّة",
]


def test_empty_search_shows_the_form_and_help(client: TestClient) -> None:
    response = client.get("/search")
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.text)
    assert tree.cssselect("form[role=search] input[name=q]")
    assert "region:" in tree.cssselect("#q-help")[0].text_content()


def test_results_have_marked_snippets_and_facet_counts(client: TestClient) -> None:
    response = client.get("/search?q=mission")
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.text)
    cards = tree.cssselect("ol.items li")
    assert len(cards) == 1
    assert cards[0].cssselect("p.snippet mark")
    facets = tree.cssselect("aside.facets")[0]
    links = {a.text_content(): a.get("href") for a in facets.cssselect("a")}
    assert links["Russian Federation"] == "/search?q=mission&region=Russian%20Federation"
    assert "1" in facets.cssselect("span.count")[0].text_content()


def test_search_matches_the_original_language_text(client: TestClient) -> None:
    tree = lxml_html.fromstring(client.get("/search?q=Бағдад OR Миссия").text)
    assert [a.text_content() for a in tree.cssselect("ol.items h3 a")] == [
        "UN mission in Iraq to complete its work"]


def test_snippets_are_the_only_unescaped_markup(client: TestClient) -> None:
    page = client.get("/search?q=hostile").text
    tree = lxml_html.fromstring(page)
    snippets = tree.cssselect("p.snippet")
    assert snippets
    for snippet in snippets:
        assert {el.tag for el in snippet.iter()} <= {"p", "mark"}


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_never_break_the_page(client: TestClient, query: str) -> None:
    response = client.get("/search", params={"q": query})
    assert response.status_code in (200, 400)
    assert "<script>alert(1)" not in response.text
    tree = lxml_html.fromstring(response.text)
    assert tree.cssselect("main h1")[0].text_content() == "Search"
    if response.status_code == 400:
        message = tree.cssselect("p.error")[0].text_content()
        # Said for the reader: no "search:" or "publish:" stage before it.
        assert message[:1].isupper() and not message.startswith(("search:", "publish:"))
    twin = client.get("/search.json", params={"q": query})
    assert twin.status_code == response.status_code
    assert isinstance(twin.json()["items"], list)


def test_malformed_query_shows_the_parse_message(client: TestClient) -> None:
    response = client.get('/search?q="UN mission')
    assert response.status_code == 400
    tree = lxml_html.fromstring(response.text)
    message = tree.cssselect("p.error[role=alert]")[0].text_content()
    assert message.startswith("Unclosed quote")
    # The query stays in the box to be corrected.
    assert tree.cssselect("input[name=q]")[0].get("value") == '"UN mission'


def test_field_syntax_filters(client: TestClient, seeded: Any) -> None:
    tree = lxml_html.fromstring(client.get("/search?q=region:France").text)
    titles = [a.text_content() for a in tree.cssselect("ol.items h3 a")]
    assert titles == ["Minister visits Baghdad", "Statement on sanctions"]
    unknown = client.get("/search?q=colour:red")
    assert unknown.status_code == 400 and "Unknown field" in unknown.text
