"""A megabyte of the worst text for each regular expression applied to fetched content.

Every pattern in discover/, extract/ and translate/ that reads fetched bytes
or text was audited for nested or overlapping quantifiers and for searches
that rescan a long run from each position in it. Each entry point that
applies them gets ~1 MB built to hurt them: runs of the characters the
patterns repeat, with the one character that makes a match fail at the end.
A hang guard stops a test that never ends; there is no speed threshold.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pytest

from babelwire.discover import canonicalize_url, discover_feed, discover_listing, discover_sitemap
from babelwire.discover.charset import repair_double_encoding
from babelwire.discover.dates import feed_date, loose_date, w3c_datetime
from babelwire.discover.fields import language_tag, plain_text
from babelwire.errors import Drop, ExtractError
from babelwire.extract import extract
from babelwire.extract.dates import parse_date
from babelwire.translate.protect import find_spans
from babelwire.translate.sentences import split_sentences

from .targets import LISTING, SOURCE, fetched

MEGABYTE = 1_000_000

#: Runs that defeat a pattern: a letter, space, digit or separator repeated,
#: then a character that makes the pending match fail.
RUNS = {
    "letters": "a",
    "letters then @": "a",
    "spaces": " ",
    "tabs and newlines": " \t\n",
    "digits": "1",
    "digits and dashes": "1-",
    "dots": ".",
    "capitals": "AB",
    "code parts": "A1-",
    "pipes": "|",
    "underscores": "_",
    "en dashes": "–",
    "less-than": "<",
    "ampersands": "&a",
    "clock": "1:11 ",
    "mojibake": "Ã©",
}


def _run(unit: str) -> str:
    text = unit * (MEGABYTE // len(unit.encode()))
    return text + ("@b" if unit == "a" else "x")


def _returns(call: Callable[[], object]) -> None:
    with contextlib.suppress(Drop, ExtractError):  # the stage's documented verdicts
        call()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(RUNS))
def test_date_and_field_readers(name: str) -> None:
    text = _run(RUNS[name])
    feed_date(text, None)
    w3c_datetime(text)
    loose_date(text)
    parse_date(text)
    plain_text(text, is_html=True)
    language_tag(text)
    repair_double_encoding(text)
    with contextlib.suppress(ValueError):
        canonicalize_url("http://" + text.replace("/", "") + "/")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(RUNS))
def test_translation_spans_and_sentences(name: str) -> None:
    text = _run(RUNS[name])
    find_spans(text, lang="en")
    find_spans(text, lang="ru")
    split_sentences(text, "en")


@pytest.mark.slow
@pytest.mark.timeout(180)
@pytest.mark.parametrize("name", sorted(RUNS))
def test_extract_with_the_run_in_every_field(name: str) -> None:
    run = _run(RUNS[name]).replace("'", "")
    page = (
        f"<html><head><title>{run}</title><meta name='author' content='{run}'>"
        f"<meta property='article:published_time' content='{run}'></head>"
        f"<body><h1>{run}</h1><article><p>The minister spoke today. {run}</p></article>"
        "</body></html>"
    )
    _returns(lambda: extract(page, url="https://ministry.example/news/1"))


XML_FLOODS = {
    "comments, no declaration": b"<!-- c -->" * 100_000 + b"<rss/>",
    "declaration never closed": b'<?xml version="1.0" encoding="' + b'koi8-r" x="' * 90_000,
    "long first line": b'<?xml version="1.0"?><rss>' + b'<a encoding="x"/>' * 60_000 + b"</rss>",
    "unclosed CDATA": b"<rss><channel><item><title><![CDATA[" + b"]" * MEGABYTE,
    "bare ampersands": b"<rss><channel><title>" + b"&a" * 500_000 + b"</title></channel></rss>",
    "less-than": b"<" * MEGABYTE,
    "open tags": b"<a " * 330_000,
}


@pytest.mark.timeout(180)
@pytest.mark.parametrize("name", sorted(XML_FLOODS))
def test_feed_and_sitemap_readers(name: str) -> None:
    body = XML_FLOODS[name]
    discover_feed(fetched(body, "https://ministry.example/feed.xml"), SOURCE)
    discover_sitemap(fetched(body, "https://ministry.example/sitemap.xml"), SOURCE)


@pytest.mark.timeout(60)
def test_listing_with_thousands_of_links_and_long_dates() -> None:
    rows = "".join(
        f"<li><a href='/news/{n}'>N</a><span class='date'>{n} {'a' * 300}</span></li>"
        for n in range(3000)
    )
    extra_dates = "<time>1 " + "a" * 100_000 + "</time>"
    page = f"<html><body><ul>{rows}</ul>{extra_dates}</body></html>".encode()
    found = discover_listing(fetched(page, LISTING.url, "text/html"), SOURCE, LISTING)
    assert len(found.entries) == 200
