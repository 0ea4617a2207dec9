"""The demo world agrees with its answer key (manifest.toml) and its catalog.

Every article in the manifest exists, is linked from its source's feed,
sitemap or listing, is in the declared charset and language, and shows the
title, section and date the manifest promises; every link a source offers is
in the manifest; every trap is really there.
"""

from __future__ import annotations

import functools
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from lingua import Language, LanguageDetector, LanguageDetectorBuilder
from lxml import etree
from protego import Protego

from babelwire.demo import CATALOG_DIR, WORLD_DIR
from babelwire.demo.manifest import ManifestArticle, load_manifest
from babelwire.demo.resolver import DemoResolver
from babelwire.demo.world import file_for, world_hosts
from babelwire.model import content_hash

MANIFEST = load_manifest(WORLD_DIR)
SOURCES = {
    source["id"]: source
    for path in sorted(CATALOG_DIR.glob("*.toml"))
    for source in tomllib.loads(path.read_text(encoding="utf-8"))["source"]
}
PAGES = [a for a in MANIFEST.articles if a.expected != "skipped" or a.reason == "robots"]
LANGUAGES = {
    "ru": Language.RUSSIAN,
    "ar": Language.ARABIC,
    "zh": Language.CHINESE,
    "es": Language.SPANISH,
    "fr": Language.FRENCH,
    "en": Language.ENGLISH,
}
_XML = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)


def page_id(article: ManifestArticle) -> str:
    """The last two path segments: short, unique and readable in test ids."""
    return "/".join(article.url.rstrip("/").rsplit("/", 2)[-2:])


def starting_points(source: dict[str, Any]) -> list[str]:
    """The feeds, sitemaps and listing pages a catalog source names."""
    listings = [item["url"] for item in source.get("listings", ())]
    return [*source["feeds"], *source["sitemaps"], *listings]


def world_file(url: str) -> Path:
    parts = urlsplit(url)
    found = file_for(WORLD_DIR, parts.hostname or "", parts.path)
    assert found is not None, f"no file in the world for {url}"
    return found


def links_in(url: str) -> set[str]:
    """Article links a feed, sitemap (index followed) or listing page offers."""
    data = world_file(url).read_bytes()
    if data.lstrip().startswith(b"<?xml"):
        root = etree.fromstring(data, _XML)
        found: set[str] = set()
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            name = etree.QName(element).localname
            parent = element.getparent()
            within = etree.QName(parent).localname if parent is not None else ""
            if name == "loc" and within == "sitemap":
                found |= links_in((element.text or "").strip())
            elif (name == "loc" and within == "url") or (name == "link" and within == "item"):
                found.add((element.text or "").strip())
            elif name == "link" and within == "entry" and _is_alternate(element):
                found.add(element.get("href", ""))
        return found
    listing = next(
        item for s in SOURCES.values() for item in s.get("listings", ()) if item["url"] == url
    )
    page = lxml.html.fromstring(data)
    return {urljoin(url, a.get("href")) for a in page.cssselect(listing["link_selector"])}


def _is_alternate(link: etree._Element) -> bool:
    return link.get("rel", "alternate") == "alternate"


def source_links(source_id: str) -> set[str]:
    return set().union(*(links_in(url) for url in starting_points(SOURCES[source_id])))


def page_tree(article: ManifestArticle) -> lxml.html.HtmlElement:
    text = world_file(article.url).read_bytes().decode(article.charset)
    return lxml.html.fromstring(text)


def body_text(tree: lxml.html.HtmlElement) -> str:
    """Text of the element holding the most paragraphs: the article body."""
    holders = [p.getparent() for p in tree.iter("p")]
    body = max(set(holders), key=holders.count)
    return " ".join(" ".join(e.text_content().split()) for e in body if e.tag in {"p", "ul", "h3"})


@functools.cache
def detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LANGUAGES.values()).build()


def test_manifest_counts_and_world_size() -> None:
    counts = MANIFEST.expected_counts()
    assert 60 <= counts["stored"] + counts["duplicate"] <= 64
    assert counts["duplicate"] == 1
    assert {a.language for a in MANIFEST.articles} >= set(LANGUAGES)
    assert len(SOURCES) >= 8
    size_bytes = sum(p.stat().st_size for p in WORLD_DIR.rglob("*") if p.is_file())
    assert size_bytes < 2_000_000


def test_catalog_sources_live_in_the_world() -> None:
    hosts = world_hosts(WORLD_DIR)
    for source_id, source in SOURCES.items():
        assert source_id.startswith("demo-") and source["allow_private"] is True
        starts = starting_points(source)
        assert starts, source_id
        for url in [*starts, source["homepage"]]:
            assert urlsplit(url).scheme == "http" and urlsplit(url).hostname in hosts
            world_file(url)
        assert any(a.expected == "stored" for a in MANIFEST.for_source(source_id)), source_id


