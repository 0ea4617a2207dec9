"""Fuzz targets: the parsers' entry points, and structure-aware inputs for each.

Inputs start from real documents (the discover fixtures, ``../shared/corpus``
when present, a few written here) and are mutated the way broken servers and
hostile sources mutate them: cut off, spliced, re-encoded, gzipped, flooded
with comments, given dates out of range, numbers too long, references HTML
does not define. Random bytes are one strategy among many, not the main one.

Used by ``make fuzz`` (``scripts/fuzz``, 100,000 cases) and, with a few
hundred cases, by ``test_fuzz_bounded.py`` in the normal suite. A target's
contract: it returns, or raises only the error the stage documents
(:class:`~babelwire.errors.Drop` or ``ExtractError`` for extraction).
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from babelwire.discover import discover_feed, discover_listing, discover_sitemap
from babelwire.discover.charset import choose_codec, repair_double_encoding
from babelwire.discover.dates import feed_date, loose_date, w3c_datetime
from babelwire.discover.xmlprep import prepare_xml
from babelwire.errors import Drop, ExtractError
from babelwire.extract import extract_fetched
from babelwire.extract.dates import parse_date
from babelwire.fetch.charset import decide_charset
from babelwire.model import Fetched, Listing, Source

HERE = Path(__file__).parent
REPO = HERE.parents[1]
DISCOVER_DATA = REPO / "tests" / "discover" / "data"
CORPUS = REPO.parent / "shared" / "corpus"
#: Crashing inputs the fuzzer found, named ``<target>-<digest>.bin``.
REGRESSIONS = HERE / "data"
#: Seeds are cut to this size: the parsers' cost grows with the input, and a
#: fuzz case that spends its time on one long real page finds nothing more.
SEED_BYTES = 48_000
#: Decompression limit the targets pass in, as a run passes the setting.
MAX_DECOMPRESSED_BYTES = 2_000_000

SOURCE = Source(id="fuzz", name="Fuzz", desk="", region="", languages=("en",))
LISTING = Listing(
    url="https://ministry.example/news", link_selector="li a, h2 a, h3 a, .news a",
    date_selector="time, .date",
)


def fetched(body: bytes, url: str, content_type: str = "") -> Fetched:
    """A Fetched as fetch returns it, with fetch's own charset rule applied."""
    charset, charset_source = decide_charset(body, content_type or "application/octet-stream")
    return Fetched(
        url=url,
        final_url=url,
        status=200,
        headers=(("content-type", content_type),) if content_type else (),
        body=body,
        fetched_at=datetime(2025, 12, 12, tzinfo=UTC),
        content_type=content_type,
        charset=charset,
        charset_source=charset_source,
    )


# -- targets -------------------------------------------------------------------


class UnexpectedInExtract(AssertionError):
    """extract turned a library exception into ExtractError: a fault, not a verdict."""


class _Unexpected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("extract: unexpected"):
            self.messages.append(record.getMessage())


def run_feed(body: bytes) -> None:
    discover_feed(
        fetched(body, "https://ministry.example/feed.xml"),
        SOURCE,
        max_decompressed_bytes=MAX_DECOMPRESSED_BYTES,
    )


def run_sitemap(body: bytes) -> None:
    discover_sitemap(
        fetched(body, "https://ministry.example/sitemap.xml"),
        SOURCE,
        since=datetime(2025, 1, 1, tzinfo=UTC),
        max_decompressed_bytes=MAX_DECOMPRESSED_BYTES,
    )


def run_jsonfeed(body: bytes) -> None:
    discover_feed(fetched(body, "https://ministry.example/feed.json", "application/feed+json"),
                  SOURCE)


def run_listing(body: bytes) -> None:
    discover_listing(fetched(body, LISTING.url, "text/html"), SOURCE, LISTING)


def run_dates(body: bytes) -> None:
    text = body.decode("utf-8", errors="replace")
    feed_date(text, None)
    w3c_datetime(text)
    loose_date(text)
    parse_date(text)


