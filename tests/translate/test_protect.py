from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from babelwire.translate.engine import PLACEHOLDER_PATTERN
from babelwire.translate.protect import RESTORE_PATTERN, Span, find_spans, mask, unmask


def masked(text: str) -> tuple[str, tuple[str, ...]]:
    m = mask(text, find_spans(text))
    return m.text, m.originals


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Аукцион на 22025415 рублей.", "22025415"),
        ("Аукцион на 22 025 415 рублей.", "22 025 415"),
        ("Рост на 1,5 пункта.", "1,5"),
        ("Ставка 3.75% годовых.", "3.75%"),
        ("Обновлено 02.02.2026, 10-21.", "02.02.2026"),
        ("Обновлено 02.02.2026, 10-21.", "10-21"),
        ("Начало в 12:30 по Москве.", "12:30"),
        ("Опубликовано 2026-02-02T10:21:00+03:00.", "2026-02-02T10:21:00+03:00"),
        ("Облигации RU000A0JWV89 размещены.", "RU000A0JWV89"),
        ("Акции SBER выросли.", "SBER"),
        ("Торги (MOEX: GAZP) завершены.", "GAZP"),
        ("La résolution 2773 du Conseil.", "2773"),
        ("Document S/RES/2773 adopted.", "S/RES/2773"),
        ("CUSIP 037833100 and 38259P508 listed.", "38259P508"),
        ("Prix: 3 500 € par an.", "3 500 €"),
        ("Costs $1.5 billion.", "$1.5"),
        ("Details: https://news.un.org/ru/story/2025/12/1.html. Next.",
         "https://news.un.org/ru/story/2025/12/1.html"),
        ("Пишите на press@un.org, спасибо.", "press@un.org"),
    ],
)
def test_protected_spans(text: str, span: str) -> None:
    out, originals = masked(text)
    assert span in originals
    assert span not in out
    assert unmask(out, originals).text == text


def test_spec_examples_come_back_exactly() -> None:
    text = "Продано на 22025415 руб. 02.02.2026, 10-21 (выпуск RU000A0JWV89)."
    result = mask(text, find_spans(text))
    assert result.text == "Продано на [0] руб. [1], [2] (выпуск [3])."
    assert unmask("Sold for [0] roubles [1], [2] (issue [3]).", result.replacements).text == (
        "Sold for 22025415 roubles 02.02.2026, 10-21 (issue RU000A0JWV89)."
    )


def test_ordinals_and_latin_words_stay_translatable() -> None:
    out, _ = masked("Le 2e tour, the 5th round, and Sberbank.")
    assert out == "Le [0]e tour, the [1]th round, and Sberbank."


def test_latin_capitals_are_protected_only_in_non_latin_text() -> None:
    assert masked("EL GOBIERNO ANUNCIA")[1] == ()
    assert masked("Агентство UNICEF и ВОЗ")[1] == ("UNICEF",)


def test_replacements_give_english_forms() -> None:
    text = "会议于2025年12月12日举行，اليوم ٢٠٢٥."
    result = mask(text, find_spans(text))
    assert result.replacements == ("December 12, 2025", "2025")
    assert result.originals == ("2025年12月12日", "٢٠٢٥")


def test_glossary_spans_rank_above_numbers() -> None:
    text = "Группа G20 и Резолюция 2773."
    extra = [Span(0, 10, "glossary", "the Group of Twenty")]
    result = mask(text, find_spans(text, extra))
    assert result.replacements[0] == "the Group of Twenty"
    assert result.text.startswith("[0] и")


def test_text_that_already_looks_like_a_placeholder_is_protected() -> None:
    text = "Шаблон [0] и [ 7 ] и ［2］ остаются."
    out, originals = masked(text)
    assert originals == ("[0]", "[ 7 ]", "［2］")
    assert unmask(out, originals).text == text


def test_restore_reports_lost_duplicated_and_unknown_placeholders() -> None:
    values = ("5", "6", "7")
    result = unmask("[0] and [0], [ 1 ] and [9]", values)
    assert result.text == "5 and 5, 6 and [9]"
    assert result.lost == (2,)
    assert result.duplicated == (0,)
    assert result.unknown == ("[9]",)
    assert not result.intact
    assert unmask("[0][1][2]", values).intact


