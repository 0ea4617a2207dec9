"""Protected spans: what must come through translation exactly as written.

Numbers, dates, times, amounts, identifiers (ISIN, tickers, UN document
symbols), URLs, e-mail addresses and glossary names are found in the source,
replaced by placeholders ``[0]``, ``[1]``... before the engine sees the text,
and put back afterwards. The engine never gets the chance to turn
"22 025 415" into "22,025,415" or a date into another calendar order.

Each span carries a *replacement*: usually the original text, but the English
target for a glossary term, ASCII digits for numbers written in Arabic-Indic
or full-width digits, figures in English notation ("16.720,3 millones" →
"16,720.3 million", see :mod:`~babelwire.translate.numbers`), and the wire's
form of a date ("3 de noviembre de 2025", "2025年12月12日" → "November 3,
2025", see :mod:`~babelwire.translate.dates`). The rules that read figures
and dates need the source language; without it they keep the text as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from babelwire.translate import dates, numbers
from babelwire.translate.engine import placeholder
from babelwire.translate.scripts import is_latin_text, script_counts


@dataclass(frozen=True, slots=True)
class Span:
    """A protected stretch ``text[start:end]`` and what the English gets instead."""

    start: int
    end: int
    kind: str
    replacement: str


@dataclass(frozen=True, slots=True)
class Masked:
    """A sentence with its spans replaced by placeholders, in order of appearance."""

    text: str
    originals: tuple[str, ...]
    replacements: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Restored:
    text: str
    #: Placeholder numbers missing from the engine output.
    lost: tuple[int, ...] = ()
    #: Placeholder numbers that came back more than once.
    duplicated: tuple[int, ...] = ()
    #: Placeholder-like tokens in the output that were never sent.
    unknown: tuple[str, ...] = ()

    @property
    def intact(self) -> bool:
        return not (self.lost or self.duplicated or self.unknown)


#: What an engine may turn ``[0]`` into and we still recognise: spaces inside
#: the brackets and full-width brackets (what CJK-trained models tend to emit).
#: The same pattern protects source text that already looks like a placeholder
#: (a citation mark "[1]"), so that restoring never takes source text for one.
RESTORE_PATTERN = re.compile(r"[\[［]\s*(\d{1,4})\s*[\]］]")

_URL = r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'«»“”]*[^\s<>\"'«»“”.,;:!?)\]}]"
# Look-behind and bounded look-aheads keep these searches linear: each would
# otherwise rescan a long run of word characters, dots or dashes from every
# position in it (quadratic on a megabyte of such text).
_EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"
_ISO_DATETIME = (
    r"(?<![\d])\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_CJK_DATE = (
    r"(?<!\d)(?:(?P<y>\d{4})\s?[年년]\s?)?(?P<m>\d{1,2})\s?[月월]\s?(?:(?P<d>\d{1,2})\s?[日일])?"
)
# International Securities Identification Number: country, 9 alphanumerics, check digit.
_ISIN = r"(?<![A-Za-z0-9])[A-Z]{2}[A-Z0-9]{9}\d(?![A-Za-z0-9])"
# Upper-case letters mixed with digits, optionally in parts joined by - / .:
# "COVID-19", "G20", "S/RES/2773", "A/78/L.1", CUSIP-like codes. Requiring an
# upper-case letter keeps ordinals such as "2e" and "5th" translatable.
_IDENT = (
    r"(?<![\w/])(?=[A-Z0-9./-]{0,63}[A-Z])(?=[A-Z0-9./-]{0,63}\d)"
    r"[A-Z0-9]+(?:[-/.][A-Z0-9]+)*(?![\w/])"
)
# UN and treaty-body document symbols, whose later parts are mixed case:
# "A/59/2005/Add.2", "UNEP/EA.6/Res.1", "S/RES/2773(2025)", "E/CN.6/2025/L.1".
_DOC_SYMBOL = (
    r"(?<![\w/$])(?=[\w./()]{0,63}\d)[A-Z][A-Z0-9]*(?:\.\d+)?"
    r"(?:/[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*(?:\(\d{4}\))?)+(?![\w/])"
)
# Numbers of laws, decrees, resolutions and files, kept exactly as written
# ("Ley 27.430" is law 27.430, not 27,430): the number after such a word or
# after a number sign.
_DOCUMENT_WORDS = (
    "Ley|Leyes|Decreto|Decreto-Ley|Real Decreto|Resolución|Disposición|Expediente|"
    "Circular|Acordada|Ordenanza|Orden|DNU|Loi|Décret|Arrêté|Circulaire|Lei|"
    "Decreto-Lei|Portaria|Legge|Decreto legislativo"
)
_DOCUMENT_NUMBER = (
    rf"(?:(?<![\w])(?:{_DOCUMENT_WORDS})(?:\s+(?:N[°ºo]\.?|n[°º]\.?|núm\.|No\.))?\s+"
    r"|(?<![\w])(?:N[°º]\.?|n[°º]\.?|núm\.|№)\s?)"
    r"(?P<span>\d+(?:[./-]\d+)*(?:-[A-ZА-Я]{1,4})?)"
)
# Currency signs and codes that engines mangle ("U$S" → "Or$S"): kept as
# written when a figure follows. Three-letter codes are the ISO 4217 ones.
_CURRENCY_SIGNS = r"U\$[SD]|US\$|R\$|C\$|N\$|A\$|S/\.?|Bs\.(?:S\.?)?|RD\$|Q\."
_EXCHANGES = "MOEX|NYSE|NASDAQ|Nasdaq|LSE|TSX|ASX|HKEX|SSE|SZSE|BME|BIST|XETRA|Euronext|TSE|KRX|B3"
_EXCHANGE_TICKER = rf"\b(?:{_EXCHANGES}):\s?(?P<span>[A-Z][A-Z0-9.]{{0,5}})(?![\w])"
_THOUSANDS_SEP = "[ \u00a0\u202f\u2009]"
_SIGN = r"(?:(?<![\w.,])[+\-−±])?"
_CURRENCY = "[$€£¥₽₴₹₺₩]"
# A number: digits joined by . , : / - – (decimals, dates, times, ranges,
# "10-21" as a Russian time), or groups of three separated by spaces
# ("22 025 415"), with its sign, percent and currency symbol. A digit glued to a
# Latin letter ("x2") is part of a word, not a number.
_NUMBER = (
    rf"(?<![A-Za-z\d_]){_SIGN}(?:{_CURRENCY}\s?)?"
    rf"(?:\d{{1,3}}(?:{_THOUSANDS_SEP}\d{{3}})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,:/\-–]\d+)*)"
    rf"(?:{_THOUSANDS_SEP}?[%‰]|{_THOUSANDS_SEP}?{_CURRENCY})?"
)
# In a text that is not in Latin script, a Latin capitalised token is a ticker
# or an acronym ("SBER", "UNICEF", "USD") that no engine should touch.
_LATIN_CAPS = r"(?<![A-Za-z0-9])[A-Z][A-Z0-9&]{1,5}(?![A-Za-z0-9])"

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)


def _ascii_digits(text: str) -> str:
    """Arabic-Indic, Persian and full-width digits → ASCII, other characters kept."""
    return "".join(str(int(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


def _english_date(match: re.Match[str]) -> str:
    year, month, day = (match.group(g) for g in ("y", "m", "d"))
    month_n = int(month)
    if not 1 <= month_n <= 12:
        return match.group(0)
    parts = _MONTHS[month_n - 1]
    if day is not None:
        parts += f" {int(day)}"
    if year is not None:
        parts += f", {int(year)}" if day is not None else f" {int(year)}"
    return parts


@lru_cache(maxsize=1)
def _currency_pattern() -> re.Pattern[str]:
    # Built at the first figure, not at import: the ISO 4217 list comes from
    # Babel, which text without figures need not load.
    from babel.numbers import list_currencies

    codes = "|".join(sorted(list_currencies()))
    return re.compile(rf"(?<![\w$])(?:{_CURRENCY_SIGNS}|{codes})(?=\s?\d)")


def _same(match: re.Match[str]) -> str:
    return match.group("span") if "span" in match.re.groupindex else match.group(0)


def _digits(match: re.Match[str]) -> str:
    return _ascii_digits(match.group(0))


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    #: The pattern, or a function that builds it when first needed.
    pattern: re.Pattern[str] | Callable[[], re.Pattern[str]]
    replacement: Callable[[re.Match[str]], str]
    only_non_latin: bool = False
    #: Matches only where a figure is: text without one skips the rule.
    needs_digit: bool = False


#: Highest priority first: a span claimed by an earlier rule is not matched
#: again. Glossary matches are claimed between the two tuples: curated names
#: beat the generic patterns, but a URL or e-mail address stays whole.
_RULES_BEFORE_GLOSSARY: tuple[_Rule, ...] = (
    _Rule("placeholder", RESTORE_PATTERN, _same),
    _Rule("url", re.compile(_URL), _same),
    _Rule("email", re.compile(_EMAIL), _same),
)
_RULES_AFTER_GLOSSARY: tuple[_Rule, ...] = (
    _Rule("datetime", re.compile(_ISO_DATETIME), _digits),
    _Rule("date", re.compile(_CJK_DATE), _english_date),
    _Rule("isin", re.compile(_ISIN), _same),
    _Rule("identifier", re.compile(_DOC_SYMBOL), _same),
    _Rule("identifier", re.compile(_IDENT), _same),
    _Rule("identifier", re.compile(_DOCUMENT_NUMBER, re.IGNORECASE), _same),
    _Rule("currency", _currency_pattern, _same, needs_digit=True),
    _Rule("ticker", re.compile(_EXCHANGE_TICKER), _same),
)
#: After the language's dates and figures (see :func:`find_spans`).
_RULES_LAST: tuple[_Rule, ...] = (
    _Rule("ticker", re.compile(_LATIN_CAPS), _same, only_non_latin=True),
)
_NUMBER_PATTERN = re.compile(_NUMBER)
_SPACED_PERCENT = re.compile(rf"{_THOUSANDS_SEP}[%‰]$")
#: The figure inside a number match (without sign, currency or percent).
_FIGURE = re.compile(r"\d(?:[\d.,\u00a0\u202f\u2009 ]*\d)?")


def _number_spans(text: str, lang: str | None) -> Iterable[Span]:
    """Figures in English notation (by ``lang``), with a scale word that follows."""
    scales = numbers.scale_pattern(lang) if lang else None
    for match in _NUMBER_PATTERN.finditer(text):
        written = _ascii_digits(match.group(0))
        end = match.end()
        if _SPACED_PERCENT.search(written):
            # A percent sign after a space is a word of its own to Apertium,
            # which lets it go from the span's words ("4,5 %" → "4.5 % %").
            written, end = written[:-2], end - 2
        figure = _FIGURE.search(written)
        if figure is None or lang is None:
            yield Span(match.start(), end, "number", written)
            continue
        english = numbers.to_english(figure.group(0), lang)
        kind = "ambiguous_number" if english.ambiguous else "number"
        replacement = written[: figure.start()] + english.english + written[figure.end() :]
        scale = scales.match(text, end) if scales else None
        if scale is not None and not english.ambiguous:
            replacement += " " + numbers.english_scale(scale.group(1), str(lang))
            end = scale.end()
        yield Span(match.start(), end, kind, replacement)


def find_spans(text: str, extra: Iterable[Span] = (), lang: str | None = None) -> list[Span]:
    """Every protected span of ``text``, without overlaps, in text order.

    ``extra`` spans (glossary matches) rank just after literal placeholders,
    URLs and e-mail addresses: curated names beat the generic patterns.
    ``lang`` (the source language) lets dates and figures be read in its
    notation and given their English form.
    """
    claimed = bytearray(len(text))
    spans: list[Span] = []

    def claim(span: Span) -> None:
        if span.end > span.start and not any(claimed[span.start : span.end]):
            claimed[span.start : span.end] = b"\x01" * (span.end - span.start)
            spans.append(span)

    def apply(rules: Sequence[_Rule]) -> None:
        for rule in rules:
            if rule.only_non_latin and (all_latin or is_latin_text(_unclaimed(text, claimed))):
                continue
            if rule.needs_digit and not has_digit:
                continue
            pattern = rule.pattern if isinstance(rule.pattern, re.Pattern) else rule.pattern()
            group = "span" if "span" in pattern.groupindex else 0
            for match in pattern.finditer(text):
                start, end = match.span(group)
                claim(Span(start, end, rule.kind, rule.replacement(match)))

    # Text with Latin letters only is Latin outside any span too (most text).
    all_latin = set(script_counts(text)) <= {"LATIN"}
    has_digit = any(ch.isdigit() for ch in text)
    apply(_RULES_BEFORE_GLOSSARY)
    for span in extra:
        claim(span)
    apply(_RULES_AFTER_GLOSSARY[:2])  # ISO and CJK dates
    if lang:
        for start, end, english in dates.find_dates(text, lang):
            claim(Span(start, end, "date", english))
    apply(_RULES_AFTER_GLOSSARY[2:])
    if lang:
        # After identifiers: "Ley 12/03/2025" is a law's number, kept as written.
        for start, end, kind, replacement in dates.find_numeric_dates(text, lang):
            claim(Span(start, end, kind, replacement))
    for span in _number_spans(text, lang):
        claim(span)
    apply(_RULES_LAST)
    spans.sort(key=lambda s: s.start)
    return spans


def _unclaimed(text: str, claimed: bytearray) -> str:
    """The text outside spans already claimed (URLs would make any text look Latin)."""
    return "".join(ch for ch, taken in zip(text, claimed, strict=True) if not taken)


def mask(text: str, spans: Sequence[Span]) -> Masked:
    """Replace ``spans`` (sorted, not overlapping) with ``[0]``, ``[1]``..."""
    parts: list[str] = []
    position = 0
    for index, span in enumerate(spans):
        parts.append(text[position : span.start])
        parts.append(placeholder(index))
        position = span.end
    parts.append(text[position:])
    return Masked(
        text="".join(parts),
        originals=tuple(text[s.start : s.end] for s in spans),
        replacements=tuple(s.replacement for s in spans),
    )


def unmask(text: str, values: Sequence[str]) -> Restored:
    """Put ``values`` back in place of the placeholders an engine returned."""
    seen = [0] * len(values)
    unknown: list[str] = []

    def put_back(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(values):
            unknown.append(match.group(0))
            return match.group(0)
        seen[index] += 1
        return values[index]

    restored = RESTORE_PATTERN.sub(put_back, text)
    return Restored(
        text=restored,
        lost=tuple(i for i, n in enumerate(seen) if n == 0),
        duplicated=tuple(i for i, n in enumerate(seen) if n > 1),
        unknown=tuple(unknown),
    )
