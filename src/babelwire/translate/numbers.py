"""Figures in the source's notation → the same value in English notation.

"16.720,3" in a Spanish text is sixteen thousand seven hundred and twenty
point three; left as it is, an English reader takes it for sixteen point
seven. The source language's separators come from CLDR (through Babel): a
decimal comma and a group dot for Spanish or German, a space for French or
Russian. A figure whose notation admits two values is left as written and
reported: "1,234" is 1.234 in Madrid and 1234 in Mexico City (same language,
two conventions). Scale words after a figure ("16,7 millones", "100 mil")
are put into English with it, so that no engine reads "mil" as "one thousand".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: Separators that stand for a group separator written with a space.
_SPACES = " \u00a0\u202f\u2009"


@dataclass(frozen=True, slots=True)
class Notation:
    decimal: str
    group: str


@lru_cache(maxsize=64)
def notation(lang: str) -> Notation:
    """The source language's decimal and group separators (CLDR), English if unknown."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol

    try:
        locale = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return Notation(".", ",")
    group = get_group_symbol(locale)
    return Notation(get_decimal_symbol(locale), " " if group in _SPACES else group)


@dataclass(frozen=True, slots=True)
class Figure:
    #: The figure in English notation (the text itself when ambiguous).
    english: str
    #: True when the notation admits two readings; ``english`` is the text.
    ambiguous: bool = False


def _english_digits(integer: str, fraction: str | None) -> str:
    grouped = f"{int(integer):,}"
    return grouped if fraction is None else f"{grouped}.{fraction}"


def _grouped(text: str, sep: str) -> bool:
    """``1.234.567`` style: 1–3 digits, then groups of exactly three."""
    seps = re.escape(sep) if sep != " " else f"[{_SPACES}]"
    return re.fullmatch(rf"\d{{1,3}}(?:{seps}\d{{3}})+", text) is not None


def to_english(text: str, lang: str) -> Figure:
    """``text`` (digits with separators, no sign or unit) in English notation."""
    local = notation(lang)
    if text.isdigit() or (local.decimal == "." and local.group == ","):
        return Figure(text)  # no separator, or already English (Chinese, Arabic...)
    integer, sep, fraction = text.rpartition(local.decimal)
    if sep and fraction.isdigit() and _grouped(integer, local.group):
        return Figure(_english_digits(re.sub(r"\D", "", integer), fraction))  # "16.720,3"
    if sep and fraction.isdigit() and integer.isdigit():
        if len(fraction) == 3 and len(integer) <= 3 and local.decimal == ",":
            # "1,234": a decimal comma to Madrid, a thousands comma to Mexico
            # City (same language, American notation); no reading is safe.
            return Figure(text, ambiguous=True)
        return Figure(_english_digits(integer, fraction))  # "4,5" → "4.5"
    if _grouped(text, local.group) or _grouped(text, " "):
        # Groups of three after spaces mean thousands in every notation.
        return Figure(_english_digits(re.sub(r"\D", "", text), None))  # "35.357", "22 025 415"
    if local.group != "." and re.fullmatch(r"\d{1,3}\.\d{3}", text):
        # "1.234" where the group mark is a space (French, Russian): an
        # English decimal or an old-style group of thousands.
        return Figure(text, ambiguous=True)
    # "3.5" with a decimal point where the language uses a comma, "1,234,567",
    # "16,720.3": written the English way already. Anything else ("1.2.3",
    # a section number) is not a figure to convert.
    return Figure(text)


#: Scale words after a figure, by language, and their English. Spanish
#: "billón" is a million millions, the English "trillion".
SCALES: dict[str, dict[str, str]] = {
    "es": {"mil millones": "billion", "millones": "million", "millón": "million",
           "mil": "thousand", "billones": "trillion", "billón": "trillion"},
    "pt": {"mil milhões": "billion", "milhões": "million", "milhão": "million",
           "bilhões": "billion", "bilhão": "billion", "mil": "thousand"},
    "fr": {"milliards": "billion", "milliard": "billion", "millions": "million",
           "million": "million"},
    "it": {"miliardi": "billion", "miliardo": "billion", "milioni": "million",
           "milione": "million", "mila": "thousand"},
    "ca": {"milions": "million", "milió": "million", "mil": "thousand"},
    "ru": {"млрд": "billion", "млн": "million", "тыс.": "thousand"},
}  # fmt: skip


@lru_cache(maxsize=64)
def scale_pattern(lang: str) -> re.Pattern[str] | None:
    """The scale words of ``lang`` as a pattern anchored after a figure and a space."""
    words = SCALES.get(lang)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"[ \u00a0](?:de )?({alternatives})(?![\w])", re.IGNORECASE)


def english_scale(word: str, lang: str) -> str:
    return SCALES[lang][word.lower()]
