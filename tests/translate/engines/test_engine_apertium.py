"""The apertium engine: the real program on Spanish, and fakes for its failures."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from babelwire.errors import EngineUnavailable, TranslateError
from babelwire.translate.engine import UNKNOWN_MARK, Engine, SpanEngine, SpanText
from babelwire.translate.engines.apertium import ApertiumEngine, parse_modes


def test_translates_spanish(apertium: Any) -> None:
    assert ("es", "en") in apertium.pairs() and isinstance(apertium, Engine)
    assert isinstance(apertium, SpanEngine)
    out = apertium.translate_batch(
        ["El Gobierno aprobó el presupuesto.", "El ministro anunció nuevas medidas."], "es", "en"
    )
    assert "Government" in out[0] and "approved" in out[0]
    assert "minister" in out[1] and "measures" in out[1]


def test_batches_keep_order_count_and_placeholders(apertium: Any) -> None:
    texts = [f"El artículo {n} fue aprobado por el Parlamento." for n in range(40)]
    texts[5] = ""
    texts[9] = "La casa\n\nroja [0] y [1]."  # a blank line inside must not split it
    out = apertium.translate_batch(texts, "es", "en")
    assert len(out) == 40
    assert out[5] == ""
    assert "[0]" in out[9] and "[1]" in out[9] and "house" in out[9]
    for n, text in enumerate(out):
        if n not in {5, 9}:
            assert f"article {n} was approved" in text, text


def test_unknown_words_come_through_unmarked(apertium: Any) -> None:
    (out,) = apertium.translate_batch(["Habló Xqzwyrt en Kvtbla."], "es", "en")
    assert "Xqzwyrt" in out and "*" not in out and UNKNOWN_MARK not in out


def test_unknown_words_are_marked_outside_spans(apertium: Any) -> None:
    text = "La ley fue prorrogada por Mato Grosso."
    start = text.index("Mato")
    (out,) = apertium.translate_spans([SpanText(text, ((start, start + 11, "name"),))], "es", "en")
    assert f"{UNKNOWN_MARK}prorrogada" in out and "[0]" in out
    assert "Grosso" not in out  # the span's own words are replaced as a whole


def test_literal_marks_in_the_source_are_not_taken_for_marks(apertium: Any) -> None:
    (out,) = apertium.translate_spans([SpanText("Nota* y #etiqueta de la casa.", ())], "es", "en")
    assert "*" in out and "#" in out and "house" in out


def test_spans_come_back_as_placeholders_where_their_words_went(apertium: Any) -> None:
    text = "Hay 10 trabajadores y firmó A/59/2005/Add.2 el 3 de noviembre de 2025."
    spans = tuple(
        (text.index(part), text.index(part) + len(part), kind)
        for part, kind in (("10", "number"), ("A/59/2005/Add.2", "identifier"),
                           ("3 de noviembre de 2025", "date"))
    )  # fmt: skip
    (out,) = apertium.translate_spans([SpanText(text, spans)], "es", "en")
    assert out == "There are [0] workers and signed [1] on [2]."


SENTENCES = [
    "Hay 10 trabajadores en la planta y 35.357 puestos nuevos.",
    "El 3 de noviembre de 2025 la Asamblea aprobó la resolución A/RES/78/1.",
    "Los 40 expertos recomendaron ampliar la red de 10 acres.",
    "La inflación fue del 4,5 % en octubre, según el banco central.",
]


def test_word_bound_blanks_do_not_change_the_translation(apertium: Any) -> None:
    # Marking every figure as a span leaves every other word as the bare
    # engine translates it: the span's words come back in the same place.
    plain = apertium.translate_batch(SENTENCES, "es", "en")
    marked = []
    for text in SENTENCES:
        spans = tuple((m.start(), m.end(), "number") for m in re.finditer(r"\d[\d.,]*\d|\d", text))
        marked.append(SpanText(text, spans))
    outputs = apertium.translate_spans(marked, "es", "en")
    for text, bare, out in zip(marked, plain, outputs, strict=True):
        restored = out
        for index, (start, end, _) in enumerate(text.spans):
            restored = restored.replace(f"[{index}]", text.text[start:end], 1)
        assert restored == bare


def test_one_pipeline_serves_every_call(apertium: Any) -> None:
    apertium.translate_batch(["Una frase."], "es", "en")
    pipe = apertium._pipes["spa-eng"]
    process = pipe._process
    texts = [f"El artículo {n} fue aprobado." for n in range(300)]
    out = apertium.translate_batch(texts, "es", "en")
    assert out[299] == "The article 299 was approved."
    assert apertium._pipes["spa-eng"]._process is process


def test_model_for_and_missing_pairs(apertium: Any) -> None:
    name, version = apertium.model_for("es", "en")
    assert name == "spa-eng" and version
    with pytest.raises(TranslateError, match="no installed mode for xx→en"):
        apertium.translate_batch(["x"], "xx", "en")


def test_parse_modes() -> None:
    listing = "  eng-spa\n  spa-eng\n  spa-eng_US\n  hbs-eng\n  fra-oci\n"
    pairs = parse_modes(listing)
    assert ("es", "en") in pairs and ("en", "es") in pairs
    assert {("hr", "en"), ("sr", "en"), ("bs", "en"), ("sh", "en")} <= pairs
    assert not any("fr" in pair for pair in pairs)


def test_missing_program_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="not found"):
        ApertiumEngine("no-such-apertium-binary")
    program = fake_apertium(tmp_path, "cat")
    (tmp_path / "bin" / "apertium-wblank-mode").unlink()
    with pytest.raises(EngineUnavailable, match=r"Apertium 3\.8 or later"):
        ApertiumEngine(program)


def fake_apertium(tmp_path: Path, pipeline: str) -> str:
    """A stand-in installation: lists spa-eng, prints a version, runs ``pipeline``."""
    bin_dir, modes = tmp_path / "bin", tmp_path / "share" / "apertium" / "modes"
    bin_dir.mkdir(exist_ok=True)
    modes.mkdir(parents=True, exist_ok=True)
    (modes / "spa-eng.mode").write_text("unused\n")
    program = bin_dir / "apertium"
    program.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-l" ]; then echo "  spa-eng"; exit 0; fi\n'
        'if [ "$1" = "-V" ]; then echo "fake 1.0"; exit 0; fi\n'
    )
    helper = bin_dir / "apertium-wblank-mode"
    helper.write_text(f"#!/bin/sh\ncat <<'EOF'\n{pipeline}\nEOF\n")
    for script in (program, helper):
        script.chmod(0o755)
    return str(program)


def test_a_big_batch_streams_without_deadlock(tmp_path: Path) -> None:
    engine = ApertiumEngine(fake_apertium(tmp_path, "cat"))
    texts = [f"línea {n} " + "x" * 200 for n in range(2000)]  # far more than a pipe buffer
    assert engine.translate_batch(texts, "es", "en") == texts


def test_extra_output_is_an_error_not_a_shift(tmp_path: Path) -> None:
    twice = "python3 -u -c 'import sys\nd=sys.stdin.buffer.read(3)\nsys.stdout.buffer.write(d+d)'"
    engine = ApertiumEngine(fake_apertium(tmp_path, twice))
    with pytest.raises(TranslateError, match=r"returned 2 segments for 1|stopped"):
        engine.translate_batch(["a"], "es", "en")


def test_failures_and_timeouts(tmp_path: Path) -> None:
    failing = ApertiumEngine(fake_apertium(tmp_path, "echo 'bad mode' >&2; exit 3"))
    with pytest.raises(TranslateError, match="stopped: bad mode"):
        failing.translate_batch(["a"], "es", "en")
    slow = ApertiumEngine(fake_apertium(tmp_path, "exec sleep 5"), timeout_s=0.3)
    with pytest.raises(TranslateError, match=r"no output for 0\.3s"):
        slow.translate_batch(["a"], "es", "en")
    # The next call starts a fresh pipeline.
    with pytest.raises(TranslateError, match=r"no output"):
        slow.translate_batch(["b"], "es", "en")
