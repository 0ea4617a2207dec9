"""Facet counts estimated past the store's cap say so: "approximate" in the
JSON, "about N" on the search page; exact counts print as before, and so do
those of a page that holds every match, whatever the cap."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from babelwire.store import Store, pgpage, search
from babelwire.store.search import SearchLimits

from .conftest import make_client


def test_estimated_counts_are_printed_as_about(
    wire: tuple[TestClient, Any], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = wire
    exact = client.get("/search.json", params={"q": "council"}).json()
    assert exact["approximate"] is False and exact["total"] >= 2
    page = lxml_html.fromstring(client.get("/search", params={"q": "council"}).text)
    assert "about" not in page.cssselect("h2#results-h")[0].text_content()

    monkeypatch.setattr(search, "DEFAULT_LIMITS", SearchLimits(facet_cap=1))
    assert client.get("/search.json", params={"q": "council"}).json() == exact
    # One item a page: the page no longer holds every match. PostgreSQL's
    # windows grow slowly, so that one stops short of the demo wire's end.
    # A search by relevance counts the matches it ranked: one of them.
    monkeypatch.setattr(search, "DEFAULT_LIMITS", SearchLimits(rank_window=1, facet_cap=1))
    client = make_client(store, page_size=1)
    monkeypatch.setattr(pgpage, "EMPTY_WINDOW_GROWTH", 2)
    estimated = client.get("/search.json", params={"q": "council"}).json()
    assert estimated["approximate"] is True
    page = lxml_html.fromstring(client.get("/search", params={"q": "council"}).text)
    assert page.cssselect("h2#results-h")[0].text_content().startswith("Results: about ")
    counts = [span.text_content() for span in page.cssselect("aside.facets span.count")]
    assert counts and all(count.startswith("about ") for count in counts)