def run_charset(body: bytes) -> None:
    page = fetched(body, "https://ministry.example/x")
    text = body.decode(choose_codec(body, page, default_type="application/xml"), "replace")
    repair_double_encoding(text)
    prepare_xml(page, max_decompressed_bytes=MAX_DECOMPRESSED_BYTES)


def run_extract(body: bytes) -> None:
    watcher = _Unexpected()
    logger = logging.getLogger("babelwire.extract")
    logger.addHandler(watcher)
    try:
        extract_fetched(fetched(body, "https://ministry.example/news/2025/12/a", "text/html"))
    except (Drop, ExtractError):
        pass
    finally:
        logger.removeHandler(watcher)
    if watcher.messages:
        raise UnexpectedInExtract(watcher.messages[0])


# -- seeds ---------------------------------------------------------------------

_RSS = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>M</title>'
    b"<item><title>A &amp; B</title><link>https://ministry.example/a?x=1&amp;y=2</link>"
    b"<guid isPermaLink=\"false\">https://cms.example/1</guid>"
    b"<pubDate>Tue, 09 Dec 2025 13:30:00 +0100</pubDate><description>&lt;p&gt;Hi&lt;/p&gt;"
    b"</description></item><item><guid>https://ministry.example/b</guid>"
    b"<dc:date xmlns:dc=\"http://purl.org/dc/elements/1.1/\">2025-12-08</dc:date></item>"
    b"</channel></rss>"
)
_ATOM = (
    b'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>M</title>'
    b'<entry><id>tag:m,2025:1</id><link rel="alternate" href="/fr/a"/><title type="html">'
    b"&lt;b&gt;Titre&lt;/b&gt;</title><updated>2025-12-09T13:30:00Z</updated></entry></feed>"
)
_SITEMAP = (
    b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
    b"<loc>https://ministry.example/a</loc><lastmod>2025-12-09T10:00:00+01:00</lastmod>"
    b"<news:news><news:publication_date>2025-12-09</news:publication_date>"
    b"<news:title>T</news:title><news:language>de</news:language></news:news></url></urlset>"
)
_INDEX = (
    b"<sitemapindex><sitemap><loc>https://ministry.example/s1.xml</loc>"
    b"<lastmod>2025-12-01</lastmod></sitemap><sitemap><loc>/s2.xml</loc></sitemap></sitemapindex>"
)
_JSON = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "M",
        "language": "es",
        "items": [
            {"id": "1", "url": "https://ministry.example/a", "title": "T",
             "date_published": "2025-12-09T13:30:00+01:00", "content_html": "<p>x</p>"},
            {"id": "https://ministry.example/b", "summary": "S", "date_modified": "2025-12-08"},
        ],
    }
).encode()
_LISTING = (
    b"<html><head><base href='/news/'></head><body><ul>"
    b"<li><time datetime='2025-12-09'>9 d\xc3\xa9cembre 2025</time><a href='a'>A</a></li>"
    b"<li><span class='date'>03.04.2025</span><a href='https://ministry.example/b'>B</a></li>"
    b"</ul><h2><a href='/c'>C</a></h2></body></html>"
)
_DATES = [
    b"Mon, 31 Dec 9999 23:59:59 -0100", b"Mon, 01 Jan 0001 00:00:00 +0100",
    b"9999-12-31T23:59:59-01:00", b"0001-01-01T00:00:00+01:00", b"2025-12-09T13:30:00Z",
    b"Seg, 24 Set 2018 19:42:40 -0300", b"13:30:33+0900", b"1733750000",
    b"9 d\xc3\xa9cembre 2025", b"2025\xe5\xb9\xb412\xe6\x9c\x889\xe6\x97\xa5",
    b"December 9th, 2025",
    b"03.04.2025 10h05", b"2025-01-01T00:00:00+99:00", b"1/1/0T0:00-3000",
]


