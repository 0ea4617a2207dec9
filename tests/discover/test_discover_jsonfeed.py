"""JSON Feed 1.1 through discover_feed."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from babelwire.discover import discover_feed
from babelwire.model import Fetched, Source

MakeFetched = Callable[..., Fetched]
FEED_URL = "https://cb.example/feed.json"


def test_json_feed_fixture(make_fetched: MakeFetched, source: Source) -> None:
    result = discover_feed(make_fetched("jsonfeed11.json", FEED_URL), source)
    assert result.format == "json"
    assert [e.url for e in result.entries] == [
        "https://cb.example/announcements/2025/77",
        "https://cb.example/announcements/2025/76",  # id that is a URL
        "https://cb.example/announcements/2025/75",  # relative url resolved
    ]
    first, second, third = result.entries
    assert first.title == "Policy rate held at 3.25 %"
    assert first.published == datetime(2025, 12, 11, 12, 0, tzinfo=UTC)
    assert first.language == "en-US"  # item language beats the feed's
    assert second.language == "en-GB"
    assert second.published == datetime(2025, 12, 10, 9, 30, tzinfo=UTC)  # no offset: UTC
    assert second.summary == "Broad money grew 0.4 %. Details are in the tables."
    assert third.summary == "Text of the speech given at the annual conference."
    # The item with only a non-URL id is skipped, not resolved against the feed.
    assert result.error == (
        f"discover: {FEED_URL}: 1 of 4 entries had no usable http(s) URL; recovered 3 entries"
    )


def test_json_detected_by_content_type_despite_leading_junk(
    make_fetched: MakeFetched, source: Source
) -> None:
    body = b'\n\n{"version": "https://jsonfeed.org/version/1", "items": []}'
    result = discover_feed(
        make_fetched(body, FEED_URL, content_type="application/feed+json"), source
    )
    assert result.format == "json" and result.entries == () and result.error is None


def test_invalid_json_names_line_and_column(make_fetched: MakeFetched, source: Source) -> None:
    body = b'{"version": "https://jsonfeed.org/version/1.1",\n "items": [ {"url": "x"}, ]\n}'
    result = discover_feed(make_fetched(body, FEED_URL), source)
    assert result.entries == ()
    assert result.error is not None
    assert result.error.startswith(f"discover: {FEED_URL}: not valid JSON at line 2 column ")


def test_json_that_is_not_a_feed(make_fetched: MakeFetched, source: Source) -> None:
    result = discover_feed(make_fetched(b'{"status": "ok"}', FEED_URL), source)
    assert result.error == f"discover: {FEED_URL}: not a feed (JSON without a JSON Feed version)"


@pytest.mark.parametrize(
    "items",
    [
        ["a string", 7, None, [], {"url": 12}, {"url": ["x"]}, {"title": {"nested": 1}}],
        {"not": "a list"},
    ],
)
def test_hostile_item_types_do_not_raise(
    make_fetched: MakeFetched, source: Source, items: object
) -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "language": 5,
        "items": items
        if not isinstance(items, list)
        else [
            *items,
            {"url": "https://cb.example/ok", "title": 3, "date_published": "yesterday"},
        ],
    }
    result = discover_feed(make_fetched(json.dumps(document).encode(), FEED_URL), source)
    assert result.error is not None
    if isinstance(items, list):
        assert [e.url for e in result.entries] == ["https://cb.example/ok"]
        assert result.entries[0].published is None
    else:
        assert "no list of items" in result.error
