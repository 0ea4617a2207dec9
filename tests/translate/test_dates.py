"""Written-out dates in the source language → the wire's style."""

from __future__ import annotations

import pytest

from babelwire.translate.dates import find_dates, find_numeric_dates, numeric_order
from babelwire.translate.protect import find_spans
from babelwire.translate.settings import TranslateSettings
from babelwire.translate.translator import Translator


@pytest.mark.parametrize(
    ("text", "lang", "found"),
    [
        ("el 3 de noviembre de 2025 en Lima", "es", ("3 de noviembre de 2025", "November 3, 2025")),
        ("el 12 de diciembre del 2025", "es", ("12 de diciembre del 2025", "December 12, 2025")),
        ("el 1º de mayo", "es", ("1º de mayo", "May 1")),
        ("en marzo de 2024", "es", ("marzo de 2024", "March 2024")),
        ("el 3 de setiembre de 2025", "es", ("3 de setiembre de 2025", "September 3, 2025")),
        ("le 1er novembre 2025", "fr", ("1er novembre 2025", "November 1, 2025")),
        ("3 ноября 2025 года", "ru", ("3 ноября 2025 года", "November 3, 2025")),
        ("am 3. November 2025", "de", ("3. November 2025", "November 3, 2025")),
        ("em 3 de novembro de 2025", "pt", ("3 de novembro de 2025", "November 3, 2025")),
        ("في 3 نوفمبر 2025", "ar", ("3 نوفمبر 2025", "November 3, 2025")),
    ],
)
def test_dates_in_wire_style(text: str, lang: str, found: tuple[str, str]) -> None:
    ((start, end, english),) = find_dates(text, lang)
    assert (text[start:end], english) == found


def test_not_dates() -> None:
    # A comma before the figure: people, not a year.
    assert [e for _, _, e in find_dates("el 5 de mayo, 2000 personas", "es")] == ["May 5"]
    assert list(find_dates("03/11/2025 y 32 de mayo", "es")) == []
    assert list(find_dates("3 November 2025", "en")) == []


#: Source languages of the catalog and their CLDR order for a year-last date.
ORDERS = {
    "es": "dmy", "fr": "dmy", "ru": "dmy", "de": "dmy", "pt": "dmy", "it": "dmy", "uk": "dmy",
    "pl": "dmy", "tr": "dmy", "nl": "dmy", "ar": "dmy", "he": "dmy", "id": "dmy", "vi": "dmy",
    "zh": "ymd", "ja": "ymd", "ko": "ymd", "fa": "ymd", "hu": "ymd", "fil": "mdy",
}  # fmt: skip


def _numeric(text: str, lang: str) -> list[tuple[str, str, str]]:
    return [(text[s:e], kind, out) for s, e, kind, out in find_numeric_dates(text, lang)]


@pytest.mark.parametrize("lang", sorted(ORDERS))
def test_each_source_language_has_its_cldr_order(lang: str) -> None:
    assert numeric_order(lang) == ORDERS[lang]


@pytest.mark.parametrize("lang", sorted(ORDERS))
@pytest.mark.parametrize("written", ["03/11/2025", "03.11.2025", "3-11-2025", "11/3/2025"])
def test_a_year_last_date_follows_the_source_language(lang: str, written: str) -> None:
    day_first = not written.startswith("11")
    found = _numeric(f"el {written} en", lang)
    if ORDERS[lang] == "ymd":
        # No order for a year-last date there: kept as written, flagged.
        assert found == [(written, "ambiguous_date", written)]
    elif (ORDERS[lang] == "dmy") == day_first:
        assert found == [(written, "numeric_date", "November 3, 2025")]
    else:
        assert found == [(written, "numeric_date", "March 11, 2025")]


@pytest.mark.parametrize("lang", sorted(ORDERS))
@pytest.mark.parametrize("written", ["2025-11-03", "2025/11/3", "2025.11.03"])
def test_a_year_first_date_reads_the_same_in_every_language(lang: str, written: str) -> None:
    assert _numeric(f"({written})", lang) == [(written, "numeric_date", "November 3, 2025")]


@pytest.mark.parametrize(
    ("text", "lang", "found"),
    [
        # Day 25 cannot be a month: the writer used the other order.
        ("el 12/25/2025", "es", ("12/25/2025", "ambiguous_date", "12/25/2025")),
        ("le 31/02/2025", "fr", ("31/02/2025", "invalid_date", "31/02/2025")),
        ("2025-13-01", "ru", ("2025-13-01", "invalid_date", "2025-13-01")),
        ("12/25/2025", "zh", ("12/25/2025", "ambiguous_date", "12/25/2025")),
        # Both orders read the same: certain even without an order.
        ("3/3/2025", "zh", ("3/3/2025", "numeric_date", "March 3, 2025")),
        ("29.02.2024", "de", ("29.02.2024", "numeric_date", "February 29, 2024")),
        ("29.02.2025", "de", ("29.02.2025", "invalid_date", "29.02.2025")),
        # Words after a Russian year belong to the date.
        ("с 03.11.2025 г. по", "ru", ("03.11.2025 г.", "numeric_date", "November 3, 2025")),
    ],
)
def test_unclear_dates_are_kept_and_named(
    text: str, lang: str, found: tuple[str, str, str]
) -> None:
    assert _numeric(text, lang) == [found]


@pytest.mark.parametrize(
    "text",
    ["12/03/25", "1.2.2025.4", "3/11/2025/7", "1.234.567", "10-21", "2020-2021", "12/03/3025",
     "v2025.11.03", "3/11/2025x", "English 3/11/2025"],
)
def test_what_is_not_a_date_in_figures(text: str) -> None:
    lang = "en" if text.startswith("English") else "es"
    assert _numeric(text, lang) == []


def test_a_law_number_stays_a_law_number() -> None:
    (span,) = find_spans("la Ley 12/03/2025 entra", lang="es")
    assert (span.kind, span.replacement) == ("identifier", "12/03/2025")


def test_an_iso_timestamp_is_kept_whole() -> None:
    (span,) = find_spans("a las 2025-11-03T10:00Z", lang="es")
    assert span.kind == "datetime"


def test_dates_in_figures_reach_english_and_unclear_ones_are_flagged(scripted: type) -> None:
    # An engine that copies its input: what reaches English is the stage's work.
    copier = scripted("copier", lambda text: text)
    translator = Translator(
        TranslateSettings(engines=("copier",)), {"copier": copier},
    )  # type: ignore[arg-type]
    (result,) = translator.translate_segments(
        ["Заседание 03.11.2025, отчёт 31.02.2025, письмо 12/25/2025."], "ru")
    assert "November 3, 2025" in result.text
    assert "31.02.2025" in result.text and "12/25/2025" in result.text
    assert result.flags[-2:] == ("ambiguous_date(12/25/2025)", "invalid_date(31.02.2025)")
