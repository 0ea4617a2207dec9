"""What a page says about itself: <meta> tags and JSON-LD objects.

Read once per page and shared by the title, date, section and byline readers,
so each of them looks values up by name instead of walking the tree again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

_SPACES = re.compile(r"\s+")

# JSON-LD types that describe the publication itself (not the site, a person
# or a breadcrumb trail); the first such object wins for dates and sections.
# Every schema.org type ending in "Article" or "Posting" is one too.
ARTICLE_TYPES = frozenset({"report", "pressrelease", "speech", "webpage", "itempage"})
_ARTICLE_SUFFIXES = ("article", "posting")

#: Nesting levels followed inside one JSON-LD object; real pages use two or
#: three, the cap keeps a hostile script from costing more than that.
MAX_JSONLD_DEPTH = 6


def clean_text(text: str | None) -> str:
    """Fold whitespace (NBSP included) and trim; None becomes ''."""
    return _SPACES.sub(" ", text or "").strip()


@dataclass(frozen=True, slots=True)
class PageInfo:
    """The parsed page with its <meta> values and JSON-LD objects."""

    tree: HtmlElement
    url: str | None
    #: Lower-cased meta name/property/itemprop -> contents in page order.
    meta: dict[str, tuple[str, ...]]
    #: Every JSON-LD object (dict) found, @graph members and nested ones flattened.
    jsonld: tuple[dict[str, Any], ...]

    @classmethod
    def read(cls, tree: HtmlElement, url: str | None) -> PageInfo:
        return cls(tree=tree, url=url, meta=_read_meta(tree), jsonld=tuple(_read_jsonld(tree)))

    def meta_value(self, *names: str) -> str | None:
        """The first non-empty content among the given meta names, in the order given."""
        for name in names:
            for value in self.meta.get(name, ()):
                if value:
                    return value
        return None

    def articles(self) -> Iterator[dict[str, Any]]:
        """JSON-LD objects whose @type is an article-like type."""
        for obj in self.jsonld:
            if is_article(obj):
                yield obj


def is_article(obj: dict[str, Any], *, generic_pages: bool = True) -> bool:
    """Whether a JSON-LD object describes a publication (optionally not a bare WebPage)."""
    types = jsonld_types(obj)
    if any(t.endswith(_ARTICLE_SUFFIXES) for t in types):
        return True
    wanted = ARTICLE_TYPES if generic_pages else ARTICLE_TYPES - {"webpage", "itempage"}
    return bool(types & wanted)


def jsonld_types(obj: dict[str, Any]) -> frozenset[str]:
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return frozenset(v.lower().rsplit("/", 1)[-1] for v in values if isinstance(v, str))


def _read_meta(tree: HtmlElement) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        content = clean_text(element.get("content"))
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (element.get(attr) or "").strip().lower()
            if key:
                found.setdefault(key, []).append(content)
    return {key: tuple(values) for key, values in found.items()}


def _read_jsonld(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        data = _loads_lenient(script.text or "")
        if data is not None:
            yield from _flatten(data, depth=0)


def _loads_lenient(text: str) -> Any:
    # Pages wrap JSON-LD in CDATA or HTML comments and leave control characters
    # inside strings; strict=False and trimming the wrappers recover most.
    text = text.strip()
    for prefix, suffix in (("<![CDATA[", "]]>"), ("<!--", "-->")):
        if text.startswith(prefix) and text.endswith(suffix):
            text = text[len(prefix) : -len(suffix)].strip()
    text = text.rstrip(";")
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        return None


def _flatten(data: Any, *, depth: int) -> Iterator[dict[str, Any]]:
    if depth > MAX_JSONLD_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth=depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        # Breadcrumb and list items are read from their list object; following
        # them here would make a listing page's entries look like the page.
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), list | dict):
                yield from _flatten(data[key], depth=depth + 1)
