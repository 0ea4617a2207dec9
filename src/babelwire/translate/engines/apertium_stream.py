"""Apertium's own stream format, written and read here instead of by ``-f txt``.

Apertium's deformatters turn a document into a stream in which text is
escaped (``\\[``, ``\\^``, ``\\/``...), formatting sits in *superblanks*
(``[...]``) that the pipeline copies through untouched, and *word-bound
blanks* (``[[...]]word[[/]]``) stay attached to the word they enclose through
analysis, tagging, transfer and generation. babelwire writes that stream
itself so that a protected span can be marked without hiding it from the
engine: ``[[p3]]Alemán[[/]]`` is analysed, tagged and reordered exactly like
``Alemán`` (its neighbours get the translation they get without protection,
which a placeholder such as ``[3]`` does not give: "[3] trabajadores" came
back "[3] hard-working"), and every English word it produced comes back
carrying ``p3``, so the span's English form can be put in its place.

Checked with apertium 3.8.3 and apertium-eng-spa 0.8.1: ``[[p0]]3 de
noviembre de 2025[[/]]`` → ``[[p0]]3[[/]] [[p0]]November[[/]] [[p0]]2025[[/]]``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from babelwire.translate.engine import UNKNOWN_MARK

#: Characters the txt deformatter escapes with a backslash (what
#: ``apertium-destxt`` does); anything else goes through as written.
_SPECIAL = frozenset("\\[]^$/@<>{}")
#: Apertium's marks before a word: unknown to the analyser (``*``), missing
#: from the bilingual dictionary (``@``, the source word comes through) and
#: not generated in English (``#``, an English lemma comes through).
_MARKS = "*@#"
#: The full stop and empty superblank ``apertium-destxt`` adds at the end of a
#: segment so that the last sentence ends; ``apertium-retxt`` drops them again.
_END = ".[][\n]"
_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")


def escape(text: str) -> str:
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)


def _superblank(text: str) -> str:
    return "[" + escape(text) + "]"


def _plain(text: str) -> str:
    """Text outside spans: escaped; line breaks, ``*`` and ``#`` as superblanks.

    The deformatter leaves ``*`` and ``#`` unescaped, so a literal one would
    read as a mark in the output; in a superblank it is copied untouched.
    """
    text = re.sub(r"\s*\n\s*", "\n", text)
    parts = re.split(r"(\n|[*#]+)", text)
    return "".join(
        _superblank(part) if index % 2 else escape(part) for index, part in enumerate(parts)
    )


#: Span kinds sent as a stand-in instead of their words. The words of a
#: person's or place's name have dictionary readings that are wrong for it
#: and spill onto its neighbours ("y Mato Grosso" → "and I Kill Grosso": a
#: pronoun for the verb "mato"), so the engine gets a proper noun it knows.
#: Other spans go as written, so that the words around them come out exactly
#: as without protection: figures, dates, codes, and glossary terms, whose
#: words are ordinary nouns and keep the article an English name needs ("la
#: Asamblea General" → "the [0]"; a proper noun would lose it). A date in
#: figures is the exception ApertiumEngine passes in (``stand_ins``): it goes
#: as a written-out date, the form the engine's date rules know.
STAND_IN_KINDS = frozenset({"name"})
STAND_IN = "Pedro"


def write(
    text: str, spans: Sequence[tuple[int, int, str]] = (), stand_ins: Mapping[str, str] = {}
) -> str:
    """One segment in stream form; ``spans[i]`` is marked with ``[[pI]]``.

    ``spans`` are (start, end, kind) in ``text``, sorted, not overlapping;
    ``stand_ins`` gives, by kind, the words sent instead of a span's own
    (dates in figures go as a written-out date of the source language).
    """
    parts: list[str] = []
    position = 0
    for index, (start, end, kind) in enumerate(spans):
        parts.append(_plain(text[position:start]))
        # Inside a span a literal mark does no harm: the span's words are
        # replaced as a whole, so only the escapes are needed.
        written = stand_ins.get(kind) or (STAND_IN if kind in STAND_IN_KINDS else text[start:end])
        inner = escape(re.sub(r"\s+", " ", written))
        parts.append(f"[[p{index}]]{inner}[[/]]")
        position = end
    parts.append(_plain(text[position:]))
    return "".join(parts) + _END


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of engine output: plain text, or words bound to span ``span``."""

    text: str
    span: int | None = None


@dataclass(frozen=True, slots=True)
class Output:
    #: Words the engine marked as unknown (``*``) or missing from its
    #: bilingual dictionary (``@``) outside spans carry UNKNOWN_MARK.
    pieces: tuple[Piece, ...]


_WBLANK = re.compile(r"\[\[p(\d+)\]\]")


class _Reader:
    """One pass over an output stream (see :func:`read`)."""

    def __init__(self, stream: str) -> None:
        # The stop write() added, with its empty superblank; the engine keeps
        # them together at the end (apertium-retxt drops the same pair).
        cut = stream.rfind(".[]")
        self.stream = stream[:cut] + stream[cut + 3 :] if cut >= 0 else stream
        self.pieces: list[Piece] = []
        self.buffer: list[str] = []
        self.bound: int | None = None

    def flush(self) -> None:
        if self.buffer:
            self.pieces.append(Piece("".join(self.buffer), self.bound))
            self.buffer.clear()

    def superblank(self, i: int) -> int:
        """Copy a superblank's content (its escapes undone); returns the index after it."""
        s = self.stream
        i += 1
        while i < len(s) and s[i] != "]":
            if s[i] == "\\" and i + 1 < len(s):
                i += 1
            self.buffer.append(" " if s[i] == "\n" else s[i])
            i += 1
        return i + 1

    def mark(self, i: int) -> int:
        """Replace a mark before a word; only untranslated words outside spans keep one."""
        s = self.stream
        if s[i] in "*@" and self.bound is None and _WORD.match(s, i + 1):
            self.buffer.append(UNKNOWN_MARK)
        return i + 1

    def run(self) -> Output:
        s = self.stream
        i = 0
        while i < len(s):
            ch = s[i]
            if ch == "\\" and i + 1 < len(s):
                self.buffer.append(s[i + 1])
                i += 2
            elif s.startswith("[[", i):
                close = s.find("]]", i)
                close = len(s) - 2 if close < 0 else close
                self.flush()
                opened = _WBLANK.fullmatch(s, i, close + 2)
                self.bound = int(opened.group(1)) if opened else None
                i = close + 2
            elif ch == "[":
                i = self.superblank(i)
            elif ch in _MARKS and (not self.buffer or not self.buffer[-1].isalnum()):
                i = self.mark(i)
            else:
                self.buffer.append(ch)
                i += 1
        self.flush()
        pieces = [p for p in self.pieces if p.text]
        if pieces and pieces[-1].span is None:
            pieces[-1] = Piece(pieces[-1].text.rstrip(), None)
        return Output(tuple(p for p in pieces if p.text))


def read(stream: str) -> Output:
    """Engine output → pieces with marks, escapes and the added stop removed."""
    return _Reader(stream).run()
