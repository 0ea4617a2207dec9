"""The records that travel between stages.

Every record is a frozen dataclass: a stage receives one, builds the next and
never mutates what it was given. Provenance (source, URL, fetch time, HTTP
status, archive record) is copied forward so that the last record still says
where its text came from.

    Source ─▶ Fetched ─▶ Entry ─▶ Fetched ─▶ Document
    (catalog)  (feed)    (discover) (page)    (extract)
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime


class Stage(enum.StrEnum):
    """How far a document has travelled; stored with every document.

    The order of the members is the order of the flow; a document waits at
    ``extracted`` (with its reason stored) until an engine can translate it,
    and is ``published`` once its wire item exists. ``skipped`` and
    ``failed`` are where an item stops: skipped for an expected reason (not an
    article, disallowed by robots.txt), failed for an error that a later run
    retries.
    """

    DISCOVERED = "discovered"
    FETCHED = "fetched"
    EXTRACTED = "extracted"
    TRANSLATED = "translated"
    PUBLISHED = "published"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Listing:
    """An HTML page that lists articles, read with CSS selectors."""

    url: str
    link_selector: str
    #: Optional selector for a date next to each link (text parsed leniently).
    date_selector: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """A publisher we watch, as written in the catalog.

    ``name``, ``desk`` and ``region`` are printed verbatim in the wire header
    ("Source: <name> – <desk> –", "Region: <region> –"), so they are never
    abbreviated or cut.
    """

    id: str
    name: str
    desk: str
    region: str
    languages: tuple[str, ...]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    poll_interval_s: int = 1800
    category: str = "government"
    homepage: str | None = None
    glossary: str | None = None
    notes: str = ""
    #: True only for sources on loopback or private networks that an operator
    #: has explicitly allowed (the bundled demo world is one).
    allow_private: bool = False
    #: The catalog file the source was read from, for error messages.
    origin: str = ""

    @property
    def hosts(self) -> frozenset[str]:
        from urllib.parse import urlsplit

        urls = [*self.feeds, *self.sitemaps, *(x.url for x in self.listings)]
        if self.homepage:
            urls.append(self.homepage)
        return frozenset(h for u in urls if (h := urlsplit(u).hostname))


@dataclass(frozen=True, slots=True)
class SourceURL:
    """One address a source is polled at, and how to read what it answers."""

    url: str
    #: "feed", "sitemap" or "listing".
    kind: str
    listing: Listing | None = None


def source_urls(source: Source) -> list[SourceURL]:
    """Every address of a source, in the order they are polled."""
    return [
        *(SourceURL(url, "feed") for url in source.feeds),
        *(SourceURL(url, "sitemap") for url in source.sitemaps),
        *(SourceURL(x.url, "listing", x) for x in source.listings),
    ]


@dataclass(frozen=True, slots=True)
class Fetched:
    """One HTTP exchange, after redirects, decompression and decoding."""

    url: str
    final_url: str
    status: int
    #: Response headers, lower-cased names, in the order received.
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: datetime
    content_type: str = ""
    #: Charset decided by fetch (header, BOM, <meta>, detection, in that order).
    charset: str | None = None
    #: Where the charset came from: "header", "bom", "meta", "detected", "default".
    charset_source: str | None = None
    #: True when a conditional GET answered 304; ``body`` is then empty.
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    redirects: tuple[str, ...] = ()
    #: Pointer to the raw response in the WARC archive.
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_record_id: str | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None

    @property
    def text(self) -> str:
        """The body decoded with the charset fetch decided on."""
        return self.body.decode(self.charset or "utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class Entry:
    """A link to a publication, found in a feed, sitemap or listing page."""

    source_id: str
    url: str
    #: Where the link was found (feed, sitemap or listing URL).
    found_in: str
    title: str | None = None
    published: datetime | None = None
    summary: str | None = None
    language: str | None = None

    @property
    def document_id(self) -> str:
        return document_id(self.source_id, self.url)


class BlockKind(enum.StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    QUOTE = "quote"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of body text. Table rows keep their cells apart."""

    kind: BlockKind
    text: str
    cells: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Extracted:
    """What the extractor read from a page, before provenance is attached."""

    title: str | None
    blocks: tuple[Block, ...]
    language: str | None
    #: Language the page declares (``<html lang>``, ``og:locale``, HTTP header).
    declared_language: str | None = None
    language_confidence: float | None = None
    published: datetime | None = None
    #: False when the page gave a date only; then ``published`` is midnight UTC.
    published_has_time: bool = False
    section: str | None = None
    byline: str | None = None
    canonical_url: str | None = None
    description: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


