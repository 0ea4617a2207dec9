"""Put back headings, list items and table rows that trafilatura left out.

When trafilatura does not recognise a page's main container by its class
name, it reads the text from paragraphs only, so a long page of sections
and lists (an encyclopedia entry, a handbook chapter) loses its headings and
list items: half its words. The density extractor reads every block of the
best container in page order; where that container holds the article that
trafilatura found, the headings, list items and rows it has between
trafilatura's first and last block are put back in their places.
Only those kinds are added: a paragraph that trafilatura left out inside the
story is more often a caption or a teaser than text it missed.
"""

from __future__ import annotations

import re

from babelwire.model import Block, BlockKind

#: Share of trafilatura's text that must lie in the density extractor's span
#: for the two to be reading the same article.
MIN_COVERED_SHARE = 0.9

#: Kinds that trafilatura drops when it falls back to paragraphs only.
ADDED_KINDS = frozenset({BlockKind.HEADING, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW})

#: A dense block shorter than this (as a key) counts as found only when a
#: block of trafilatura's is exactly it: a heading "Birds" is not found just
#: because a paragraph mentions birds.
MIN_CONTAINED_KEY_CHARS = 40

_NOT_WORD = re.compile(r"[\W_]+")


def with_structure(blocks: list[Block], dense: list[Block]) -> list[Block]:
    """``blocks`` (trafilatura's) with the structure found in ``dense`` put back."""
    if not blocks or not dense:
        return blocks
    keys = [_key(b.text) for b in blocks]
    dense_keys = [_key(b.text) for b in dense]
    span = _span(keys, dense_keys)
    if span is None:
        return blocks
    first, last = span
    # A list introduced by the last paragraph ("… include:") belongs to it.
    if blocks[-1].text.rstrip().endswith((":", "：")):
        while last + 1 < len(dense) and dense[last + 1].kind in (
            BlockKind.LIST_ITEM, BlockKind.TABLE_ROW
        ):
            last += 1
    joined = "\x00".join(dense_keys[first : last + 1])
    total = sum(len(k) for k in keys)
    covered = sum(len(k) for k in keys if k in joined)
    if not total or covered < MIN_COVERED_SHARE * total:
        return blocks
    return _merge(blocks, keys, dense[first : last + 1], dense_keys[first : last + 1])


def _key(text: str) -> str:
    # Compared without spaces or punctuation: the two extractors join inline
    # text a little differently.
    return _NOT_WORD.sub("", text).casefold()


def _span(keys: list[str], dense_keys: list[str]) -> tuple[int, int] | None:
    """Where trafilatura's first and last blocks are among the dense blocks."""
    first = next((i for i, d in enumerate(dense_keys) if keys[0] and keys[0] in d), None)
    last = next(
        (i for i in range(len(dense_keys) - 1, -1, -1) if keys[-1] and keys[-1] in dense_keys[i]),
        None,
    )
    if first is None or last is None or last < first:
        return None
    return first, last


def _merge(
    blocks: list[Block], keys: list[str], span: list[Block], span_keys: list[str]
) -> list[Block]:
    """``blocks`` with each missing block of ``span`` after the block it follows."""
    after: dict[int, list[Block]] = {}
    anchor = -1
    joined = "\x00".join(keys)
    exact = set(keys)
    for block, key in zip(span, span_keys, strict=True):
        if not key:
            continue
        found = _matching(keys, key, max(anchor, 0))
        if found is not None:
            anchor = found
            # One dense block may hold several of trafilatura's (lines of a <br> text).
            while anchor + 1 < len(keys) and keys[anchor + 1] and keys[anchor + 1] in key:
                anchor += 1
        elif block.kind in ADDED_KINDS and not _contained(key, joined, exact):
            after.setdefault(anchor, []).append(block)
    if not after:
        return blocks
    merged = list(after.get(-1, []))
    for i, block in enumerate(blocks):
        merged.append(block)
        merged.extend(after.get(i, []))
    return merged


def _matching(keys: list[str], key: str, start: int) -> int | None:
    for i in range(start, len(keys)):
        if keys[i] and (keys[i] in key or _contained(key, keys[i], {keys[i]})):
            return i
    return None


def _contained(key: str, text: str, exact: set[str]) -> bool:
    return key in exact or (len(key) >= MIN_CONTAINED_KEY_CHARS and key in text)
