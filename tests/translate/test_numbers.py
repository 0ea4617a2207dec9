"""Figures into English notation by the source language, value unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from babelwire.translate.numbers import notation, to_english


@pytest.mark.parametrize(
    ("text", "lang", "english"),
    [
        ("16.720,3", "es", "16,720.3"),
        ("35.357", "es", "35,357"),
        ("1.250.000", "es", "1,250,000"),
        ("74.076,00", "es", "74,076.00"),
        ("4,5", "es", "4.5"),
        ("1234,5", "es", "1,234.5"),
        ("22 025 415", "fr", "22,025,415"),
        ("22\u202f025,5", "fr", "22,025.5"),
        ("3,75", "ru", "3.75"),
        ("22 025 415", "es", "22,025,415"),  # grouping by spaces is never a decimal
        ("1.500", "de", "1,500"),
        ("2025", "es", "2025"),  # no separator: a year stays a year
        ("3.5", "es", "3.5"),  # a decimal point already: written the English way
        ("16,720.3", "es", "16,720.3"),  # English notation in a Spanish text
        ("1,234", "zh", "1,234"),  # Chinese writes figures the English way
    ],
)
def test_english_notation(text: str, lang: str, english: str) -> None:
    figure = to_english(text, lang)
    assert (figure.english, figure.ambiguous) == (english, False)


@pytest.mark.parametrize(("text", "lang"), [("1,234", "es"), ("1,375", "pt"), ("1.234", "fr")])
def test_a_figure_with_two_readings_is_left_as_written(text: str, lang: str) -> None:
    figure = to_english(text, lang)
    assert figure.english == text and figure.ambiguous


def test_separators_come_from_cldr() -> None:
    assert (notation("es").decimal, notation("es").group) == (",", ".")
    assert (notation("fr").decimal, notation("fr").group) == (",", " ")
    assert (notation("xx-unknown").decimal, notation("xx-unknown").group) == (".", ",")


def _written(value: int, cents: int | None, lang: str) -> str:
    local = notation(lang)
    group = "\u202f" if local.group == " " else local.group
    integer = f"{value:,}".replace(",", group)
    return integer if cents is None else f"{integer}{local.decimal}{cents:02d}"


@given(
    value=st.integers(min_value=0, max_value=10**12),
    cents=st.none() | st.integers(min_value=0, max_value=99),
    lang=st.sampled_from(["es", "fr", "ru", "de", "pt", "it"]),
)
def test_the_value_never_changes(value: int, cents: int | None, lang: str) -> None:
    figure = to_english(_written(value, cents, lang), lang)
    if figure.ambiguous:
        return  # left as written and flagged
    expected = value + (cents or 0) / 100
    assert float(figure.english.replace(",", "")) == pytest.approx(expected)
    if value >= 1000:
        assert "," in figure.english
