"""Bodies that once crashed, hung or misled discovery: each is an ordinary fixture.

Out-of-range dates, huge JSON numbers, comment floods before a missing XML
declaration, gzip without Content-Encoding, non-permalink guids, feeds cut
off in transit, UTF-32 without a byte order mark.
"""

from __future__ import annotations

import ast
import gzip
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

import babelwire.discover
from babelwire.catalog.check import check_source
from babelwire.discover import (
    DEFAULT_MAX_DECOMPRESSED_BYTES,
    discover,
    discover_feed,
    discover_listing,
    discover_sitemap,
)
from babelwire.discover.dates import DateNotes, feed_date, loose_date, w3c_datetime
from babelwire.discover.xmlprep import prepare_xml
from babelwire.model import Fetched, Listing, Source, SourceURL
from babelwire.settings import Settings

MakeFetched = Callable[..., Fetched]

FEED_URL = "https://ministry.example/feed.xml"
DISCOVER = Path(babelwire.discover.__file__).parent

# Dates a datetime can parse but not move to UTC: the shift leaves years 1-9999.
OUT_OF_RANGE_RFC822 = ("Mon, 31 Dec 9999 23:59:59 -0100", "Mon, 01 Jan 0001 00:30:00 +0100")
OUT_OF_RANGE_W3C = ("9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00")


def _rss(items: str) -> bytes:
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


# -- 12.2 dates out of range --------------------------------------------------


@pytest.mark.parametrize("raw", OUT_OF_RANGE_RFC822 + OUT_OF_RANGE_W3C)
def test_date_readers_leave_out_of_range_dates_unknown_with_a_reason(raw: str) -> None:
    notes = DateNotes()
    assert feed_date(raw, None, notes) is None
    assert w3c_datetime(raw, notes) is None or raw in OUT_OF_RANGE_RFC822
    assert loose_date(raw, notes) is None or raw in OUT_OF_RANGE_RFC822
    assert notes.out_of_range >= 1
    assert notes.problem() is not None and "out of range left unknown" in notes.problem()


def test_feed_with_out_of_range_dates_keeps_every_entry(
    make_fetched: MakeFetched, source: Source
) -> None:
    items = "".join(
        f"<item><link>https://ministry.example/{n}</link><pubDate>{raw}</pubDate></item>"
        for n, raw in enumerate(
            [OUT_OF_RANGE_RFC822[0], OUT_OF_RANGE_W3C[1], "Tue, 09 Dec 2025 13:30:00 +0000"]
        )
    )
    result = discover_feed(make_fetched(_rss(items)), source)
    assert [e.published for e in result.entries] == [
        None,
        None,
        datetime(2025, 12, 9, 13, 30, tzinfo=UTC),
    ]
    assert result.error is not None and "2 dates out of range left unknown" in result.error


def test_atom_dates_out_of_range(make_fetched: MakeFetched, source: Source) -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b'<entry><id>urn:x</id><link href="https://ministry.example/a"/>'
        b"<updated>9999-12-31T23:59:59-01:00</updated></entry></feed>"
    )
    result = discover_feed(make_fetched(body), source)
    assert [e.url for e in result.entries] == ["https://ministry.example/a"]
    assert result.entries[0].published is None
    assert result.error is not None and "out of range" in result.error


@pytest.mark.parametrize("raw", OUT_OF_RANGE_W3C)
def test_sitemap_lastmod_and_news_dates_out_of_range(
    raw: str, make_fetched: MakeFetched, source: Source
) -> None:
    body = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>https://ministry.example/a</loc><lastmod>{raw}</lastmod></url>"
        "<url><loc>https://ministry.example/b</loc><news:news>"
        f"<news:publication_date>{raw}</news:publication_date></news:news></url>"
        "</urlset>"
    ).encode()
    since = datetime(2025, 1, 1, tzinfo=UTC)
    result = discover_sitemap(make_fetched(body, "https://ministry.example/s.xml"), source)
    assert [(e.url, e.published) for e in result.entries] == [
        ("https://ministry.example/a", None),
        ("https://ministry.example/b", None),
    ]
    assert result.error is not None and "2 dates out of range" in result.error
    index = (
        "<sitemapindex><sitemap><loc>https://ministry.example/1.xml</loc>"
        f"<lastmod>{raw}</lastmod></sitemap></sitemapindex>"
    ).encode()
    children = discover_sitemap(make_fetched(index), source, since=since)
    assert children.sitemaps == ("https://ministry.example/1.xml",)


