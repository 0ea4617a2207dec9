"""Per-engine batch limits, and flags about the source that no engine can fix."""

from __future__ import annotations

from babelwire.translate.cache import MemoryCache
from babelwire.translate.settings import TranslateSettings
from babelwire.translate.translator import Translator


def make(*engines: object) -> Translator:
    named = {e.name: e for e in engines}  # type: ignore[attr-defined]
    config = TranslateSettings(engines=tuple(named), max_batch_tokens=64)
    return Translator(config, named, cache=MemoryCache())  # type: ignore[arg-type]


def test_an_engine_may_bound_batches_by_segments_not_tokens(scripted: type) -> None:
    streaming = scripted("streaming")
    streaming.max_segments_per_batch = 1000
    neural = scripted("neural")
    # Distinct words, so that no two sentences are the same once masked.
    texts = [f"Совет принял резолюцию {chr(0x430 + n % 32)}{chr(0x430 + n // 32)}."
             for n in range(60)]  # fmt: skip
    make(streaming).translate_segments(texts, "ru")
    make(neural).translate_segments(texts, "ru")
    # The token budget (64) is a GPU memory bound; it does not cut Apertium's batches.
    assert len(streaming.calls) == 1
    assert len(neural.calls) > 10


def test_an_ambiguous_figure_does_not_send_the_segment_to_the_next_engine(
    scripted: type,
) -> None:
    first, second = scripted("first"), scripted("second")
    translator = Translator(
        TranslateSettings(engines=("first", "second")), {"first": first, "second": second},
    )  # type: ignore[arg-type]
    (result,) = translator.translate_segments(["Ставка составила 1.234 рублей."], "ru")
    assert result.engine == "first" and result.flags == ("ambiguous_number(1.234)",)
    assert second.calls == []