@cache
def seeds(kind: str) -> tuple[bytes, ...]:
    """Valid documents of one kind: written here, from tests/discover/data, from the corpus."""
    found: list[bytes] = []
    written = {
        "feed": [_RSS, _ATOM], "sitemap": [_SITEMAP, _INDEX], "jsonfeed": [_JSON],
        "listing": [_LISTING], "dates": _DATES, "charset": [_RSS, _LISTING, _JSON],
        "extract": [_LISTING],
    }
    found.extend(written[kind])
    suffixes = {
        "feed": (".xml", ".rdf", ".atom", ".rss"), "sitemap": (".xml", ".gz"),
        "jsonfeed": (".json",), "listing": (".html",), "charset": (".xml", ".html"),
        "extract": (".html",), "dates": (),
    }[kind]
    folders = [DISCOVER_DATA]
    if kind in ("feed", "charset"):
        folders.append(CORPUS / "feeds")
    if kind in ("extract", "listing", "charset"):
        folders.append(CORPUS / "pages")
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.name.endswith(suffixes) and (kind != "sitemap" or "sitemap" in path.name):
                    found.append(path.read_bytes()[:SEED_BYTES])
    return tuple(found)


# -- mutations -----------------------------------------------------------------

#: Fragments that matter to the parsers: markup, references, encodings, dates.
TOKENS: tuple[bytes, ...] = (
    b"<!-- c -->", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"&", b"&amp;", b"&nbsp;", b"&#0;",
    b"&#x110000;", b"&lang=en", b"&undefined;", b"<", b">", b"</", b'"', b"'", b"\x00",
    b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xff\xfe\x00\x00", b"\x1f\x8b",
    b'<?xml version="1.0" encoding="utf-16"?>', b'<?xml version="1.0" encoding="koi8-r"?>',
    b'<?xml version="1.0"?>', b'<!DOCTYPE r [<!ENTITY e "x">]>', b"&e;",
    b"<item>", b"</item>", b"<entry>", b"</entry>", b"<link>", b"</link>",
    b'<link href="http://exa', b"<link>http://exa", b'<guid isPermaLink="false">', b"</guid>",
    b"<pubDate>", b"</pubDate>", b"<lastmod>", b"</lastmod>", b"<url>", b"<loc>", b"</loc>",
    b"<sitemapindex>", b"<urlset>", b"<rss>", b"<feed>", b"<html>", b"<a href='/x'>", b"</a>",
    b"<time datetime='", b"<base href='", b"<script>", b"<meta charset='cp1251'>",
    b"<title>", b"</title>", b"<h1>", b"<p>", b"<br>", b"<table><tr><td>",
    b"Mon, 31 Dec 9999 23:59:59 -0100", b"0001-01-01T00:00:00+01:00", b"+99:00",
    b"9" * 5000, b"1e999", b"-0", b"{", b"}", b"[", b"]", b":", b",", b"null", b'"items"',
    b'"version": "https://jsonfeed.org/version/1.1"', b'"url": 5', b'"date_published": []',
    b"\xd0\x9c\xd0\xbe\xd1\x81", b"\xc3\x90\xc5\x93", b"\xe5\xb9\xb4", b"javascript:",
    b"http://[::1", b"https://xn--", b"%", b"%zz", b"\r\n", b"\t", b" " * 64,
)
_CODECS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "latin-1", "cp1251",
           "gb18030", "shift_jis", "koi8-r")


@dataclass(frozen=True, slots=True)
class Mutation:
    kind: str
    at: float
    size: int
    token: bytes
    count: int


def _apply(data: bytes, mutation: Mutation, other: bytes) -> bytes:
    at = int(mutation.at * len(data))
    end = min(len(data), at + mutation.size)
    kind = mutation.kind
    if kind == "truncate":
        return data[:at]
    if kind == "delete":
        return data[:at] + data[end:]
    if kind == "insert":
        return data[:at] + mutation.token * mutation.count + data[at:]
    if kind == "repeat":
        return data[:end] + data[at:end] * mutation.count + data[end:]
    if kind == "overwrite":
        return data[:at] + mutation.token + data[at + len(mutation.token) :]
    if kind == "splice":
        cut = int(mutation.at * len(other))
        return data[:at] + other[cut : cut + mutation.size * 8]
    if kind == "flip":
        if not data:
            return data
        index = min(at, len(data) - 1)
        return data[:index] + bytes([data[index] ^ (mutation.count % 255 + 1)]) + data[index + 1 :]
    if kind == "reencode":
        codec = _CODECS[mutation.count % len(_CODECS)]
        return data.decode("utf-8", "replace").encode(codec, "replace")
    if kind == "gzip":
        return gzip.compress(data, mtime=0)
    return data


