"""The ctranslate2 engine on a tiny random-weight Argos package.

Random weights translate into gibberish, so these tests assert structure:
counts, order, batching, model provenance and errors, never wording.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.translate.engines.synthetic import build_argosmodel, pseudo_sentences

from babelwire.errors import EngineUnavailable, TranslateError
from babelwire.translate.engine import Engine
from babelwire.translate.models import install_file

pytestmark = pytest.mark.usefixtures("neural")


def engine_for(models_dir: Path, **options: Any) -> Any:
    from babelwire.translate.engines.ct2 import CTranslate2Engine

    defaults: dict[str, Any] = {"device": "cpu", "threads": 1, "beam_size": 1}
    return CTranslate2Engine(models_dir, **(defaults | options))


class Recorder:
    """Stands in for ctranslate2.Translator: records batches, echoes the source back.

    Echoing makes the output predictable, so order and reassembly across
    batches can be checked exactly.
    """

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def translate_batch(self, batch: list[list[str]], **options: Any) -> list[Any]:
        self.calls.append({"batch": batch, **options})
        return [type("Result", (), {"hypotheses": [tokens]})() for tokens in batch]


def with_recorder(engine: Any) -> Recorder:
    loaded = engine._load("es", "en")
    recorder = Recorder()
    engine._loaded[("es", "en")] = dataclasses.replace(loaded, translator=recorder)
    return recorder


def test_translates_a_batch_with_the_real_model(models_dir: Path) -> None:
    engine = engine_for(models_dir)
    texts = [*pseudo_sentences(6, seed=3), "", "   "]
    out = engine.translate_batch(texts, "es", "en")
    assert len(out) == len(texts)
    assert all(isinstance(text, str) for text in out)
    assert out[6:] == ["", ""]
    assert any(out[:6])
    assert engine.translate_batch([], "es", "en") == []


def test_batch_results_match_one_by_one_results(models_dir: Path) -> None:
    engine = engine_for(models_dir, compute_type="float32", max_batch_tokens=40)
    texts = pseudo_sentences(8, seed=5)
    together = engine.translate_batch(texts, "es", "en")
    alone = [engine.translate_batch([text], "es", "en")[0] for text in texts]
    # Greedy decoding gives the same tokens whatever the padding; only the
    # length cap differs (it follows a batch's longest input), and random
    # weights never stop early, so one output is a prefix of the other.
    for batched, single in zip(together, alone, strict=True):
        assert batched.startswith(single) or single.startswith(batched)


def test_order_survives_sorting_into_batches(models_dir: Path) -> None:
    engine = engine_for(models_dir, max_batch_tokens=60)
    recorder = with_recorder(engine)
    texts = pseudo_sentences(25, seed=7)
    texts.insert(4, "")
    out = engine.translate_batch(texts, "es", "en")
    assert out == [text.strip() for text in texts]
    assert len(recorder.calls) > 1


def test_batches_respect_the_token_cap(models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from babelwire.translate.engines import ct2

    planned: list[Any] = []
    real = ct2.plan_batches

    def spy(lengths: list[int], max_batch_tokens: int) -> list[Any]:
        batches = real(lengths, max_batch_tokens)
        planned.extend(batches)
        return batches

    monkeypatch.setattr(ct2, "plan_batches", spy)
    engine = engine_for(models_dir, max_batch_tokens=80)
    recorder = with_recorder(engine)
    engine.translate_batch(pseudo_sentences(40, seed=11), "es", "en")
    assert len(planned) == len(recorder.calls) > 3
    for batch, call in zip(planned, recorder.calls, strict=True):
        assert len(call["batch"]) * max(len(t) for t in call["batch"]) <= 80
        assert max(len(t) for t in call["batch"]) == batch.longest_tokens
        # Output length is capped relative to the input, not the 256 default.
        assert call["max_decoding_length"] == int(batch.longest_tokens * 2.0) + 10
        assert call["beam_size"] == 1


def test_model_for_names_the_package_and_follows_upgrades(tmp_path: Path, models_dir: Path) -> None:
    engine = engine_for(models_dir)
    assert engine.pairs() == frozenset({("es", "en")})
    assert engine.model_for("es", "en") == ("argos-es_en", "1.0")
    newer = build_argosmodel(tmp_path / "new.argosmodel", version="1.1", seed=1)
    install_file(newer, models_dir)
    assert engine.model_for("es", "en") == ("argos-es_en", "1.1")
    assert len(engine.translate_batch(["Hola."], "es", "en")) == 1


def test_missing_pair_is_a_translate_error(models_dir: Path) -> None:
    engine = engine_for(models_dir)
    with pytest.raises(TranslateError, match=r"no model for fr→en .*babelwire models install fr"):
        engine.translate_batch(["Bonjour."], "fr", "en")
    with pytest.raises(TranslateError, match="fr→en"):
        engine.model_for("fr", "en")


def test_a_broken_model_file_makes_the_engine_unavailable(models_dir: Path) -> None:
    package = next(p for p in models_dir.iterdir() if p.is_dir())
    (package / "model" / "model.bin").write_bytes(b"not a model")
    with pytest.raises(EngineUnavailable, match="ctranslate2: cannot load"):
        engine_for(models_dir).translate_batch(["Hola."], "es", "en")


def test_unknown_device_is_refused(models_dir: Path) -> None:
    with pytest.raises(EngineUnavailable, match="unknown device 'tpu'"):
        engine_for(models_dir, device="tpu")


def test_factory_reads_settings_and_needs_a_model(tmp_path: Path, models_dir: Path) -> None:
    from babelwire.translate.registry import ENGINES, load_builtin_engines
    from babelwire.translate.settings import TranslateSettings

    load_builtin_engines()
    factory = ENGINES["ctranslate2"]
    engine = factory(TranslateSettings(models_dir=str(models_dir), ct2_device="cpu", beam_size=2))
    assert engine.name == "ctranslate2" and isinstance(engine, Engine)
    assert engine.pairs() == frozenset({("es", "en")})
    shutil.rmtree(models_dir)
    with pytest.raises(EngineUnavailable, match="no model installed"):
        factory(TranslateSettings(models_dir=str(tmp_path / "empty"), ct2_device="cpu"))
