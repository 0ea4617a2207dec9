"""The apertium engine: the real program on Spanish, and fakes for its failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from babelwire.errors import EngineUnavailable, TranslateError
from babelwire.translate.engine import Engine
from babelwire.translate.engines.apertium import ApertiumEngine, parse_modes


def test_translates_spanish(apertium: Any) -> None:
    assert ("es", "en") in apertium.pairs() and isinstance(apertium, Engine)
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
    assert "Xqzwyrt" in out and "*" not in out


def test_small_calls_split_a_big_batch(apertium: Any) -> None:
    small = ApertiumEngine(timeout_s=30, max_chars_per_call=100)
    texts = [f"El artículo {n} fue aprobado." for n in range(8)]
    assert small.translate_batch(texts, "es", "en") == apertium.translate_batch(texts, "es", "en")


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


def test_missing_program_is_unavailable() -> None:
    with pytest.raises(EngineUnavailable, match="not found"):
        ApertiumEngine("no-such-apertium-binary")


def fake_apertium(tmp_path: Path, body: str) -> str:
    """A stand-in program: lists spa-eng, prints a version, then runs ``body``."""
    script = tmp_path / "fake-apertium"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-l" ]; then echo "  spa-eng"; exit 0; fi\n'
        'if [ "$1" = "-V" ]; then echo "fake 1.0"; exit 0; fi\n' + body + "\n"
    )
    script.chmod(0o755)
    return str(script)


def test_a_lost_segment_is_an_error_not_a_shift(tmp_path: Path) -> None:
    engine = ApertiumEngine(fake_apertium(tmp_path, "printf 'one\\n\\ntwo\\n'"))
    with pytest.raises(TranslateError, match="returned 2 segments for 3"):
        engine.translate_batch(["a", "b", "c"], "es", "en")


def test_failures_and_timeouts(tmp_path: Path) -> None:
    failing = ApertiumEngine(fake_apertium(tmp_path, "echo 'bad mode' >&2; exit 3"))
    with pytest.raises(TranslateError, match="exited with 3: bad mode"):
        failing.translate_batch(["a"], "es", "en")
    slow = ApertiumEngine(fake_apertium(tmp_path, "exec sleep 5"), timeout_s=0.3)
    with pytest.raises(TranslateError, match=r"took over 0\.3s"):
        slow.translate_batch(["a"], "es", "en")
