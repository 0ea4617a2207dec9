"""The item's body as a small, safe HTML fragment (for ninjs and web pages).

The body is plain text, so each paragraph is escaped into a ``<p>``; the
result then goes through nh3 with only ``<p>`` allowed. The escaping alone
makes it safe; the sanitiser is a second wall in case a later change starts
passing markup through (headings, links), so that a mistake there cannot
smuggle a ``<script>`` onto the wire.
"""

from __future__ import annotations

import html

import nh3

from babelwire.model import Item

ALLOWED_TAGS = frozenset({"p"})


def paragraphs_html(paragraphs: tuple[str, ...]) -> str:
    """``<p>…</p>`` per paragraph, text escaped, sanitised."""
    markup = "".join(f"<p>{html.escape(text, quote=False)}</p>" for text in paragraphs)
    return nh3.clean(markup, tags=set(ALLOWED_TAGS), attributes={}, link_rel=None)


def body_html(item: Item) -> str:
    """The item's body as HTML paragraphs."""
    return paragraphs_html(item.body)