_MUTATIONS = st.builds(
    Mutation,
    kind=st.sampled_from(("truncate", "delete", "insert", "insert", "insert", "repeat",
                          "overwrite", "splice", "flip", "reencode", "gzip")),
    at=st.floats(0, 1),
    size=st.integers(0, 4096),
    token=st.one_of(st.sampled_from(TOKENS), st.binary(max_size=16)),
    count=st.integers(1, 300),
)


def _json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
        st.text(max_size=40), st.sampled_from([d.decode("utf-8") for d in _DATES]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                     max_size=4),
        max_leaves=12,
    )


@st.composite
def _json_feed(draw: st.DrawFn) -> bytes:
    """A JSON Feed whose values were replaced by any JSON value: structure kept, types wrong."""
    document = json.loads(draw(st.sampled_from(seeds("jsonfeed"))))
    items = document.get("items") if isinstance(document, dict) else None
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and item:
                for key in draw(st.lists(st.sampled_from(sorted(item)), max_size=3)):
                    item[key] = draw(_json_values())
    keys = ["version", "items", "language", "title"]
    for key in draw(st.lists(st.sampled_from(keys), max_size=2)):
        document[key] = draw(_json_values())
    return json.dumps(document, allow_nan=True).encode()


@st.composite
def _date_text(draw: st.DrawFn) -> bytes:
    """A date put together from parts, with years, offsets and names out of range."""
    day_name = draw(st.sampled_from(["Mon, ", "Seg, ", "", "Dienstag, "]))
    day = draw(st.sampled_from(["1", "01", "31", "0", "32", "99"]))
    month = draw(st.sampled_from(["Jan", "Dec", "décembre", "Set", "мая", "13", "12", "Foo"]))
    year = draw(st.sampled_from(["0001", "1", "1970", "2025", "9999", "10000", "99999999"]))
    clock = draw(st.sampled_from(["", " 00:00:00", " 23:59:59", "T24:00", " 99:99", " 1:00"]))
    offset = draw(st.sampled_from(["", " +0000", " -0100", " +0100", "Z", " +99:00", " -2359",
                                   " GMT", " EST", "+1400"]))
    layout = draw(st.integers(0, 3))
    if layout == 0:
        text = f"{day_name}{day} {month} {year}{clock}{offset}"
    elif layout == 1:
        text = f"{year}-{month}-{day}{clock.replace(' ', 'T')}{offset.strip()}"
    elif layout == 2:
        text = f"{day}.{month}.{year}{clock}"
    else:
        text = f"{month} {day}, {year}{clock}{offset}"
    return text.encode()


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> bytes:
    """A seed of ``kind`` with up to eight mutations applied."""
    pool = seeds(kind)
    data = draw(st.sampled_from(pool))
    other = draw(st.sampled_from(pool))
    for mutation in draw(st.lists(_MUTATIONS, max_size=8)):
        data = _apply(data, mutation, other)
        if len(data) > 4 * SEED_BYTES:  # repeats and inserts stay bounded
            data = data[: 4 * SEED_BYTES]
    return data


def inputs(kind: str) -> st.SearchStrategy[bytes]:
    """Mutated real documents, mostly; some structured values and random bytes."""
    extra: list[st.SearchStrategy[bytes]] = [st.binary(max_size=2048)]
    if kind == "jsonfeed":
        extra.append(_json_feed())
    if kind == "dates":
        extra.extend([_date_text(), _date_text(), st.text(max_size=80).map(str.encode)])
    return st.one_of(mutated(kind), mutated(kind), mutated(kind), *extra)


#: Name → entry point. The names prefix the regression fixtures' file names.
TARGETS: dict[str, Callable[[bytes], None]] = {
    "feed": run_feed,
    "sitemap": run_sitemap,
    "jsonfeed": run_jsonfeed,
    "listing": run_listing,
    "dates": run_dates,
    "charset": run_charset,
    "extract": run_extract,
}
