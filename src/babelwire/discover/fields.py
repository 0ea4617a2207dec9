"""Cleaning the text fields of an entry: titles, summaries and language tags.

Entry titles and summaries are plain text: markup removed, entities decoded,
whitespace folded. They are hints for the wire (the article page gives the
real text), so a summary is cut short.
"""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree

#: Longest summary kept, in characters; feeds that carry the whole article in
#: <description> would otherwise fill the entry table with duplicate bodies.
MAX_SUMMARY_CHARS = 400

# Elements after which a reader sees a break; a space there keeps words apart
# ("Resolution 2773</p><p>The AFC" must not become "2773The").
_BREAKING_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "hr",
    "pre",
    "img",
)
_DROPPED_TAGS = ("script", "style", "noscript", "template")
# An entity left after parsing means the publisher escaped twice ("&amp;quot;").
_LEFTOVER_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LANGUAGE_RE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def fold_whitespace(text: str) -> str:
    return " ".join(text.split())


def plain_text(value: str | None, *, is_html: bool) -> str | None:
    """Text a reader would see: tags removed when ``is_html``, entities decoded, folded."""
    if not value:
        return None
    text = html_to_text(value) if is_html and ("<" in value or "&" in value) else value
    if "&" in text and _LEFTOVER_ENTITY_RE.search(text):
        text = html.unescape(text)
    return fold_whitespace(text) or None


def html_to_text(markup: str) -> str:
    """The visible text of an HTML fragment, with a space at every block break."""
    # Characters XML cannot hold (C0 controls, lone surrogates) survive the
    # HTML parser but make lxml refuse the text set below.
    markup = _NOT_XML_CHARS.sub("", markup)
    try:
        fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return markup
    for element in list(fragment.iter(*_DROPPED_TAGS)):
        element.drop_tree()
    for element in fragment.iter(*_BREAKING_TAGS):
        element.text = " " + (element.text or "")
        element.tail = " " + (element.tail or "")
    return str(fragment.text_content())


def short_summary(text: str | None, max_chars: int = MAX_SUMMARY_CHARS) -> str | None:
    """``text`` cut at a word boundary to at most ``max_chars``, with an ellipsis if cut."""
    if not text or len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    space = cut.rfind(" ")
    # Scripts without spaces (Chinese, Japanese, Thai) have no word boundary to use.
    if space > max_chars // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def language_tag(value: str | None) -> str | None:
    """A BCP 47 tag in its usual case ("en_us" → "en-US"), or None if it is not one."""
    if not value:
        return None
    value = value.strip()
    if not _LANGUAGE_RE.fullmatch(value):
        return None
    primary, *rest = re.split(r"[-_]", value)
    parts = [primary.lower()]
    for subtag in rest:
        if len(subtag) == 2 and subtag.isalpha():
            parts.append(subtag.upper())
        elif len(subtag) == 4 and subtag.isalpha():
            parts.append(subtag.title())
        else:
            parts.append(subtag.lower())
    return "-".join(parts)
