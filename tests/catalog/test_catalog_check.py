"""The live check's verdicts, with a fake fetcher (no network)."""

from __future__ import annotations

from datetime import UTC, datetime

from babelwire.catalog.check import check_source, verdict
from babelwire.errors import HTTPStatusError
from babelwire.model import Discovered, Entry, Fetched, Listing, Source

AT = datetime(2025, 12, 12, 9, 0, tzinfo=UTC)
ENTRY = Entry(source_id="s", url="https://s.example/a", found_in="https://s.example/rss")
SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://s.example/news/1</loc><lastmod>2025-12-12</lastmod></url>
</urlset>"""
LISTING = b"""<html><body><ul class="news">
<li><a href="/news/1">One</a></li><li><a href="/news/2">Two</a></li>
</ul></body></html>"""


class FakeFetcher:
    """Answers from a dict of URL to (content type, body); other URLs 404."""

    def __init__(self, pages: dict[str, tuple[str, bytes]]) -> None:
        self.pages = pages
        self.asked: list[str] = []

    def get(self, url: str) -> Fetched:
        self.asked.append(url)
        if url not in self.pages:
            raise HTTPStatusError(f"fetch: HTTP 404 for {url}", status=404, url=url)
        content_type, body = self.pages[url]
        return Fetched(
            url=url,
            final_url=url,
            status=200,
            headers=(("content-type", content_type),),
            body=body,
            fetched_at=AT,
            content_type=content_type,
            charset="utf-8",
        )


def test_every_url_is_checked_and_one_failure_fails_the_source() -> None:
    source = Source(
        id="s",
        name="S",
        desk="S",
        region="R",
        languages=("en",),
        feeds=("https://s.example/gone.xml",),
        sitemaps=("https://s.example/sitemap.xml",),
        listings=(Listing("https://s.example/news/", "ul.news a"),),
    )
    fetcher = FakeFetcher(
        {
            "https://s.example/sitemap.xml": ("application/xml", SITEMAP),
            "https://s.example/news/": ("text/html", LISTING),
        }
    )
    result = check_source(source, fetcher, now=lambda: AT)
    assert fetcher.asked == [
        "https://s.example/gone.xml",
        "https://s.example/sitemap.xml",
        "https://s.example/news/",
    ]
    assert [(u.kind, u.ok, u.entries) for u in result.urls] == [
        ("feed", False, 0),
        ("sitemap", True, 1),
        ("listing", True, 2),
    ]
    assert result.urls[0].detail == "fetch: HTTP 404 for https://s.example/gone.xml"
    assert not result.ok
    assert result.checked_at == AT


def test_a_sitemap_index_counts_as_working() -> None:
    found = Discovered("u", (), sitemaps=("https://s.example/a.xml",), format="sitemapindex")
    check = verdict("u", "sitemap", found)
    assert check.ok
    assert check.detail == "0 entries, 1 child sitemaps (sitemapindex)"


def test_an_empty_feed_fails_and_says_why() -> None:
    check = verdict("u", "feed", Discovered("u", (), format="rss"))
    assert not check.ok
    assert check.detail == "feed: nothing found [0 entries (rss)]"
    broken = verdict("u", "feed", Discovered("u", (), error="discover: u: not a feed"))
    assert broken.detail.startswith("discover: u: not a feed")


def test_a_warning_is_kept_when_entries_were_recovered() -> None:
    found = Discovered("u", (ENTRY,), format="rss", error="discover: u: bad date")
    check = verdict("u", "feed", found)
    assert check.ok
    assert check.detail == "1 entry (rss); warning: discover: u: bad date"
