"""discover_sitemap: news sitemaps, indexes, gzip, text sitemaps and hostile XML."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from babelwire.discover import discover_sitemap
from babelwire.model import Fetched, Source

MakeFetched = Callable[..., Fetched]
SITEMAP_URL = "https://mfa.example/sitemap-news.xml"


def test_news_sitemap(make_fetched: MakeFetched, source: Source) -> None:
    result = discover_sitemap(make_fetched("sitemap_news.xml", SITEMAP_URL), source)
    assert result.format == "sitemap" and result.error is None
    assert [e.url for e in result.entries] == [
        "https://mfa.example/en/press/2025/12/statement-on-the-summit",
        "https://mfa.example/ar/press/2025/12/%D8%A8%D9%8A%D8%A7%D9%86-%D8%B5%D8%AD%D9%81%D9%8A",
        "https://mfa.example/en/press/2025/11/older-item",
    ]  # the fourth <url> repeats the first with a tracking parameter
    summit, arabic, older = result.entries
    assert summit.title == "Statement on the outcome of the regional summit"
    assert summit.published == datetime(2025, 12, 11, 14, 20, tzinfo=UTC)
    assert (summit.language, arabic.language, older.language) == ("en", "ar", None)
    assert arabic.title == "بيان صحفي حول القمة الإقليمية"
    assert arabic.published == datetime(2025, 12, 10, tzinfo=UTC)  # date only: midnight UTC
    assert older.published == datetime(2025, 11, 2, 8, 0, tzinfo=UTC)  # from <lastmod>
    assert {e.found_in for e in result.entries} == {SITEMAP_URL}


def test_since_leaves_out_older_links_but_keeps_undated(
    make_fetched: MakeFetched, source: Source
) -> None:
    since = datetime(2025, 12, 1, tzinfo=UTC)
    result = discover_sitemap(make_fetched("sitemap_news.xml", SITEMAP_URL), source, since=since)
    assert [e.url.rsplit("/", 1)[1] for e in result.entries] == [
        "statement-on-the-summit",
        "%D8%A8%D9%8A%D8%A7%D9%86-%D8%B5%D8%AD%D9%81%D9%8A",
    ]


def test_sitemap_index_lists_children_not_entries(
    make_fetched: MakeFetched, source: Source
) -> None:
    fetched = make_fetched("sitemap_index.xml", "https://mfa.example/sitemap.xml")
    result = discover_sitemap(fetched, source)
    assert result.format == "sitemapindex" and result.entries == () and result.error is None
    assert result.sitemaps == (
        "https://mfa.example/sitemaps/news-2025-12.xml",
        "https://mfa.example/sitemaps/news-2025-11.xml",
        "https://mfa.example/sitemaps/pages.xml",
    )
    recent = discover_sitemap(fetched, source, since=datetime(2025, 12, 1, tzinfo=UTC))
    assert recent.sitemaps == (
        "https://mfa.example/sitemaps/news-2025-12.xml",
        "https://mfa.example/sitemaps/pages.xml",  # undated: kept
    )
    capped = discover_sitemap(fetched, source, max_entries=1)
    assert capped.sitemaps == ("https://mfa.example/sitemaps/news-2025-12.xml",)


def test_gzip_sitemap_served_without_content_encoding(
    make_fetched: MakeFetched, source: Source
) -> None:
    fetched = make_fetched(
        "sitemap_decrees.xml.gz",
        "https://archive.example/sitemap.xml.gz",
        content_type="application/x-gzip",
    )
    result = discover_sitemap(fetched, source)
    assert result.error is None
    assert [e.url for e in result.entries] == [
        f"https://archive.example/decrees/2025/{n}" for n in ("0412", "0413", "0414")
    ]


def test_gzip_bomb_stops_at_the_cap_it_is_given(make_fetched: MakeFetched, source: Source) -> None:
    head = b'<?xml version="1.0"?><urlset><url><loc>https://a.example/1</loc></url>'
    bomb = gzip.compress(head + b" " * 5_000_000, mtime=0)
    fetched = make_fetched(bomb, "https://a.example/s.xml.gz")
    result = discover_sitemap(fetched, source, max_decompressed_bytes=100_000)
    assert [e.url for e in result.entries] == ["https://a.example/1"]
    assert result.error is not None and "inflates past 100000 bytes" in result.error


def test_corrupt_gzip(make_fetched: MakeFetched, source: Source) -> None:
    body = gzip.compress(b"<urlset/>", mtime=0)[:12] + b"\x00garbage"
    result = discover_sitemap(make_fetched(body, "https://a.example/s.xml.gz"), source)
    assert result.entries == ()
    assert result.error is not None and "gzip body is corrupt" in result.error


def test_keeps_the_newest_when_over_the_cap(make_fetched: MakeFetched, source: Source) -> None:
    urls = "".join(
        f"<url><loc>https://a.example/{day}</loc><lastmod>2025-12-{day:02d}</lastmod></url>"
        for day in (3, 1, 9, 7, 5)
    )
    body = f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>"
    result = discover_sitemap(
        make_fetched(body.encode(), "https://a.example/s"), source, max_entries=3
    )
    assert [e.url for e in result.entries] == [f"https://a.example/{d}" for d in (9, 7, 5)]


def test_text_sitemap(make_fetched: MakeFetched, source: Source) -> None:
    body = b"https://a.example/one\n\n# not a url\nhttps://a.example/two\r\nhttps://a.example/one\n"
    result = discover_sitemap(make_fetched(body, "https://a.example/sitemap.txt"), source)
    assert [e.url for e in result.entries] == ["https://a.example/one", "https://a.example/two"]


def test_malformed_sitemap_recovers(make_fetched: MakeFetched, source: Source) -> None:
    body = (
        b"<urlset><url><loc>https://a.example/1</loc></url>"
        b"<url><loc>https://a.example/2</loc><lastmod>2025</url>"
        b"<url><loc>https://a.example/3</loc></url>"
    )
    result = discover_sitemap(make_fetched(body, "https://a.example/s.xml"), source)
    assert [e.url[-1] for e in result.entries] == ["1", "2", "3"]
    assert result.error is not None
    assert result.error.startswith(
        "discover: https://a.example/s.xml: not well-formed XML at line 1"
    )
    assert result.error.endswith("recovered 3 entries")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("html_page.html", "not a sitemap (HTML page)"),
        (b"", "empty body"),
        (b"<?xml version='1.0'?><catalog/>", "not a sitemap (document element <catalog>)"),
        (b"nothing useful here", "not a sitemap (no XML and no URL lines)"),
    ],
)
def test_bodies_that_are_not_sitemaps(
    make_fetched: MakeFetched, source: Source, body: bytes | str, problem: str
) -> None:
    result = discover_sitemap(make_fetched(body, "https://a.example/s.xml"), source)
    assert result.entries == ()
    assert result.error == f"discover: https://a.example/s.xml: {problem}"


def test_feed_given_as_sitemap_is_read_as_feed(make_fetched: MakeFetched, source: Source) -> None:
    result = discover_sitemap(make_fetched("rss10.rdf", "https://statistik.example/rss"), source)
    assert result.format == "rdf" and len(result.entries) == 2


def test_xxe_and_billion_laughs_are_not_expanded(make_fetched: MakeFetched, source: Source) -> None:
    result = discover_sitemap(make_fetched("sitemap_xxe.xml", "https://evil.example/s.xml"), source)
    text = repr(result)
    assert "root:" not in text  # /etc/passwd was not read
    assert "hahahaha" not in text
    assert all(e.url.startswith("https://evil.example/") for e in result.entries)
    assert result.error is not None and "entities" in result.error


def test_external_entity_pointing_at_a_local_file(
    make_fetched: MakeFetched, source: Source, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-9913")
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE urlset [<!ENTITY s SYSTEM "{secret.as_uri()}">]>\n'
        "<urlset><url><loc>https://a.example/&s;</loc></url>"
        "<url><loc>https://a.example/fine</loc></url></urlset>"
    )
    result = discover_sitemap(make_fetched(body.encode(), "https://a.example/s.xml"), source)
    assert "TOPSECRET" not in repr(result)
    assert "https://a.example/fine" in [e.url for e in result.entries]