def test_json_feed_dates_out_of_range(make_fetched: MakeFetched, source: Source) -> None:
    items = [
        {"url": "https://ministry.example/a", "date_published": OUT_OF_RANGE_W3C[0]},
        {"url": "https://ministry.example/b", "date_modified": OUT_OF_RANGE_W3C[1]},
    ]
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items})
    result = discover_feed(make_fetched(body.encode()), source)
    assert [e.published for e in result.entries] == [None, None]
    assert result.error is not None and "out of range" in result.error


def test_listing_dates_out_of_range(make_fetched: MakeFetched, source: Source) -> None:
    page = (
        b"<html><body><ul>"
        b'<li><a href="/news/1">One</a><time datetime="9999-12-31T23:59:59-01:00">x</time></li>'
        b'<li><a href="/news/2">Two</a><time datetime="2025-12-01">1 Dec</time></li>'
        b"</ul></body></html>"
    )
    listing = Listing(url="https://ministry.example/news", link_selector="li a",
                      date_selector="li time")
    fetched = make_fetched(page, "https://ministry.example/news", content_type="text/html")
    result = discover_listing(fetched, source, listing)
    assert [e.published for e in result.entries] == [None, datetime(2025, 12, 1, tzinfo=UTC)]
    assert result.error is not None and "out of range" in result.error


# -- 12.3 a JSON number Python refuses to convert ------------------------------


def test_json_feed_with_a_5000_digit_number_is_no_feed(
    make_fetched: MakeFetched, source: Source
) -> None:
    number = b"7" * 5000
    body = b'{"version": "https://jsonfeed.org/version/1.1", "n": ' + number + b', "items": []}'
    result = discover_feed(make_fetched(body), source)
    assert result.entries == ()
    assert result.error is not None
    assert result.error.startswith(f"discover: {FEED_URL}: not a feed (JSON value refused:")


# -- 12.4 comments before a missing XML declaration ----------------------------


@pytest.mark.timeout(60)
@pytest.mark.parametrize("comments", [40, 100_000])
def test_many_comments_and_no_declaration_do_not_hang(
    comments: int, make_fetched: MakeFetched, source: Source
) -> None:
    # 24 comments took 28 s with the old pattern; 100,000 make a 1 MB body.
    body = b"<!-- generated -->\n" * comments + _rss(
        "<item><link>https://ministry.example/a</link></item>"
    ).replace(b'<?xml version="1.0"?>', b"")
    result = discover_feed(make_fetched(body), source)
    assert [e.url for e in result.entries] == ["https://ministry.example/a"]


def test_comments_before_the_declaration_are_still_removed(make_fetched: MakeFetched) -> None:
    body = b"\n<!-- a -->\n<!-- b -->" + _rss("")
    prepared = prepare_xml(make_fetched(body))
    assert prepared.data.startswith(b"<?xml")
    assert prepared.problems == ("XML declaration not at start of document",)
    unclosed = prepare_xml(make_fetched(b"<!-- a " + _rss("")))
    assert unclosed.problems == ()


# -- 7.3 gzip without Content-Encoding obeys the one setting -------------------


def test_gzipped_feed_without_content_encoding_obeys_the_limit_passed_in(
    make_fetched: MakeFetched, source: Source
) -> None:
    feed = _rss("<item><link>https://ministry.example/a</link></item>" + " " * 200_000)
    fetched = make_fetched(gzip.compress(feed, mtime=0))
    where = SourceURL(FEED_URL, "feed")
    capped = discover(fetched, source, where, max_decompressed_bytes=50_000)
    assert capped.error is not None and "inflates past 50000 bytes" in capped.error
    whole = discover(fetched, source, where, max_decompressed_bytes=1_000_000)
    assert whole.error is None
    assert [e.url for e in whole.entries] == ["https://ministry.example/a"]


# -- 12.5 wrong links ----------------------------------------------------------


def test_a_guid_that_is_no_permalink_is_never_the_link(
    make_fetched: MakeFetched, source: Source
) -> None:
    items = (
        # No link at all: the guid looks like a URL but the feed says it is none.
        '<item><title>a</title><guid isPermaLink="false">https://cms.example/node/1</guid></item>'
        # A link that is no http(s) URL: the guid must not stand in for it.
        "<item><title>b</title><link>javascript:void(0)</link>"
        '<guid isPermaLink="false">https://cms.example/node/2</guid></item>'
        # A permalink guid is the link.
        "<item><title>c</title><guid>https://ministry.example/c</guid></item>"
    )
    result = discover_feed(make_fetched(_rss(items)), source)
    assert [e.url for e in result.entries] == ["https://ministry.example/c"]


