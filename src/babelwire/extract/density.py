"""A text-density extractor of our own, used when trafilatura finds too little.

It scores every paragraph-like element by its length and its commas (prose
has commas, menus do not) and credits the score to its parent and, at half
weight, to its grandparent, as readability does. The container with the best
score, discounted by its share of link text, is taken as the article, and its
blocks are read in document order.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from babelwire.extract.body import fold
from babelwire.model import Block, BlockKind

#: Elements whose text is scored as a paragraph.
SCORED_TAGS = ("p", "pre", "td", "blockquote", "li", "dd")

#: Paragraph-like elements shorter than this say nothing about prose.
MIN_SCORED_CHARS = 25

#: Blocks whose text is mostly link text are menus or teasers, not prose.
MAX_BLOCK_LINK_SHARE = 0.5

_HEADINGS = {"h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCK_KINDS = {
    "p": BlockKind.PARAGRAPH, "pre": BlockKind.PARAGRAPH, "blockquote": BlockKind.QUOTE,
    "li": BlockKind.LIST_ITEM, "dd": BlockKind.PARAGRAPH,
    **{tag: BlockKind.HEADING for tag in _HEADINGS},
}


def density_blocks(tree: HtmlElement) -> list[Block]:
    """Blocks of the best-scoring container, or [] when nothing looks like prose."""
    best = _best_container(tree)
    if best is None:
        return []
    blocks: list[Block] = []
    _collect(best, blocks)
    return blocks


def _best_container(tree: HtmlElement) -> HtmlElement | None:
    scores: dict[HtmlElement, float] = {}
    for element in tree.iter(*SCORED_TAGS):
        text = element.text_content()
        if len(text.strip()) < MIN_SCORED_CHARS:
            continue
        # One point for being a paragraph, one per comma (Western and CJK),
        # and up to three for length: long comma-rich text is prose.
        score = 1 + text.count(",") + text.count("，") + text.count("、")
        score += min(len(text) / 100, 3)
        parent = element.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0.0) + score
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] = scores.get(grandparent, 0.0) + score / 2
    if not scores:
        return None
    return max(scores, key=lambda e: scores[e] * (1 - _link_share(e)))


def _link_share(element: HtmlElement) -> float:
    total = len(element.text_content())
    if not total:
        return 1.0
    linked = sum(len(a.text_content()) for a in element.iter("a"))
    return min(linked / total, 1.0)


def _collect(element: HtmlElement, out: list[Block]) -> None:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "tr":
            cells = tuple(fold(c.text_content()) for c in child if c.tag in ("td", "th"))
            if any(cells):
                out.append(Block(BlockKind.TABLE_ROW, " | ".join(cells), cells))
        elif tag in _BLOCK_KINDS and not _has_block_children(child):
            text = fold(child.text_content())
            if text and _link_share(child) <= MAX_BLOCK_LINK_SHARE:
                out.append(Block(_BLOCK_KINDS[tag], text))
        else:
            loose = fold(child.text or "") if tag in ("div", "section", "article") else ""
            if len(loose) >= MIN_SCORED_CHARS:
                out.append(Block(BlockKind.PARAGRAPH, loose))
            _collect(child, out)
        tail = fold(child.tail or "")
        if len(tail) >= MIN_SCORED_CHARS:
            out.append(Block(BlockKind.PARAGRAPH, tail))


def _has_block_children(element: HtmlElement) -> bool:
    return any(c.tag in _BLOCK_KINDS or c.tag in ("div", "table", "ul", "ol") for c in element)
