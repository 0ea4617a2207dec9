"""Each kind of source address goes to its own reader."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from babelwire.discover import discover
from babelwire.model import Fetched, Listing, Source, SourceURL, source_urls

LISTING = Listing(url="http://bank.test/press/", link_selector="ul.press a")
SOURCE = Source(id="bank", name="Bank", desk="Bank", region="Argentina", languages=("es",),
                feeds=("http://bank.test/rss.xml",), sitemaps=("http://bank.test/sitemap.xml",),
                listings=(LISTING,))


def fetched(url: str, body: str, content_type: str) -> Fetched:
    return Fetched(url=url, final_url=url, status=200, headers=(), body=body.encode(),
                   fetched_at=datetime(2025, 12, 12, tzinfo=UTC), content_type=content_type,
                   charset="utf-8")


def test_source_urls_lists_every_address_in_poll_order() -> None:
    assert source_urls(SOURCE) == [
        SourceURL("http://bank.test/rss.xml", "feed"),
        SourceURL("http://bank.test/sitemap.xml", "sitemap"),
        SourceURL("http://bank.test/press/", "listing", LISTING),
    ]


def test_each_kind_is_read_by_its_reader() -> None:
    rss = ('<rss version="2.0"><channel><title>t</title><item><title>A</title>'
           "<link>http://bank.test/a</link></item></channel></rss>")
    sitemap = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               "<url><loc>http://bank.test/b</loc></url></urlset>")
    page = '<ul class="press"><li><a href="/c">C</a></li></ul>'
    feed_url, sitemap_url, listing_url = source_urls(SOURCE)
    read = [
        discover(fetched(feed_url.url, rss, "application/rss+xml"), SOURCE, feed_url),
        discover(fetched(sitemap_url.url, sitemap, "application/xml"), SOURCE, sitemap_url),
        discover(fetched(listing_url.url, page, "text/html"), SOURCE, listing_url),
    ]
    assert [[e.url for e in found.entries] for found in read] == [
        ["http://bank.test/a"], ["http://bank.test/b"], ["http://bank.test/c"]]


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="no reader for a 'podcast' address"):
        discover(fetched("http://bank.test/x", "", "text/html"), SOURCE,
                 SourceURL("http://bank.test/x", "podcast"))