def test_placeholder_pattern_matches_what_mask_writes() -> None:
    out, originals = masked("a 1 b 2 c 3")
    assert len(PLACEHOLDER_PATTERN.findall(out)) == len(originals) == 3


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_mask_then_unmask_is_identity(text: str) -> None:
    out, originals = masked(text)
    assert unmask(out, originals).text == text


# Digits glued to Latin letters ("x2") are words, not numbers, so the digit
# property is stated over text without Latin letters.
_NO_LATIN = st.text(
    alphabet=st.sampled_from([*"абвгдеж ЖЗИ 0123456789٠١٢٣ .,:-/%€$\n[]{}", "\u00a0"]),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(_NO_LATIN)
def test_masked_text_has_no_digits_outside_placeholders(text: str) -> None:
    out, _ = masked(text)
    assert not any(ch.isdigit() for ch in RESTORE_PATTERN.sub("", out))


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_placeholders_survive_apertium() -> None:
    text = "El banco subastó 22 025 415 rublos el 02.02.2026, 10-21 (RU000A0JWV89)."
    result = mask(text, find_spans(text))
    run = subprocess.run(
        ["apertium", "spa-eng"], input=result.text, capture_output=True, text=True, timeout=60
    )
    if run.returncode != 0:
        pytest.skip(f"apertium spa-eng is not usable here: {run.stderr.strip()[:200]}")
    restored = unmask(run.stdout, result.replacements)
    assert restored.intact, run.stdout
    assert "22 025 415" in restored.text and "RU000A0JWV89" in restored.text


def es_spans(text: str) -> list[tuple[str, str, str]]:
    return [(text[s.start : s.end], s.kind, s.replacement) for s in find_spans(text, lang="es")]


@pytest.mark.parametrize(
    "symbol",
    ["A/59/2005/Add.2", "UNEP/EA.6/Res.1", "S/RES/2773(2025)", "E/CN.6/2025/L.1",
     "A/HRC/58/L.12/Rev.1", "A/C.3/79/L.41", "S/2025/123"],
)
def test_document_symbols_with_mixed_case_parts_are_one_span(symbol: str) -> None:
    assert es_spans(f"Véase el documento {symbol}.") == [(symbol, "identifier", symbol)]


def test_currency_signs_and_law_numbers_are_kept_as_written() -> None:
    assert es_spans("Pagó U$S 74.076,00 según la Ley 27.430 y el Decreto N° 70/2023.") == [
        ("U$S", "currency", "U$S"),
        ("74.076,00", "number", "74,076.00"),
        ("27.430", "identifier", "27.430"),
        ("70/2023", "identifier", "70/2023"),
    ]
    assert es_spans("USD 16.720,3 millones y R$ 3.456,78") == [
        ("USD", "currency", "USD"),
        ("16.720,3 millones", "number", "16,720.3 million"),
        ("R$", "currency", "R$"),
        ("3.456,78", "number", "3,456.78"),
    ]


def test_figures_get_english_notation_and_scale_words() -> None:
    assert es_spans("100 mil nacidos, 35.357 puestos, 2,5 millones y 1,234 kg.") == [
        ("100 mil", "number", "100 thousand"),
        ("35.357", "number", "35,357"),
        ("2,5 millones", "number", "2.5 million"),
        ("1,234", "ambiguous_number", "1,234"),
    ]


def test_a_spaced_percent_sign_stays_outside_the_span() -> None:
    # Apertium lets a separate "%" go from the span's words, which doubled it.
    assert es_spans("Creció un 4,5 % y un 3,2%.") == [
        ("4,5", "number", "4.5"), ("3,2%", "number", "3.2%"),
    ]


def test_dates_are_spans_with_the_wire_form() -> None:
    assert es_spans("El 3 de noviembre de 2025 votaron.") == [
        ("3 de noviembre de 2025", "date", "November 3, 2025"),
    ]
    # Without the language, figures and dates are kept as written.
    assert [s.replacement for s in find_spans("El 3 de noviembre, 4,5 %.")] == ["3", "4,5"]
