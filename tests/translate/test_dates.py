"""Written-out dates in the source language → the wire's style."""

from __future__ import annotations

import pytest

from babelwire.translate.dates import find_dates


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
