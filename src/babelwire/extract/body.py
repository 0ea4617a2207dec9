"""The article body as blocks, read by trafilatura from the cleaned tree.

This is the one module that calls trafilatura. Its XML output (``p``,
``head``, ``quote``, ``list/item``, ``table/row/cell``, inline ``hi``,
``ref`` and ``lb``) is turned into :class:`~babelwire.model.Block` records
here. Inline text is joined exactly as written: whitespace between an inline
element and its neighbour is kept (folded to one space), and no space is
invented where the page had none.
"""

from __future__ import annotations

import logging
import re

from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura import bare_extraction

from babelwire.libxml import TREE_LOCK
from babelwire.model import Block, BlockKind

log = logging.getLogger(__name__)

#: trafilatura's precision mode drops more doubtful blocks (teasers, lists of
#: links) at the cost of sometimes losing a last paragraph; on the quality set
#: the balanced mode plus our own cleaning scored higher.
FAVOR_PRECISION = False

_BLOCK_TAGS = frozenset({"p", "head", "quote", "list", "table", "code", "div", "item"})
_SPACES = re.compile(r"\s+")
# Marks a <lb/> inside collected text until blocks are split; NUL never
# survives parsing, so it cannot come from the page.
_LINE_BREAK = "\x00"
# Mark the start and end of link text inside collected text, for the same
# reason (C0 controls are removed before parsing).
_LINK_OPEN, _LINK_CLOSE = "\x01", "\x02"
_MARKS = re.compile("[\x00\x01\x02]")
_LINKED = re.compile("\x01([^\x01\x02]*)\x02")

#: A block whose text is at least this share link text is a teaser for another
#: page ("Factbox: key winners", a related headline), not part of this one.
MAX_LINK_SHARE = 0.8

# Characters that render as nothing and only break word matching downstream.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")


def trafilatura_blocks(tree: HtmlElement, *, url: str | None) -> list[Block]:
    """Blocks of the main text, or [] when trafilatura finds none."""
    try:
        with TREE_LOCK:  # see babelwire.libxml
            document = bare_extraction(
                tree,
                # With metadata off, trafilatura reads the URL only to make link
                # targets absolute (a urljoin per link), and targets are never read.
                url=None,
                include_comments=False,
                include_tables=True,
                include_formatting=True,
                # Links are kept only to measure each block's share of link text.
                include_links=True,
                include_images=False,
                favor_precision=FAVOR_PRECISION,
                with_metadata=False,
            )
    except (RecursionError, MemoryError):
        raise
    except Exception as exc:
        log.info("extract: trafilatura failed on %s: %s", url, exc)
        return []
    body = getattr(document, "body", None)
    if body is None:
        return []
    blocks: list[Block] = []
    blocks.extend(_lines(BlockKind.PARAGRAPH, body.text or ""))
    for child in body:
        _append_blocks(child, blocks, quoted=False)
        blocks.extend(_lines(BlockKind.PARAGRAPH, child.tail or ""))
    return [b for b in blocks if b.text]


def fold(text: str) -> str:
    """One space for every run of whitespace; invisible characters removed."""
    text = _MARKS.sub(" ", text.replace(_LINK_OPEN, "").replace(_LINK_CLOSE, ""))
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def _lines(kind: BlockKind, text: str) -> list[Block]:
    """One block per line (pages that format with <br> put a paragraph per line),
    leaving out lines that are all link text."""
    blocks = []
    for part in text.split(_LINE_BREAK):
        line = fold(part)
        if line and not _is_link_teaser(part, line):
            blocks.append(Block(kind, line))
    return blocks


def _is_link_teaser(raw: str, line: str) -> bool:
    linked = sum(len(fold(m)) for m in _LINKED.findall(raw))
    return linked >= MAX_LINK_SHARE * len(line)


def _append_blocks(element: _Element, out: list[Block], *, quoted: bool) -> None:
    tag = element.tag
    if tag == "list":
        for item in element.iterchildren("item"):
            out.extend(_lines(BlockKind.LIST_ITEM, _inline_text(item)))
            for nested in item.iterchildren("list"):
                _append_blocks(nested, out, quoted=quoted)
    elif tag == "table":
        _append_rows(element, out)
    elif tag == "quote" or quoted:
        if any(child.tag in _BLOCK_TAGS for child in element):
            _append_mixed(element, out, BlockKind.QUOTE, quoted=True)
        else:
            out.extend(_lines(BlockKind.QUOTE, _inline_text(element)))
    elif tag == "head":
        out.extend(_lines(BlockKind.HEADING, _inline_text(element)))
    elif any(child.tag in _BLOCK_TAGS for child in element):
        _append_mixed(element, out, BlockKind.PARAGRAPH, quoted=False)
    else:
        out.extend(_lines(BlockKind.PARAGRAPH, _inline_text(element)))


def _append_mixed(element: _Element, out: list[Block], kind: BlockKind, *, quoted: bool) -> None:
    """An element holding both loose text and block children: keep them in order."""
    loose = [element.text or ""]
    for child in element:
        if child.tag in _BLOCK_TAGS:
            _flush(loose, out, kind)
            _append_blocks(child, out, quoted=quoted)
            loose = [child.tail or ""]
        else:
            loose.append(_inline_text(child))
            loose.append(child.tail or "")
    _flush(loose, out, kind)


def _flush(parts: list[str], out: list[Block], kind: BlockKind) -> None:
    out.extend(_lines(kind, "".join(parts)))


def _append_rows(table: _Element, out: list[Block]) -> None:
    for row in table.iter("row"):
        cells = tuple(fold(_inline_text(cell)) for cell in row.iterchildren("cell"))
        if any(cells):
            out.append(Block(BlockKind.TABLE_ROW, " | ".join(cells), cells))


def _inline_text(element: _Element) -> str:
    """Text of an element and its inline descendants, nested lists excluded."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "list" and element.tag == "item":
            continue
        if child.tag == "lb":
            parts.append(_LINE_BREAK)
        elif child.tag == "ref":
            parts.append(f"{_LINK_OPEN}{_inline_text(child)}{_LINK_CLOSE}")
        elif child.tag in _BLOCK_TAGS or child.tag in ("row", "cell"):
            # A block inside a cell or item still ends a word.
            parts.append(f" {_inline_text(child)} ")
        else:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
