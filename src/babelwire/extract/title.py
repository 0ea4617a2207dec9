"""The headline: og:title, JSON-LD headline, <h1> or <title>, without the site name.

Pages put the site name into every title-like field ("Headline | UN News",
"标题_新华网"), while the <h1> usually holds the bare headline but is
sometimes the site logo. The reader therefore prefers an <h1> that is a large
part of a title field, and otherwise cuts the site name off the title field.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from babelwire.extract.page import PageInfo, clean_text

#: Longest headline accepted; longer "titles" are paragraphs in an <h1>.
MAX_TITLE_CHARS = 400

#: An <h1> found inside a title field is taken as the headline only when it is
#: at least this share of that field with the site name removed: a logo <h1>
#: such as "UN News" is a small part of "UN News - Long headline".
MIN_H1_SHARE = 0.5

#: A trailing part cut off as a site name is at most this long and
#: at most this share of the whole title; longer parts are the headline itself.
MAX_SITE_PART_CHARS = 45
MAX_SITE_PART_SHARE = 0.45

# Separators between a headline and a site or section name. Spaced dashes and
# pipes are the western habit; Chinese and Japanese sites join with "_", "｜"
# or a dash without spaces between two CJK characters (never between digits,
# where "2012–2013" is a range, not a separator).
_SEPARATOR = re.compile(
    # Starting only where a run of spaces starts keeps the search linear.
    r"(?<!\s)(?:\s+(?:[-–—|:·•»«/~]|::|--)\s+|\s*[|｜_]\s*)"
    r"|(?<=[\u3000-\u9fff\uac00-\ud7af])\s*[-—–]+\s*(?=[\u3000-\u9fff\uac00-\ud7af])"
)
_SEPARATOR_AT_END = re.compile(r"(?:\s[-–—|:·•»«/~]+|(?<![|｜_—–])[|｜_—–]+|::)\s*$")
_SEPARATOR_AT_START = re.compile(r"^\s*(?:[-–—|:·•»«/~]+\s|[|｜_—–]+|::)")


def read_title(page: PageInfo) -> str | None:
    candidates = (
        page.meta_value("og:title", "twitter:title"),
        _jsonld_headline(page),
        _title_tag(page.tree),
    )
    fields = [f for f in candidates if f]
    site_names = _site_names(page)
    headings = _h1_texts(page.tree)
    for field in fields:
        stripped = strip_site_name(field, site_names)
        folded = field.casefold()
        matches = [
            h for h in headings
            if h.casefold() in folded and len(h) >= MIN_H1_SHARE * len(stripped)
        ]
        if matches:
            return max(matches, key=len)
    if fields:
        return strip_site_name(fields[0], site_names)[:MAX_TITLE_CHARS] or None
    return headings[0] if headings else None


def strip_site_name(title: str, site_names: tuple[str, ...] = ()) -> str:
    """Remove a site or section name from the start or end of a title."""
    title = clean_text(title)
    for name in site_names:
        folded, name_folded = title.casefold(), name.casefold()
        if len(name_folded) >= len(folded):
            continue
        if folded.endswith(name_folded):
            rest = title[: len(title) - len(name)]
            if _SEPARATOR_AT_END.search(rest):
                return _SEPARATOR_AT_END.sub("", rest).strip()
        if folded.startswith(name_folded):
            rest = title[len(name) :]
            if _SEPARATOR_AT_START.search(rest):
                return _SEPARATOR_AT_START.sub("", rest).strip()
    # Two passes: "Headline - Section - Site" loses both short tails.
    for _ in range(2):
        title = _drop_short_end(title)
    return title


def _drop_short_end(title: str) -> str:
    """Cut a short last part ("… | Economy", "…_新闻频道"): site and section names
    trail the headline. A short first part is left alone ("Covid - what we
    know"); a leading site name is only cut when it is known (above)."""
    parts = list(_SEPARATOR.finditer(title))
    if not parts:
        return title
    last = parts[-1]
    tail, remainder = title[last.end() :], title[: last.start()].strip()
    short = len(tail) <= MAX_SITE_PART_CHARS and len(tail) <= MAX_SITE_PART_SHARE * len(title)
    return remainder if tail and short and remainder else title


def _site_names(page: PageInfo) -> tuple[str, ...]:
    names = [page.meta_value("og:site_name"), page.meta_value("application-name")]
    for obj in page.jsonld:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.append(publisher["name"])
    host = urlsplit(page.url or "").hostname or ""
    if host:
        names.append(host.removeprefix("www."))
    cleaned = (clean_text(n) for n in names if n)
    # Longest first, so "UN News Centre" is tried before "UN News".
    return tuple(sorted({n for n in cleaned if n}, key=len, reverse=True))


def _jsonld_headline(page: PageInfo) -> str | None:
    for obj in page.articles():
        value = obj.get("headline")
        if isinstance(value, str) and clean_text(value):
            return clean_text(value)
    return None


def _title_tag(tree: HtmlElement) -> str | None:
    for element in tree.iter("title"):
        text = clean_text(element.text_content())
        if text:
            return text
    return None


def _h1_texts(tree: HtmlElement) -> list[str]:
    texts = []
    for element in tree.iter("h1"):
        text = clean_text(element.text_content())
        if 2 <= len(text) <= MAX_TITLE_CHARS:
            texts.append(text)
    return texts
