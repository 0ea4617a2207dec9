"""Apertium's stream format as babelwire writes and reads it (no engine needed)."""

from __future__ import annotations

from babelwire.translate.engine import UNKNOWN_MARK
from babelwire.translate.engines.apertium import assemble
from babelwire.translate.engines.apertium_stream import Piece, read, write


def test_write_escapes_text_and_marks_spans() -> None:
    text = "Pagó [1] a Mato Grosso en A/59 el 3 de mayo* ^ok$"
    spans = ((text.index("Mato"), text.index("Mato") + 11, "name"),
             (text.index("A/59"), text.index("A/59") + 4, "identifier"))  # fmt: skip
    assert write(text, spans) == (
        "Pagó \\[1\\] a [[p0]]Pedro[[/]] en [[p1]]A\\/59[[/]] el 3 de mayo[*] \\^ok\\$.[][\n]"
    )


def test_read_undoes_escapes_superblanks_and_the_added_stop() -> None:
    out = read("There \\[1\\] [[p0]]Pedro[[/]] in [[p1]]To[[/]]\\/[[p1]]59[[/]] [*] ok..[][\n]")
    assert out.pieces == (
        Piece("There [1] "), Piece("Pedro", 0), Piece(" in "), Piece("To", 1), Piece("/"),
        Piece("59", 1), Piece(" * ok."),
    )


def test_unknown_marks_outside_spans_become_the_unknown_mark() -> None:
    out = read("The law *prorrogada by [[p0]]*Grosso[[/]] and #went @fiscalizan.[][\n]")
    text = "".join(p.text for p in out.pieces)
    assert text == f"The law {UNKNOWN_MARK}prorrogada by Grosso and went {UNKNOWN_MARK}fiscalizan"


def test_assemble_places_each_span_once() -> None:
    out = read("on [[p0]]3[[/]] [[p0]]November[[/]] [[p0]]2025[[/]], [[p1]]To[[/]]\\/"
               "[[p1]]59[[/]] and I [[p2]]Pedro[[/]].[][\n]")  # fmt: skip
    assert assemble(out) == "on [0], [1] and I [2]"
    # An outside word moved between a span's words: the span stands at its first word.
    moved = read("[[p0]]Kill[[/]] the [[p0]]Grosso[[/]] now.[][\n]")
    assert assemble(moved) == "[0] the now"
