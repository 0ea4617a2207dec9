"""OPML 2.0: the wire's feeds out, other people's feeds in as sources.

Export lists every feed the wire serves, grouped: one per source, region
and language (``/feeds/atom?…``) and one per subscription
(``/feeds/subscriptions/{name}.atom``), so a reader subscribes to all of
them in one step.

Import reads an OPML file of feeds and adds each ``outline`` with an
``xmlUrl`` as a source, validated like ``sources add`` and the admin API
(hosts that are private or loopback are refused): every bad outline is one
line naming its place in the file, and the others are added. The file is
hostile until read: a DOCTYPE is refused outright (OPML needs none, and it
is how external entities and entity expansion bombs arrive), and the size
and the number of outlines are capped before anything is parsed or added.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from lxml import etree

from babelwire.catalog.writer import add_source, check_source_fields
from babelwire.errors import CatalogError
from babelwire.model import Source

#: Largest OPML file read: a list of a few thousand feeds is well under it.
MAX_OPML_BYTES = 2_000_000
#: Most outlines with a feed read from one file.
MAX_FEEDS = 2000
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_ID_PART = re.compile(r"[^a-z0-9]+")
MAX_ID_CHARS = 60


@dataclass(frozen=True, slots=True)
class FeedLink:
    title: str
    xml_url: str
    html_url: str = ""


@dataclass(frozen=True, slots=True)
class FeedGroup:
    title: str
    feeds: tuple[FeedLink, ...]


def wire_feeds(base_url: str, sources: Iterable[Source],
               subscription_names: Iterable[str]) -> list[FeedGroup]:
    """Every feed the wire serves, grouped as the export lists them."""
    chosen = sorted(sources, key=lambda s: s.id)

    def link(title: str, param: str, value: str) -> FeedLink:
        query = urlencode({param: value})
        return FeedLink(title, f"{base_url}/feeds/atom?{query}", f"{base_url}/?{query}")

    regions = sorted({s.region for s in chosen if s.region})
    languages = sorted({lang for s in chosen for lang in s.languages})
    return [
        FeedGroup("Sources", tuple(
            link(f"{s.name} – {s.desk}" if s.desk and s.desk != s.name else s.name,
                 "source", s.id) for s in chosen)),
        FeedGroup("Regions", tuple(link(region, "region", region) for region in regions)),
        FeedGroup("Languages", tuple(link(lang, "language", lang) for lang in languages)),
        FeedGroup("Subscriptions", tuple(
            FeedLink(name, f"{base_url}/feeds/subscriptions/{name}.atom")
            for name in sorted(subscription_names))),
    ]


def write_opml(title: str, groups: Sequence[FeedGroup], now: datetime) -> bytes:
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(now, usegmt=True)
    body = etree.SubElement(root, "body")
    for group in groups:
        folder = etree.SubElement(body, "outline", text=group.title, title=group.title)
        for feed in group.feeds:
            entry = etree.SubElement(folder, "outline", type="rss", text=feed.title,
                                     title=feed.title, xmlUrl=feed.xml_url)
            if feed.html_url:
                entry.set("htmlUrl", feed.html_url)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    #: Where it is in the file: "outline 3 (UN News)".
    place: str
    title: str
    xml_url: str
    html_url: str | None
    region: str | None
    language: str | None


class OpmlError(CatalogError):
    """The file as a whole cannot be read (too big, a DOCTYPE, not XML)."""


def read_opml(data: bytes, label: str) -> list[OpmlFeed]:
    """The outlines of ``data`` that name a feed, in document order."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(label, "file", f"larger than {MAX_OPML_BYTES:,} bytes, not read")
    if _DOCTYPE.search(data):
        raise OpmlError(label, "file", "has a DOCTYPE or an entity declaration; "
                                       "OPML needs neither, so it is not read")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise OpmlError(label, "file", f"not well-formed XML: {exc}") from None
    if root.tag != "opml":
        raise OpmlError(label, "file", f"the root element is <{root.tag}>, not <opml>")
    found: list[OpmlFeed] = []
    for number, outline in enumerate(root.iter("outline"), start=1):
        xml_url = (outline.get("xmlUrl") or "").strip()
        if not xml_url:
            continue  # a folder
        if len(found) == MAX_FEEDS:
            raise OpmlError(label, "file", f"more than {MAX_FEEDS} feeds; split the file")
        title = " ".join((outline.get("title") or outline.get("text") or "").split())
        found.append(OpmlFeed(
            place=f"outline {number}" + (f" ({title[:60]})" if title else ""),
            title=title, xml_url=xml_url,
            html_url=(outline.get("htmlUrl") or "").strip() or None,
            region=(outline.get("region") or "").strip() or None,
            language=(outline.get("language") or "").strip() or None))
    return found


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    #: One line per outline that was not added.
    problems: list[str] = field(default_factory=list)


def source_id_for(feed: OpmlFeed) -> str:
    """A catalog id from the title, else from the feed's host (a title in
    another script has no ASCII letters): "UN News (ru)" -> "un-news-ru"."""
    for text in (feed.title, urlsplit(feed.xml_url).hostname or ""):
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        slug = _ID_PART.sub("-", ascii_text.lower()).strip("-")[:MAX_ID_CHARS].strip("-")
        if slug:
            return slug
    return "feed"


def import_sources(
    feeds: Sequence[OpmlFeed], directory: Path, *, label: str, region: str | None,
    language: str | None, file_name: str,
) -> ImportReport:
    """Add each feed as a source in ``directory/file_name``; ``region`` and
    ``language`` are used where an outline does not say its own."""
    report = ImportReport()
    for feed in feeds:
        table: dict[str, object] = {
            "id": source_id_for(feed),
            "name": feed.title or urlsplit(feed.xml_url).hostname or feed.xml_url,
            "region": feed.region or region,
            "languages": [feed.language or language],
            "feeds": [feed.xml_url],
        }
        if feed.html_url and feed.html_url.startswith(("http://", "https://")):
            table["homepage"] = feed.html_url
        missing = [key for key in ("region", "languages")
                   if table[key] in (None, [None])]
        if missing:
            report.problems.append(
                f"opml: {label}: {feed.place}: no {' or '.join(missing)}: give --region/"
                "--language or region/language attributes")
            continue
        problems = check_source_fields(directory, table, file_name=file_name)
        if problems:
            report.problems.append(f"opml: {label}: {feed.place}: " + "; ".join(
                f"{p.field}: {p.problem}" for p in problems))
            continue
        add_source(directory, table, file_name=file_name)
        report.added.append(str(table["id"]))
    return report
