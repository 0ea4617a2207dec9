"""Neural translation with CTranslate2 and Argos Translate packages.

Models are Argos packages installed by :mod:`babelwire.translate.models`; this
module loads them directly with ``ctranslate2.Translator`` and
``sentencepiece`` (no torch, no argostranslate at run time), lazily, once per
pair. Segments from many documents are translated together in batches cut by
padded token count (:mod:`.batching`), which is where the throughput comes
from: one call per batch instead of one per sentence.

ctranslate2, sentencepiece and numpy come with the ``translate`` extra; when
they are missing the engine reports itself unavailable with the install hint.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babelwire.errors import EngineUnavailable, TranslateError
from babelwire.translate.engines.batching import plan_batches
from babelwire.translate.models import ModelPackage, installed_packages
from babelwire.translate.registry import register
from babelwire.translate.settings import TranslateSettings

_INSTALL_HINT = "pip install 'babelwire[translate]' (ctranslate2, sentencepiece)"


@dataclass(frozen=True, slots=True)
class _Loaded:
    package: ModelPackage
    translator: Any  # ctranslate2.Translator (untyped extension module)
    tokenizer: Any  # sentencepiece.SentencePieceProcessor


def _import_runtime() -> tuple[Any, Any]:
    try:
        import ctranslate2
        import sentencepiece
    except ImportError as exc:
        raise EngineUnavailable(f"ctranslate2 engine needs {_INSTALL_HINT}: {exc}") from None
    return ctranslate2, sentencepiece


class CTranslate2Engine:
    """Translates with the newest installed Argos package for each pair."""

    name = "ctranslate2"

    def __init__(
        self,
        models_dir: Path,
        *,
        device: str = "auto",
        threads: int = 4,
        beam_size: int = 4,
        max_batch_tokens: int = 4096,
        compute_type: str = "auto",
        max_output_ratio: float = 2.0,
        max_output_extra_tokens: int = 10,
    ) -> None:
        self._ct2, self._spm = _import_runtime()
        self.models_dir = models_dir
        self.device = self._pick_device(device)
        # int8 is what Argos packages ship and CTranslate2's fastest CPU path
        # (1.4-1.5x float32 on an OPUS-MT-sized model, 2 cores); on GPU, int8
        # weights with float16 activations.
        self.compute_type = (
            compute_type
            if compute_type != "auto"
            else ("int8_float16" if self.device == "cuda" else "int8")
        )
        self.threads = threads
        self.beam_size = beam_size
        self.max_batch_tokens = max_batch_tokens
        # A translation is rarely more than twice as long as its source (in
        # subword tokens); the cap stops a model that loops from decoding
        # to the default 256 tokens on every sentence of a batch.
        self.max_output_ratio = max_output_ratio
        self.max_output_extra_tokens = max_output_extra_tokens
        self._loaded: dict[tuple[str, str], _Loaded] = {}
        self._lock = threading.Lock()
        self._listing: tuple[int, dict[tuple[str, str], ModelPackage]] | None = None

    def _pick_device(self, device: str) -> str:
        if device not in {"auto", "cpu", "cuda"}:
            raise EngineUnavailable(f"ctranslate2: unknown device {device!r} (cpu, cuda, auto)")
        if device != "auto":
            return device
        return "cuda" if self._ct2.get_cuda_device_count() > 0 else "cpu"

    def _packages(self) -> dict[tuple[str, str], ModelPackage]:
        """Installed packages by pair, re-read when the models folder changes.

        Installing or removing a model renames a folder inside ``models_dir``,
        which changes its modification time: one ``stat`` per call keeps a
        long-running worker up to date without rescanning every time.
        """
        try:
            stamp = self.models_dir.stat().st_mtime_ns
        except OSError:
            return {}
        if self._listing is None or self._listing[0] != stamp:
            newest = {p.pair: p for p in installed_packages(self.models_dir)}  # sorted by version
            self._listing = (stamp, newest)
        return self._listing[1]

    def pairs(self) -> frozenset[tuple[str, str]]:
        return frozenset(self._packages())

    def model_for(self, source: str, target: str) -> tuple[str, str]:
        package = self._package(source, target)
        return (f"argos-{package.from_code}_{package.to_code}", package.version)

    def _package(self, source: str, target: str) -> ModelPackage:
        package = self._packages().get((source, target))
        if package is None:
            raise TranslateError(
                f"ctranslate2: no model for {source}→{target} in {self.models_dir} "
                f"(run `babelwire models install {source}`)"
            )
        return package

    def _load(self, source: str, target: str) -> _Loaded:
        package = self._package(source, target)
        with self._lock:
            loaded = self._loaded.get((source, target))
            if loaded is not None and loaded.package == package:
                return loaded
            try:
                translator = self._ct2.Translator(
                    str(package.path / "model"),
                    device=self.device,
                    compute_type=self.compute_type,
                    intra_threads=self.threads,
                )
                tokenizer = self._spm.SentencePieceProcessor(
                    model_file=str(package.path / "sentencepiece.model")
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise EngineUnavailable(f"ctranslate2: cannot load {package.path}: {exc}") from None
            loaded = _Loaded(package, translator, tokenizer)
            self._loaded[(source, target)] = loaded
            return loaded

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        results = [""] * len(texts)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return results
        model = self._load(source, target)
        tokens: list[list[str]] = model.tokenizer.encode([texts[i] for i in todo], out_type=str)
        for batch in plan_batches([len(t) for t in tokens], self.max_batch_tokens):
            outputs = self._run(model, [tokens[i] for i in batch.indices], batch.longest_tokens)
            for position, output in zip(batch.indices, outputs, strict=True):
                results[todo[position]] = output
        return results

    def _run(self, model: _Loaded, batch: list[list[str]], longest_tokens: int) -> list[str]:
        prefix = model.package.target_prefix
        try:
            answers = model.translator.translate_batch(
                batch,
                target_prefix=[[prefix]] * len(batch) if prefix else None,
                beam_size=self.beam_size,
                max_decoding_length=int(longest_tokens * self.max_output_ratio)
                + self.max_output_extra_tokens,
                # Copy the source token where the model emits <unk>: keeps rare
                # symbols and names instead of dropping them.
                replace_unknowns=True,
            )
        except (RuntimeError, ValueError) as exc:
            raise TranslateError(
                f"ctranslate2: {model.package.path.name} failed on a batch of {len(batch)}: {exc}"
            ) from None
        texts = []
        for answer in answers:
            pieces = answer.hypotheses[0]
            if prefix and pieces[:1] == [prefix]:
                pieces = pieces[1:]
            texts.append(model.tokenizer.decode_pieces(pieces).strip())
        return texts


@register("ctranslate2")
def from_settings(settings: TranslateSettings) -> CTranslate2Engine:
    """The engine as configured; unavailable when no model is installed.

    The folder is listed before the engine is built: building imports
    ctranslate2 and sentencepiece (~50 ms), which a machine without models
    should not pay at every start.
    """
    if not installed_packages(Path(settings.models_dir)):
        raise EngineUnavailable(
            f"ctranslate2: no model installed in {settings.models_dir} "
            "(run `babelwire models install LANG`)"
        )
    engine = CTranslate2Engine(
        Path(settings.models_dir),
        device=settings.ct2_device,
        threads=settings.ct2_threads,
        beam_size=settings.beam_size,
        max_batch_tokens=settings.max_batch_tokens,
    )
    return engine