@pytest.mark.parametrize("source_id", sorted(SOURCES))
def test_every_link_of_a_source_is_in_the_manifest_and_back(source_id: str) -> None:
    expected = {a.url for a in MANIFEST.for_source(source_id)}
    assert source_links(source_id) == expected


@pytest.mark.parametrize("article", PAGES, ids=page_id)
def test_article_page_matches_the_manifest(article: ManifestArticle) -> None:
    raw = world_file(article.url).read_bytes()
    text = raw.decode(article.charset)  # strict: the whole page is in its charset
    if article.charset != "utf-8":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    head = text[:600].lower()
    assert f"charset={article.charset}" in head.replace('"', "").replace("'", "")
    tree = lxml.html.fromstring(text)
    assert " ".join(tree.findtext(".//h1").split()) == article.title
    assert article.section in text
    assert f'"{article.published}"' in text  # a <meta>, <time datetime> or JSON-LD value
    published = article.published_at
    assert datetime(2025, 11, 1, tzinfo=UTC) <= published < datetime(2026, 1, 1, tzinfo=UTC)
    canonical = tree.find(".//link[@rel='canonical']")
    assert canonical is not None and canonical.get("href") == article.url
    assert (tree.get("lang") or "").split("-")[0] == article.language


@pytest.mark.parametrize("article", PAGES, ids=page_id)
def test_article_body_is_real_prose_in_its_language(article: ManifestArticle) -> None:
    body = body_text(page_tree(article))
    if article.language == "zh":
        assert 250 <= len(re.findall(r"[\u4e00-\u9fff]", body)) <= 1200
    else:
        words = [token for token in body.split() if any(c.isalpha() for c in token)]
        assert 150 <= len(words) <= 500
    detected = detector().detect_language_of(body)
    assert detected == LANGUAGES[article.language]


def test_duplicate_has_the_same_body_text_as_its_original() -> None:
    by_url = MANIFEST.by_url()
    for copy in (a for a in MANIFEST.articles if a.expected == "duplicate"):
        original = by_url[copy.duplicate_of or ""]
        assert copy.source_id != original.source_id
        copy_text, original_text = body_text(page_tree(copy)), body_text(page_tree(original))
        assert content_hash(copy_text) == content_hash(original_text)
        assert original.published_at <= copy.published_at


def test_skipped_articles_are_really_traps() -> None:
    behaviours = WORLD_DIR / "behaviours.toml"
    redirects = {
        (b["host"], b["path"]): b["redirect"]
        for b in tomllib.loads(behaviours.read_text(encoding="utf-8"))["behaviour"]
        if "redirect" in b
    }
    resolver = DemoResolver.for_world(WORLD_DIR, server_port=8000)
    reasons = set()
    for article in (a for a in MANIFEST.articles if a.expected == "skipped"):
        reasons.add(article.reason)
        parts = urlsplit(article.url)
        if article.reason == "robots":
            robots = world_file(f"http://{parts.hostname}/robots.txt").read_text(encoding="utf-8")
            assert not Protego.parse(robots).can_fetch(article.url, "babelwire")
        elif article.reason == "bot-challenge":
            page = world_file(article.url).read_text(encoding="utf-8")
            assert "JavaScript" in page and "cookies" in page
        elif article.reason == "not-found":
            assert "no encontrada" in world_file(article.url).read_text(encoding="utf-8")
        elif article.reason == "private-address":
            target = urlsplit(redirects[(parts.hostname, parts.path)])
            address, _ = resolver.resolve(target.hostname or "", 80)[0]
            assert address.startswith("10.")
        else:
            pytest.fail(f"unknown reason {article.reason} for {article.url}")
    assert reasons == {"robots", "bot-challenge", "not-found", "private-address"}


def test_every_trap_is_present() -> None:
    kinds = {t.kind for t in MANIFEST.traps}
    assert kinds >= {
        "malformed-feed",
        "robots",
        "rate-limited",
        "slow",
        "bot-challenge",
        "private-redirect",
        "duplicate",
        "gzip",
        "legacy-charset",
        "soft-404",
    }
    behaviour_paths = {
        (b["host"], b["path"])
        for b in tomllib.loads((WORLD_DIR / "behaviours.toml").read_text(encoding="utf-8"))[
            "behaviour"
        ]
    }
    for trap in MANIFEST.traps:
        assert trap.source_id in SOURCES
        parts = urlsplit(trap.url)
        assert (parts.hostname, parts.path) in behaviour_paths or world_file(trap.url)
    malformed = next(t for t in MANIFEST.traps if t.kind == "malformed-feed")
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(world_file(malformed.url).read_bytes())
