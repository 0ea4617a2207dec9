"""discover_listing: CSS selectors on an HTML listing page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

from babelwire.discover import discover_listing
from babelwire.model import Fetched, Listing, Source

MakeFetched = Callable[..., Fetched]
PAGE_URL = "https://minfin.example/press/"
LISTING = Listing(
    url=PAGE_URL,
    link_selector="li.news-item a.title",
    date_selector="li.news-item .date",
)


def test_listing_page(make_fetched: MakeFetched, source: Source) -> None:
    result = discover_listing(make_fetched("listing.html", PAGE_URL), source, LISTING)
    assert result.format == "listing" and result.error is None
    assert [(e.url, e.title) for e in result.entries] == [
        # relative to <base href>; the "#comments" repeat is the same entry
        ("https://minfin.example/press/2025/12/12/budget", "Правительство внесло проект бюджета"),
        ("https://minfin.example/press/2025/12/11/bonds", "Итоги аукциона ОФЗ"),  # utm_ removed
        # a subdomain of the same site is kept; partner.example and javascript: are not
        ("https://regions.minfin.example/news/77", "Новость из регионов"),
    ]
    assert [e.published for e in result.entries] == [
        datetime(2025, 12, 12, 14, 30, tzinfo=UTC),
        datetime(2025, 12, 11, tzinfo=UTC),
        datetime(2025, 12, 9, tzinfo=UTC),
    ]
    assert {e.found_in for e in result.entries} == {PAGE_URL}


def test_dates_found_in_the_enclosing_block_when_counts_differ(
    make_fetched: MakeFetched, source: Source
) -> None:
    page = """<html><body><div class="list">
      <article><h3><a href="/a/1">First</a></h3>
        <p><time datetime="2025-12-01T10:00:00+03:00">1 Dec</time></p></article>
      <article><h3><a href="/a/2">Second, undated</a></h3></article>
      <article><h3><a href="/a/3">Third</a></h3><p><time>3 décembre 2025</time></p></article>
    </div></body></html>"""
    listing = Listing(
        url="https://gov.example/news", link_selector="article h3", date_selector="time"
    )
    result = discover_listing(
        make_fetched(page.encode(), "https://gov.example/news"), source, listing
    )
    assert [e.url for e in result.entries] == [f"https://gov.example/a/{n}" for n in (1, 2, 3)]
    assert [e.published for e in result.entries] == [
        datetime(2025, 12, 1, 10, tzinfo=timezone(timedelta(hours=3))),
        None,
        datetime(2025, 12, 3, tzinfo=UTC),
    ]


def test_selector_that_matches_nothing_is_an_error(
    make_fetched: MakeFetched, source: Source
) -> None:
    listing = Listing(url=PAGE_URL, link_selector="div.press-releases a")
    result = discover_listing(make_fetched("listing.html", PAGE_URL), source, listing)
    assert result.entries == ()
    assert result.error == (
        f"discover: {PAGE_URL}: link selector 'div.press-releases a' matched nothing"
        " (page layout changed?)"
    )


def test_bad_selector_is_reported_not_raised(make_fetched: MakeFetched, source: Source) -> None:
    listing = Listing(url=PAGE_URL, link_selector="a[href=")
    result = discover_listing(make_fetched("listing.html", PAGE_URL), source, listing)
    assert result.entries == ()
    assert result.error is not None
    assert result.error.startswith(f"discover: {PAGE_URL}: bad CSS selector in the catalog")


def test_only_off_site_links(make_fetched: MakeFetched, source: Source) -> None:
    listing = Listing(url=PAGE_URL, link_selector="nav a")
    result = discover_listing(make_fetched("listing.html", PAGE_URL), source, listing)
    # "/" is the site's home page (kept: same site); the social link is not.
    assert [e.url for e in result.entries] == ["https://minfin.example/"]
    off_site = Listing(url=PAGE_URL, link_selector="nav a[href^='https://social']")
    result = discover_listing(make_fetched("listing.html", PAGE_URL), source, off_site)
    assert result.entries == ()
    assert (
        result.error is not None and "none of the 1 links matched is on this site" in result.error
    )


def test_legacy_charset_from_fetch(make_fetched: MakeFetched, source: Source) -> None:
    page = '<html><body><a class="t" href="/n/1">Новый закон о бюджете</a></body></html>'
    listing = Listing(url="https://gov.example/", link_selector="a.t")
    fetched = make_fetched(page.encode("cp1251"), "https://gov.example/", charset="windows-1251")
    result = discover_listing(fetched, source, listing)
    assert [e.title for e in result.entries] == ["Новый закон о бюджете"]


def test_empty_page(make_fetched: MakeFetched, source: Source) -> None:
    result = discover_listing(make_fetched(b"", PAGE_URL), source, LISTING)
    assert result.entries == () and result.error == f"discover: {PAGE_URL}: empty body"
