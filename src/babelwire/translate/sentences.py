"""Sentence boundaries, per language, by rule.

A boundary is a terminator (. ! ? … 。 ！ ？ ؟ ۔), then closing quotes or
brackets, then — for scripts that put spaces between words — whitespace and
something that can start a sentence. The exceptions are what makes it work:
abbreviations ("г.", "т.е.", "Sr.", "M.", "Dr.", "ст."), initials ("А. Гутерриш"),
ordinal dots ("am 5. Mai"), decimals (no space after the dot, so never a
candidate) and anything inside a protected span. When in doubt we do *not*
split: two sentences translated together are still translated, while a name
cut after its initial is translated wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_LATIN_COMMON = frozenset(
    {"dr", "prof", "st", "no", "nr", "art", "vol", "vs", "ca", "cf", "fig", "pp", "ed"}
)
#: Abbreviations that only ever stand before a number ("No. 5", "ст. 12"); before
#: anything else the word is a word ("He said no. Then...").
_BEFORE_NUMBER = frozenset({"no", "nr", "art", "vol", "fig", "pp", "ст", "пп", "núm", "nº"})


@dataclass(frozen=True, slots=True)
class LanguageRules:
    #: Lower-case, without the final dot; may contain inner dots ("т.е").
    abbreviations: frozenset[str] = frozenset()
    #: Abbreviations that do end a sentence after a number: "в 2025 г. Президент"
    #: ("г." is "year" after a number but "city" before a name: "г. Москва").
    after_number: frozenset[str] = frozenset()
    #: A dot after a number of one to three digits is an ordinal ("5. Mai").
    #: Only German needs this: elsewhere (pl "5. miejsce", tr "3. gün") the
    #: word after an ordinal is lower case, which already prevents a split.
    ordinal_dot: bool = False
    #: A CJK stop followed by a closing quote and more text stays inside the
    #: sentence in Japanese ("…です。」と述べた"); in Chinese the quote ends it.
    quote_continues: bool = False


def _rules(words: str, *, after_number: str = "", ordinal_dot: bool = False) -> LanguageRules:
    return LanguageRules(
        abbreviations=frozenset(words.split()) | _LATIN_COMMON,
        after_number=frozenset(after_number.split()),
        ordinal_dot=ordinal_dot,
    )


RULES: dict[str, LanguageRules] = {
    "en": _rules("mr mrs ms messrs jr sr gen col lt sgt capt cmdr adm gov sen rep pres hon "
                 "rev mt dept approx est e.g i.e a.m p.m u.s u.k u.n jan feb mar apr jun jul "
                 "aug sep sept oct nov dec"),
    "ru": _rules("г гг т.е т.д т.п т.к т.н им ул пр просп пер д кв ст п пп ч гл рис табл стр "
                 "см напр проф акад доц зам ген полк тов г-н г-жа обл р-н пос св вв н.э ред "
                 "англ рус лат нем франц", after_number="г гг"),
    "uk": _rules("р рр ст п пп вул просп ім проф акад доц д-р т.зв т.д т.п обл р-н м с",
                 after_number="р рр"),
    "es": _rules("sr sra srta sres d dña lic ing arq gral av avda c núm pág admón dpto excmo "
                 "excma ilmo sto sta ud uds vd vds ee.uu"),
    "fr": _rules("m mm mme mmes mlle mgr me pr ste p av bd éd env"),
    "de": _rules("hr fr str bzw vgl z.b u.a d.h ggf evtl inkl zzgl bspw abs bd jh s",
                 ordinal_dot=True),
    "pt": _rules("sr sra srª dra profa av n nº pág exmo exma sto sta v.exa dep sen gov"),
    "it": _rules("sig sigg dott avv ing on sen dep n pag c.a es gen p.es s.p.a"),
    "pl": _rules("hab mgr inż płk gen ks św ul al pl ust pkt poz tzw np m.in tj ok godz r tow "
                 "im woj pow", after_number="r"),
    "tr": _rules("doç av sn yy bkz örn s alb yzb org gen cad mah sok apt tel"),
    "ar": _rules("د م أ.د ص ه"),
    "fa": _rules("ه.ش ه.ق م"),
    "ja": LanguageRules(quote_continues=True),
    "zh": LanguageRules(),
    "ko": _rules(""),
}
_DEFAULT = _rules("")

_CJK_STOPS = "。！？"
_BOUNDARY = re.compile(r"(?P<term>[.!?…。！？؟۔]+)(?P<close>[»\"”’'」』）)\]]*)")
_OPENERS = "«\"„“‘'([¿¡—–-「『（"
_TOKEN_LEAD = "«\"„“‘'([¿¡「『（"


def _token_before(text: str, position: int) -> str:
    start = position
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:position].lstrip(_TOKEN_LEAD)


def _is_abbreviation(text: str, start: int, next_char: str, rules: LanguageRules) -> bool:
    """Whether the dot at ``start`` ends an abbreviation or an initial, not a sentence."""
    token = _token_before(text, start)
    lowered = token.lower()
    if lowered in _BEFORE_NUMBER and not next_char.isdigit():
        return False
    if lowered in rules.after_number:
        return not _previous_is_number(text, start - len(token))
    if len(token) == 1 and token.isalpha():
        return True  # an initial: "А. Гутерриш", "J. Smith"
    if rules.ordinal_dot and token.isdigit() and len(token) <= 3:
        return True
    if lowered in rules.abbreviations:
        return True
    # Dotted acronyms ("U.S.", "т.е.") not in the list: every part one or two letters.
    parts = lowered.split(".")
    return len(parts) > 1 and all(0 < len(p) <= 2 and p.isalpha() for p in parts)


def _previous_is_number(text: str, position: int) -> bool:
    stripped = text[:position].rstrip()
    return bool(stripped) and stripped[-1].isdigit()


def _starts_sentence(char: str) -> bool:
    if char.isalpha():
        # Upper case, or a script without case (Arabic, CJK, Hangul, Thai).
        return char.isupper() or not char.islower()
    return char.isdigit() or char in _OPENERS


def _accept(text: str, match: re.Match[str], rules: LanguageRules) -> int | None:
    """Where the next sentence starts if ``match`` ends one, else None."""
    term, close, end = match.group("term"), match.group("close"), match.end()
    if end >= len(text):
        return None
    if any(ch in _CJK_STOPS for ch in term):
        if close and rules.quote_continues and not text[end].isspace():
            return None
        return len(text) - len(text[end:].lstrip())
    if not text[end].isspace():
        return None  # "3.75", "U.S.A", "www.un.org"
    following = len(text) - len(text[end:].lstrip())
    if following >= len(text) or not _starts_sentence(text[following]):
        return None
    if term == "." and _is_abbreviation(text, match.start(), text[following], rules):
        return None
    return following


def split_sentences(
    text: str, lang: str, protected: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``; whitespace between them is left out.

    No boundary is placed inside a ``protected`` range.
    """
    rules = RULES.get(lang, _DEFAULT)
    inside = bytearray(len(text) + 1)
    for start, end in protected:
        inside[start:end] = b"\x01" * (end - start)
    sentences: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for match in _BOUNDARY.finditer(text):
        if match.start() < start or inside[match.start()]:
            continue
        following = _accept(text, match, rules)
        if following is None:
            continue
        sentences.append((start, match.end()))
        start = following
    end = len(text.rstrip())
    if start < end:
        sentences.append((start, end))
    return sentences
