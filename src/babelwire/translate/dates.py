"""Written-out dates in the source language → the wire's style, "November 3, 2025".

Engines render "3 de noviembre de 2025" as "3 November 2025" (Apertium),
"the 3 of November of 2025" (Apertium, when the figures were hidden from
it) or "November 3rd, 2025" (a neural model): three styles on one wire. A
date is therefore a protected span whose English form is written here, the
same for every engine. Month names come from CLDR (through Babel) for the
source language, in the forms a date uses ("ноября", the genitive, in
Russian); the words around the parts ("de", "года", the "." after a German
day) are part of the span so that no engine translates them on their own.
Numeric dates ("03/11/2025") are left alone: their order is the writer's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip

#: Variants CLDR does not list but writers use ("setiembre" in Peru and Uruguay).
_EXTRA_NAMES: dict[str, dict[str, int]] = {"es": {"setiembre": 9}}
#: Words between a date's parts ("3 de noviembre del 2025", "3 novembre 2025").
_JOINER = r"(?:\s+(?:de|del|do|da|di|of)\s+|\s*,\s*|\s+)"
#: Before a year no comma: "el 5 de mayo, 2000 personas" is not a date.
_BEFORE_YEAR = r"(?:\s+(?:de|del|do|da|di)\s+|\s+)"
#: Words after a year that belong to the date ("2025 года", "2025 г.", "2025 r.").
_YEAR_TAIL = r"(?:\s*(?:года|году|г\.|год|roku|r\.|yılında|年))?"
#: A day, as written before a month: "3", "03", "1º", "1er", "3." (German).
_DAY = r"(?P<d>(?:[12]\d|3[01]|0?[1-9]))(?:\s?(?:º|°|er|ᵉʳ)|\.)?"
_YEAR = r"(?P<y>(?:1[89]|2[01])\d\d)"


@lru_cache(maxsize=64)
def month_names(lang: str) -> dict[str, int]:
    """Lower-cased month names of ``lang`` → month number (1–12)."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_month_names

    try:
        locale = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return {}
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for number, name in get_month_names("wide", context, locale).items():
            names[name.lower()] = number
    names.update(_EXTRA_NAMES.get(lang, {}))
    return names


@lru_cache(maxsize=64)
def date_pattern(lang: str) -> re.Pattern[str] | None:
    """Day-month-year, day-month and month-year dates of ``lang``, longest first."""
    names = month_names(lang)
    if not names or lang == "en":
        return None
    month = "(?P<m>" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")"
    full = rf"{_DAY}{_JOINER}{month}(?:{_BEFORE_YEAR}{_YEAR}{_YEAR_TAIL})?"
    month_year = (
        rf"{month.replace('?P<m>', '?P<m2>')}{_BEFORE_YEAR}{_YEAR.replace('?P<y>', '?P<y2>')}"
    )
    return re.compile(
        rf"(?<![\w.]){full}(?![\w])|(?<![\w]){month_year}{_YEAR_TAIL}(?![\w])", re.IGNORECASE
    )


def english_date(match: re.Match[str], lang: str) -> str:
    """The wire's form of a date matched by :func:`date_pattern`."""
    names = month_names(lang)
    if match.group("m"):
        month = MONTHS[names[match.group("m").lower()] - 1]
        day = int(match.group("d"))
        year = match.group("y")
        return f"{month} {day}, {int(year)}" if year else f"{month} {day}"
    month = MONTHS[names[match.group("m2").lower()] - 1]
    return f"{month} {int(match.group('y2'))}"


def find_dates(text: str, lang: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, English) for every written-out date of ``lang`` in ``text``."""
    if not any(ch.isdigit() for ch in text):
        # Every form has a day or a year in figures; text without one need
        # not load the language's month names (~0.1 s of CLDR data).
        return
    pattern = date_pattern(lang)
    if pattern is None:
        return
    for match in pattern.finditer(text):
        yield match.start(), match.end(), english_date(match, lang)
