"""A sitemap of many links costs a poll only the links it can keep.

A sitemap bomb of 750,000 distinct links took about a minute of CPU, nearly
all of it resolving and normalising links (``canonicalize_url``) that the
poll, which keeps ``max_entries``, then dropped. The newest are now chosen
by date first, and only ``4 x max_entries`` of them are normalised.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from babelwire.discover import collect, discover_sitemap, sitemaps
from babelwire.model import Discovered, Source

from .conftest import MakeFetched

LINKS = 20_000
MAX_ENTRIES = 50


def _read_counting(
    body: str, module: Any, make_fetched: MakeFetched, source: Source,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Discovered, list[str]]:
    """The sitemap read with ``max_entries=MAX_ENTRIES``, and the URLs ``module`` normalised."""
    calls: list[str] = []
    real: Callable[..., str] = module.canonicalize_url

    def counted(url: str, base: str | None = None) -> str:
        calls.append(url)
        return real(url, base)

    monkeypatch.setattr(module, "canonicalize_url", counted)
    fetched = make_fetched(body.encode(), "https://ministry.example/s.xml")
    return discover_sitemap(fetched, source, max_entries=MAX_ENTRIES), calls


def _day(n: int) -> int:
    return 1 + n * 7 % 28  # dates out of order, many links a day


#: The newest MAX_ENTRIES of the LINKS, the earlier first among equal dates.
NEWEST = sorted(range(LINKS), key=lambda n: (-_day(n), n))[:MAX_ENTRIES]


def test_a_sitemap_of_many_links_normalises_only_the_newest_few(
    make_fetched: MakeFetched, source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = "".join(
        f"<url><loc>https://ministry.example/p/{n}?utm_source=x</loc>"
        f"<lastmod>2025-11-{_day(n):02d}</lastmod></url>"
        for n in range(LINKS)
    )
    body = f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>"
    result, calls = _read_counting(body, collect, make_fetched, source, monkeypatch)
    assert len(calls) <= 4 * MAX_ENTRIES + 2  # and the collector's own two URLs
    # Entries keep document order.
    assert [e.url for e in result.entries] == [
        f"https://ministry.example/p/{n}" for n in sorted(NEWEST)
    ]
    assert result.error is None


def test_an_index_of_many_child_sitemaps_normalises_only_the_newest_few(
    make_fetched: MakeFetched, source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    children = "".join(
        f"<sitemap><loc>https://ministry.example/s/{n}.xml</loc>"
        f"<lastmod>2025-11-{_day(n):02d}T00:00:00Z</lastmod></sitemap>"
        for n in range(LINKS)
    )
    body = f"<sitemapindex>{children}</sitemapindex>"
    result, calls = _read_counting(body, sitemaps, make_fetched, source, monkeypatch)
    assert len(calls) <= 4 * MAX_ENTRIES
    assert result.sitemaps == tuple(f"https://ministry.example/s/{n}.xml" for n in NEWEST)


def test_a_repeated_link_among_the_newest_still_fills_its_gaps(
    make_fetched: MakeFetched, source: Source
) -> None:
    body = (
        "<urlset xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>"
        "<url><loc>https://ministry.example/a</loc><lastmod>2025-11-02</lastmod></url>"
        "<url><loc>https://ministry.example/b</loc><lastmod>2025-11-01</lastmod></url>"
        "<url><loc>https://ministry.example/a#top</loc><lastmod>2025-11-02</lastmod>"
        "<news:news><news:title>A title</news:title></news:news></url>"
        "</urlset>"
    )
    result = discover_sitemap(make_fetched(body.encode()), source, max_entries=1)
    assert [(e.url, e.title) for e in result.entries] == [("https://ministry.example/a", "A title")]