@dataclass(frozen=True, slots=True)
class Document:
    """A stored publication: extracted text plus its provenance."""

    id: str
    source_id: str
    url: str
    stage: Stage
    extracted: Extracted | None = None
    #: Why the document stopped (skipped or failed); None while it moves on.
    reason: str | None = None
    fetched_at: datetime | None = None
    http_status: int | None = None
    final_url: str | None = None
    charset: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_record_id: str | None = None
    content_hash: str | None = None
    #: Another document with the same text, published first (any source).
    duplicate_of: str | None = None
    found_in: str | None = None
    entry_title: str | None = None
    entry_published: datetime | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())


def utc_now() -> datetime:
    """Now, as an aware UTC instant: the one clock every part defaults to."""
    return datetime.now(UTC)


def document_id(source_id: str, canonical_url: str) -> str:
    """A document's identity: its canonical URL within its source.

    Stable across runs and machines, so every write can be an upsert.
    """
    digest = hashlib.sha256(f"{source_id}\n{canonical_url}".encode()).hexdigest()
    return digest[:20]


def content_hash(text: str) -> str:
    """Hash of the body text with whitespace folded, for duplicate detection."""
    folded = " ".join(text.split()).casefold()
    return hashlib.sha256(folded.encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Discovered:
    """What discovery found in one feed, sitemap or listing page.

    A malformed feed still yields what could be recovered; ``error`` then says
    what was wrong and where, in one line.
    """

    found_in: str
    entries: tuple[Entry, ...]
    #: Child sitemaps named by a sitemap index, to be fetched in turn.
    sitemaps: tuple[str, ...] = ()
    #: "rss", "atom", "json", "rdf", "sitemap", "sitemapindex", "listing".
    format: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class FetchState:
    """What we remember about one URL between polls (feeds, sitemaps, listings)."""

    url: str
    source_id: str
    etag: str | None = None
    last_modified: str | None = None
    status: int | None = None
    consecutive_failures: int = 0
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_fetched_at: datetime | None = None
    next_due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """Per-source health, shown by ``babelwire status`` and the sources page."""

    source_id: str
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    consecutive_failures: int = 0
    next_due_at: datetime | None = None
    verified: bool = False
    checked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SegmentTranslation:
    """One translated segment and who produced it."""

    source_text: str
    text: str
    engine: str
    model: str
    model_version: str
    #: Quality flags that remained after every engine was tried, e.g.
    #: ("numbers_differ",); empty when the segment passed every check.
    flags: tuple[str, ...] = ()
    cached: bool = False


@dataclass(frozen=True, slots=True)
class Translation:
    """A document's English text, segment by segment, with its provenance."""

    document_id: str
    source_language: str
    target_language: str
    headline: SegmentTranslation | None
    section: SegmentTranslation | None
    body: tuple[SegmentTranslation, ...]
    translated_at: datetime

    @property
    def flags(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for seg in (self.headline, self.section, *self.body):
            if seg is not None:
                seen.update(dict.fromkeys(seg.flags))
        return tuple(seen)

    @property
    def engines(self) -> tuple[str, ...]:
        parts = (self.headline, self.section, *self.body)
        return tuple(dict.fromkeys(s.engine for s in parts if s is not None))


@dataclass(frozen=True, slots=True)
class Item:
    """A wire item: the English text of one document, ready to publish.

    Composed only from a translation (or from text already in English); the
    wire text, ninjs JSON, feeds and HTML pages are all renderings of it.
    """

    id: str
    document_id: str
    version: int
    slug: str
    headline: str
    section: str | None
    body: tuple[str, ...]
    #: "translation", "original" (already English) or "official" (the
    #: source's own English version).
    kind: str
    source_id: str
    source_name: str
    desk: str
    region: str
    original_language: str
    original_headline: str | None
    original_url: str
    published: datetime | None
    published_has_time: bool
    first_created: datetime
    version_created: datetime
    disclaimer: str
    disclaimer_version: str
    publisher: str
    engines: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
