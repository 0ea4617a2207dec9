"""Blocks → pieces to translate, and translated pieces → blocks again.

The unit is the block: a paragraph, heading, quote, list item or table cell is
never merged with its neighbour, so the English keeps the structure of the
original. Inside a unit, text is cut into sentences (neural engines are
trained on sentences and drift on long inputs), and a sentence longer than
``max_sentence_chars`` is cut again at a clause boundary. Each piece records
what goes after its translation when the unit is put back together: a space
between sentences (the target is English, so even Chinese and Japanese
sentences are joined with one), a newline where the original broke the line,
the cell separator between table cells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from babelwire.model import Block, BlockKind
from babelwire.translate.protect import Span
from babelwire.translate.sentences import split_sentences

#: Between the cells of a translated table row (``Block.cells`` keeps them apart
#: in the source; the translated segment is one line of text).
CELL_SEPARATOR = " | "

#: Clause boundaries to cut an over-long sentence at, best first: a semicolon
#: separates near-independent clauses, a colon less so, a comma least.
_CUT_MARKS = (";；؛", ":：", ",，、،")


@dataclass(frozen=True, slots=True)
class Piece:
    """A sentence or part of one, with its protected spans (offsets in ``text``)."""

    text: str
    #: What follows this piece's translation when its unit is rejoined.
    joiner: str = ""
    spans: tuple[Span, ...] = ()


FindSpans = Callable[[str], Sequence[Span]]


def _find_cut(text: str, start: int, limit: int, inside: bytearray) -> int:
    """Where to end the piece that starts at ``start`` and may reach ``limit``."""
    # Not in the first third, so that no piece is a stub.
    lowest = start + (limit - start) // 3
    for marks in _CUT_MARKS:
        for i in range(limit - 1, lowest, -1):
            if text[i] in marks and not inside[i]:
                return i + 1
    for i in range(limit - 1, lowest, -1):
        if text[i].isspace() and not inside[i]:
            return i
    # No clause boundary and no space (Chinese, Japanese): cut at the limit,
    # moved out of any protected span it falls in.
    cut = limit
    while cut > start + 1 and inside[cut] and inside[cut - 1]:
        cut -= 1
    if cut <= start + 1:
        cut = limit
        while cut < len(text) and inside[cut] and inside[cut - 1]:
            cut += 1
    return cut


def cut_long(
    text: str, start: int, end: int, max_chars: int, inside: bytearray
) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into ranges of at most ``max_chars`` where possible."""
    ranges: list[tuple[int, int]] = []
    while end - start > max_chars:
        cut = _find_cut(text, start, start + max_chars, inside)
        left_end = len(text[:cut].rstrip()) if cut > start else cut
        ranges.append((start, max(left_end, start + 1)))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        ranges.append((start, end))
    return ranges


def _rebased(spans: Sequence[Span], start: int, end: int) -> tuple[Span, ...]:
    return tuple(
        Span(s.start - start, s.end - start, s.kind, s.replacement)
        for s in spans
        if s.start >= start and s.end <= end
    )


def text_pieces(text: str, lang: str, max_sentence_chars: int, find: FindSpans) -> list[Piece]:
    """Pieces of one unit of text; line breaks inside it are kept."""
    lines = [line for line in text.split("\n") if line.strip()]
    pieces: list[Piece] = []
    for line_index, line in enumerate(lines):
        spans = list(find(line))
        inside = bytearray(len(line) + 1)
        for span in spans:
            inside[span.start : span.end] = b"\x01" * (span.end - span.start)
        ranges = [
            part
            for start, end in split_sentences(line, lang, [(s.start, s.end) for s in spans])
            for part in cut_long(line, start, end, max_sentence_chars, inside)
        ]
        for index, (start, end) in enumerate(ranges):
            last_of_line = index == len(ranges) - 1
            joiner = ("\n" if line_index < len(lines) - 1 else "") if last_of_line else " "
            pieces.append(Piece(line[start:end], joiner, _rebased(spans, start, end)))
    return pieces


def block_pieces(block: Block, lang: str, max_sentence_chars: int, find: FindSpans) -> list[Piece]:
    """Pieces of a block; a table row's cells are units of their own."""
    if block.kind is not BlockKind.TABLE_ROW or not block.cells:
        return text_pieces(block.text, lang, max_sentence_chars, find)
    pieces: list[Piece] = []
    for index, cell in enumerate(block.cells):
        cell_pieces = text_pieces(cell, lang, max_sentence_chars, find) or [Piece("")]
        if index < len(block.cells) - 1:
            last = cell_pieces[-1]
            cell_pieces[-1] = Piece(last.text, CELL_SEPARATOR, last.spans)
        pieces.extend(cell_pieces)
    return pieces


def rejoin(pieces: Sequence[Piece], outputs: Sequence[str]) -> str:
    """One unit's translation from its pieces' translations, in order."""
    if len(pieces) != len(outputs):
        raise ValueError(f"translate: {len(outputs)} outputs for {len(pieces)} pieces")
    return "".join(out.strip() + piece.joiner for piece, out in zip(pieces, outputs, strict=True))
