from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from babelwire.errors import EngineUnavailable, NoEngine, TranslateError
from babelwire.model import Block, BlockKind
from babelwire.translate.cache import MemoryCache
from babelwire.translate.glossary import GlossaryLoader, parse_glossary
from babelwire.translate.settings import TranslateSettings
from babelwire.translate.translator import DocumentRequest, Translator

NOW = datetime(2025, 12, 12, 9, 0, tzinfo=UTC)
PARA = "Банк провёл аукцион на 22 025 415 рублей. Ставка составила 3,75%."


def make(*engines: object, **settings: object) -> Translator:
    named = {e.name: e for e in engines}  # type: ignore[attr-defined]
    config = TranslateSettings(engines=tuple(named), **settings)  # type: ignore[arg-type]
    return Translator(config, named, cache=MemoryCache(), clock=lambda: NOW)  # type: ignore[arg-type]


def para(text: str) -> Block:
    return Block(BlockKind.PARAGRAPH, text)


def test_document_is_translated_segment_by_segment_with_provenance(scripted: type) -> None:
    engine = scripted("first", model=("opus-ru-en", "2.1"))
    blocks = [para(PARA), Block(BlockKind.TABLE_ROW, "Мир | 2025", cells=("Мир", "2025"))]
    result = make(engine).translate_document("doc1", blocks, "Мир и безопасность", "Итоги", "ru")
    assert result.document_id == "doc1"
    assert (result.source_language, result.target_language) == ("ru", "en")
    assert result.headline is not None and result.headline.text == "peace and security"
    assert result.section is not None and result.section.text == "results"
    assert result.body[0].text == (
        "the bank held an auction for 22,025,415 roubles. the rate was 3.75%."
    )
    assert result.body[0].source_text == PARA
    assert result.body[1].text == "peace | 2025"
    assert {(s.engine, s.model, s.model_version) for s in result.body} == {
        ("first", "opus-ru-en", "2.1")
    }
    assert result.flags == ()
    assert result.translated_at == NOW
    # The engine saw masked sentences, never the numbers.
    assert "Банк провёл аукцион на [0] рублей." in engine.sentences_seen
    assert not any("22" in text for text in engine.sentences_seen)


def test_failed_segments_fall_back_to_the_next_engine(scripted: type) -> None:
    lazy = scripted("lazy", lambda text: text)  # returns the source: "untranslated"
    good = scripted("good")
    result = make(lazy, good).translate_segments([PARA, "2025"], "ru")
    assert result[0].engine == "good" and result[0].flags == ()
    assert result[1].engine == "none" and result[1].text == "2025"
    assert len(lazy.calls) == len(good.calls) == 1


def test_engine_errors_fall_back_and_every_engine_failing_is_an_error(scripted: type) -> None:
    down = scripted("down", error=EngineUnavailable("down: server unreachable"))
    good = scripted("good")
    assert make(down, good).translate_segments([PARA], "ru")[0].engine == "good"
    with pytest.raises(TranslateError, match=r"every engine failed for ru→en: down: server"):
        make(down).translate_segments([PARA], "ru")


def test_wrong_output_count_counts_as_an_engine_failure(scripted: type) -> None:
    class Short(scripted):
        def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
            return super().translate_batch(texts, source, target)[:-1]

    result = make(Short("short"), scripted("good")).translate_segments([PARA], "ru")
    assert result[0].engine == "good"


def test_when_every_engine_is_flagged_the_least_bad_output_keeps_its_flags(
    scripted: type, ru_en: Callable[[str], str]
) -> None:
    untranslated = scripted("copy", lambda text: text)
    drops_number = scripted("drop", lambda text: ru_en(text).replace("[0]", "many"))
    result = make(untranslated, drops_number).translate_segments([PARA], "ru")[0]
    assert result.engine == "drop"
    assert result.flags == ("placeholder_lost", "numbers_differ")
    only_copy = make(scripted("copy", lambda text: text)).translate_segments([PARA], "ru")[0]
    assert "untranslated" in only_copy.flags  # never passed off as English


def test_cache_serves_repeated_sentences_without_calling_the_engine(scripted: type) -> None:
    engine = scripted("first")
    translator = make(engine)
    first = translator.translate_segments([PARA], "ru")[0]
    again = translator.translate_segments([PARA.replace("22 025 415", "7")], "ru")[0]
    assert len(engine.calls) == 1
    assert not first.cached and again.cached
    assert again.text == "the bank held an auction for 7 roubles. the rate was 3.75%."


def test_flagged_output_is_not_cached(scripted: type) -> None:
    engine = scripted("copy", lambda text: text)
    translator = make(engine)
    translator.translate_segments([PARA], "ru")
    translator.translate_segments([PARA], "ru")
    assert len(engine.calls) == 2


def test_documents_are_batched_together_and_sentences_deduplicated(scripted: type) -> None:
    engine = scripted("first")
    requests = [
        DocumentRequest(f"d{i}", (para(PARA), para("Мир.")), f"Итоги {i}", None, "ru")
        for i in range(5)
    ]
    results = make(engine).translate_documents(requests)
    assert [r.document_id for r in results if not isinstance(r, Exception)] == [
        f"d{i}" for i in range(5)
    ]
    assert len(engine.calls) == 1
    assert sorted(engine.calls[0]) == sorted(
        ["Банк провёл аукцион на [0] рублей.", "Ставка составила [0].", "Мир.", "Итоги [0]"]
    )


