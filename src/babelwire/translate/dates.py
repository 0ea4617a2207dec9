"""Written-out dates in the source language → the wire's style, "November 3, 2025".

Engines render "3 de noviembre de 2025" as "3 November 2025" (Apertium),
"the 3 of November of 2025" (Apertium, when the figures were hidden from
it) or "November 3rd, 2025" (a neural model): three styles on one wire. A
date is therefore a protected span whose English form is written here, the
same for every engine. Month names come from CLDR (through Babel) for the
source language, in the forms a date uses ("ноября", the genitive, in
Russian); the words around the parts ("de", "года", the "." after a German
day) are part of the span so that no engine translates them on their own.

Dates in figures ("12/03/2025", "03.11.2025", "2025-11-03") take the same
style when their order is certain: a year written first is followed by the
month (ISO 8601, and every year-first convention); a year written last
leaves day and month in the order of the source language's CLDR short date
pattern (d/M in Spanish, French, Russian, German; M/d in Filipino). When the
language gives no such order (a year-last date in Chinese text), or when the
figures make no date in that order, the date is left as written and marked
``ambiguous_date`` (the other order would make a date) or ``invalid_date``
(no order would), so that a reader checks it against the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
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
#: Span kinds of dates in figures left as written, each a flag of its own.
UNCLEAR_KINDS = frozenset({"ambiguous_date", "invalid_date"})
#: A date in figures: three parts joined by one separator, four-figure year
#: first or last. Not inside a longer run of figures and separators ("1.2.2025.4").
_NUMERIC = re.compile(
    r"(?<![\w.,/-])"
    r"(?:(?P<yf>(?:1[89]|2[01])\d\d)(?P<sf>[-/.])(?P<mf>\d{1,2})(?P=sf)(?P<df>\d{1,2})"
    r"|(?P<a>\d{1,2})(?P<s>[-/.])(?P<b>\d{1,2})(?P=s)(?P<yl>(?:1[89]|2[01])\d\d))"
    rf"{_YEAR_TAIL}(?![\w]|[.,/-]\d)"
)


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


@lru_cache(maxsize=64)
def numeric_order(lang: str) -> str | None:
    """"dmy", "mdy" or "ymd": the order of the language's CLDR short date, None if unknown."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_date_format

    try:
        pattern = get_date_format("short", Locale.parse(lang)).pattern
    except (UnknownLocaleError, ValueError):
        return None
    letters = "".join(dict.fromkeys(ch for ch in pattern if ch in "dMy")).lower()
    return letters if letters in {"dmy", "mdy", "ymd"} else None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_numeric_dates(text: str, lang: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, kind, replacement) for every date in figures in ``text``.

    ``kind`` is ``"numeric_date"`` with the wire's English form, or ``"ambiguous_date"``
    / ``"invalid_date"`` with the text as written (see the module docstring).
    """
    if lang == "en" or not any(ch.isdigit() for ch in text):
        return
    for match in _NUMERIC.finditer(text):
        written = match.group(0)
        if match.group("yf"):
            year, month, day = (int(match.group(g)) for g in ("yf", "mf", "df"))
            found, other = _day(year, month, day), None
        else:
            year, a, b = (int(match.group(g)) for g in ("yl", "a", "b"))
            order = numeric_order(lang)
            day_first, month_first = _day(year, b, a), _day(year, a, b)
            if order == "dmy":
                found, other = day_first, month_first
            elif order == "mdy":
                found, other = month_first, day_first
            else:
                # Year-first languages give no order for a year-last date:
                # it is certain only when both orders read the same.
                found = day_first if a == b else None
                other = day_first or month_first
        if found is not None:
            english = f"{MONTHS[found.month - 1]} {found.day}, {found.year}"
            yield match.start(), match.end(), "numeric_date", english
        else:
            kind = "ambiguous_date" if other is not None else "invalid_date"
            yield match.start(), match.end(), kind, written


#: How a date is written out, for :func:`written_stand_in`; others: "{d} {m} {y}".
_WRITTEN = {"es": "{d} de {m} de {y}", "pt": "{d} de {m} de {y}", "ca": "{d} de {m} de {y}",
            "gl": "{d} de {m} de {y}", "de": "{d}. {m} {y}"}  # fmt: skip


@lru_cache(maxsize=64)
def written_stand_in(lang: str) -> str | None:
    """A written-out date in ``lang`` ("1 de enero de 2000"), None if CLDR has no months.

    A rule-based engine reads "12/03/2025" as a bare figure ("el 12/03/2025" →
    "the 12/03/2025") but a written date as a date ("el 12 de marzo" → "on
    12 March"): a date in figures goes to it as this stand-in, so that the
    words around it come out as they would around a date.
    """
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_month_names

    try:
        january = get_month_names("wide", "format", Locale.parse(lang))[1]
    except (UnknownLocaleError, ValueError):
        return None
    return _WRITTEN.get(lang, "{d} {m} {y}").format(d=1, m=january, y=2000)


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