@pytest.mark.parametrize(
    "cut", ["<link>http://exa", '<link href="http://exa', "<link>/news/unfini"]
)
def test_a_feed_cut_off_inside_a_link_drops_that_entry(
    cut: str, make_fetched: MakeFetched, source: Source
) -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        "<item><title>Whole</title><link>https://ministry.example/whole</link></item>"
        f"<item><title>Cut</title>{cut}"
    ).encode()
    result = discover_feed(make_fetched(body), source)
    assert [e.url for e in result.entries] == ["https://ministry.example/whole"]
    assert result.error is not None and "recovered 1 entry" in result.error


def test_a_feed_cut_off_after_a_link_keeps_that_entry(
    make_fetched: MakeFetched, source: Source
) -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel>'
        b"<item><link>https://ministry.example/whole</link><title>Half a ti"
    )
    result = discover_feed(make_fetched(body), source)
    assert [e.url for e in result.entries] == ["https://ministry.example/whole"]


# -- 12.6 UTF-32 without a byte order mark -------------------------------------


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("declared", [True, False])
@pytest.mark.parametrize("title", ["Press release", "Réunion à Genève"])
def test_utf32_feed_without_bom(
    codec: str, declared: bool, title: str, make_fetched: MakeFetched, source: Source
) -> None:
    # Plain ASCII text gives a detector too little to go on; the zero bytes do not.
    declaration = '<?xml version="1.0" encoding="UTF-32"?>\n' if declared else ""
    text = (
        f'{declaration}<rss version="2.0"><channel><title>Ministry</title>'
        f"<item><title>{title}</title><link>https://ministry.example/a</link></item>"
        "</channel></rss>"
    )
    result = discover_feed(make_fetched(text.encode(codec)), source)
    assert result.error is None
    assert [(e.url, e.title) for e in result.entries] == [("https://ministry.example/a", title)]


# -- 14.5 no import circle between the feed and sitemap readers ----------------


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_feed_and_sitemap_readers_do_not_import_each_other() -> None:
    assert "babelwire.discover.sitemaps" not in _imported_modules(DISCOVER / "feeds.py")
    assert "babelwire.discover.feeds" not in _imported_modules(DISCOVER / "sitemaps.py")
    assert "babelwire.discover.dispatch" not in {
        module
        for path in DISCOVER.glob("*.py")
        if path.name not in ("dispatch.py", "__init__.py")
        for module in _imported_modules(path)
    }


def test_the_default_limit_is_the_settings_default() -> None:
    # Runs pass the setting; the default only serves callers that have none.
    assert Settings.load({}).max_decompressed_bytes == DEFAULT_MAX_DECOMPRESSED_BYTES


def test_sources_check_passes_the_limit_to_discovery(
    make_fetched: MakeFetched, source: Source
) -> None:
    feed = _rss("<item><link>https://ministry.example/a</link></item>" + " " * 200_000)
    body = gzip.compress(feed, mtime=0)

    class Getter:
        def get(self, url: str) -> Fetched:
            return make_fetched(body, url)

    watched = replace(source, feeds=(FEED_URL,))
    now = lambda: datetime(2025, 12, 12, tzinfo=UTC)  # noqa: E731
    capped = check_source(watched, Getter(), now=now, max_decompressed_bytes=50_000)
    assert "inflates past 50000 bytes" in capped.urls[0].detail
    whole = check_source(watched, Getter(), now=now, max_decompressed_bytes=1_000_000)
    assert "inflates past" not in whole.urls[0].detail


def test_sitemap_index_with_an_entity_reference_in_an_entry(
    make_fetched: MakeFetched, source: Source
) -> None:
    # Found by the fuzzer: an unexpanded entity is a child without text.
    body = (
        b'<!DOCTYPE r [<!ENTITY e "x">]><sitemapindex><sitemap>&e;'
        b"<loc>https://ministry.example/1.xml</loc></sitemap></sitemapindex>"
    )
    result = discover_sitemap(make_fetched(body), source)
    assert result.sitemaps == ("https://ministry.example/1.xml",)