def test_errors_are_isolated_per_document(scripted: type) -> None:
    translator = make(scripted("first"))
    ok = DocumentRequest("ok", (para(PARA),), None, None, "ru")
    no_pair = DocumentRequest("fa", (para("سلام دنیا"),), None, None, "fa")
    results = translator.translate_documents([ok, no_pair])
    assert not isinstance(results[0], Exception) and results[0].document_id == "ok"
    assert isinstance(results[1], NoEngine)


def test_english_passes_through_untouched(scripted: type) -> None:
    engine = scripted("first")
    result = make(engine).translate_document(
        "en1", [para("Rates rose 3.75%.")], "Headline", None, "en-GB"
    )
    assert result.body[0].text == "Rates rose 3.75%."
    assert (result.body[0].engine, result.body[0].flags) == ("none", ())
    assert result.headline is not None and result.headline.engine == "none"
    assert result.section is None
    assert engine.calls == []


def test_no_engine_message_says_how_to_fix_it(scripted: type) -> None:
    with pytest.raises(NoEngine) as caught:
        make(scripted("first")).translate_segments(["Hola"], "es")
    assert str(caught.value) == "translate: no engine for es→en: run `babelwire models install es`"


def test_routing_follows_pair_overrides_and_source_engines(scripted: type) -> None:
    a, b = scripted("a"), scripted("b")
    named = {"a": a, "b": b}
    config = TranslateSettings(engines=("a", "b"), pair_engines=(("ru-en", ("b", "a")),))
    translator = Translator(config, named)
    assert translator.translate_segments([PARA], "ru")[0].engine == "b"
    assert translator.translate_segments(["Мир."], "ru", engines=["a"])[0].engine == "a"
    assert [e.name for e in translator.route_for("ru", ["missing", "a"])] == ["a"]


def test_glossary_names_are_spelled_as_the_glossary_says(scripted: type, tmp_path: Path) -> None:
    (tmp_path / "un.toml").write_text(
        '[[term]]\nsource = "МООНСИ"\ntarget = "UNAMI"\n', encoding="utf-8"
    )
    engine = scripted("first")
    translator = Translator(
        TranslateSettings(engines=("first",)), {"first": engine},
        glossaries=GlossaryLoader([tmp_path]),
    )
    result = translator.translate_document(
        "d", [para("Миссия МООНСИ завершит работу.")], None, None, "ru", glossary="un"
    )
    assert result.body[0].text == "the mission UNAMI will end its work."
    assert engine.sentences_seen == ["Миссия [0] завершит работу."]
    inline = parse_glossary('[[term]]\nsource = "Итоги"\ntarget = "Summary"\n')
    assert translator.translate_segments(["Итоги"], "ru", glossary=inline)[0].text == "Summary"


def test_long_sentences_are_cut_and_rejoined(scripted: type) -> None:
    engine = scripted("first")
    long_sentence = "Глава заявил, " + ", ".join(["мир и безопасность"] * 12) + "."
    result = make(engine, max_sentence_chars=80).translate_segments([long_sentence], "ru")[0]
    assert all(len(text) <= 80 for text in engine.sentences_seen)
    assert len(engine.sentences_seen) > 1
    assert result.text.startswith("the head said, peace and security,")
    assert result.text.count("peace and security") == 12


def test_batches_respect_max_batch_tokens(scripted: type) -> None:
    engine = scripted("first")
    texts = ["Мир" + " и безопасность" * i + "." for i in range(20)]
    make(engine, max_batch_tokens=40).translate_segments(texts, "ru")
    assert len(engine.calls) > 1
    assert sum(len(call) for call in engine.calls) == 20


def test_a_missing_glossary_fails_only_its_document(scripted: type, tmp_path: Path) -> None:
    translator = Translator(
        TranslateSettings(engines=("first",)), {"first": scripted("first")},
        glossaries=GlossaryLoader([tmp_path]),
    )
    ok = DocumentRequest("ok", (para("Мир."),), None, None, "ru")
    broken = DocumentRequest("broken", (para("Мир."),), None, None, "ru", glossary="missing")
    results = translator.translate_documents([broken, ok])
    assert isinstance(results[0], TranslateError)
    assert str(results[0]).startswith("translate: glossary 'missing': catalog: missing")
    assert not isinstance(results[1], Exception) and results[1].body[0].text == "peace."


def test_numbers_survive_a_real_apertium_run() -> None:
    translator = Translator.from_settings(TranslateSettings(engines=("apertium",)))
    if not translator.route_for("es"):
        pytest.skip("apertium with spa-eng is not installed")
    text = (
        "Nacida el 5 de enero de 1975, tiene 50 años. El banco subastó 22 025 415 rublos "
        "el 02.02.2026, 10-21 (RU000A0JWV89), un 3,75% más."
    )
    result = translator.translate_segments([text], "es")[0]
    assert result.engine == "apertium" and result.flags == ()
    for kept in ("January 5, 1975", "50", "22,025,415", "February 2, 2026, 10-21", "RU000A0JWV89",
                 "3.75%"):
        assert kept in result.text
