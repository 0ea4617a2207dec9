"""Find known phrases (place names, bodies, topic keywords) in text of any script.

One tokenizer and one normaliser serve both sides: the phrase list and the
text are cut and folded the same way, so a phrase matches wherever its words
appear, whatever their case, accents or (roughly) inflection:

- Latin: case and accents are folded; an elided article ("l'Afghanistan")
  and a possessive ("Egypt's") are dropped.
- Cyrillic: ``ё`` is ``е`` and a common noun or adjective ending is cut, so
  "Москва", "Москве" and "Москвой" are one word. The cut is a lookup rule,
  not a stemmer: stems shorter than three letters are left whole, because
  there a cut ending merges different words ("Мали", "мало").
- Arabic: short vowels and tatweel are dropped, alif and ya forms unified and
  the article ``ال`` removed; at the first word a clitic (و ف ب ل ك) may be
  cut, so "بالسودان" and "والسودان" find "السودان".
- Han and kana: every character is a token, so a phrase is found inside an
  unspaced Chinese or Japanese sentence.

Matching is leftmost-longest: "Демократическая Республика Конго" wins over
"Конго" at the same place.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_LETTER = r"[^\W\d_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]"
_MARK = r"[\u0300-\u036f\u064b-\u065f\u0670\u0640]"
_WORD = rf"{_LETTER}(?:{_LETTER}|{_MARK}|\d)*(?:[-'’]{_LETTER}(?:{_LETTER}|{_MARK}|\d)*)*"
_TOKEN = re.compile(rf"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]|{_WORD}|\d+(?:[.,]\d+)*")
_ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_ELISION = re.compile(r"^(?:[ldjmnst]|qu)['’](?=\w)")
_POSSESSIVE = re.compile(r"['’]s$")
#: Longest first, so that "ами" is cut before "и".
_RU_ENDINGS = tuple(sorted([
    "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ов", "ев", "ей", "ой", "ом",
    "ем", "ам", "ям", "ах", "ях", "ую", "юю", "ая", "яя", "ое", "ее", "ые", "ие", "ых",
    "их", "ым", "им", "ий", "ый", "а", "я", "о", "е", "ы", "и", "у", "ю", "й", "ь"
], key=len, reverse=True))
_MIN_RU_STEM = 3
_ARABIC_CLITICS = "وفبلك"


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    norm: str


def is_cyrillic(word: str) -> bool:
    return "\u0400" <= word[0] <= "\u04ff"


def _is_arabic(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"


@functools.lru_cache(maxsize=1 << 16)
def normalize(word: str) -> str:
    """The folded form of one token; the same function folds phrases and text."""
    if not word:
        return word
    if _is_arabic(word):
        folded = _ARABIC_MARKS.sub("", word).translate(_ARABIC_FOLD)
        return folded[2:] if folded.startswith("ال") and len(folded) > 3 else folded
    folded = word.casefold()
    if is_cyrillic(word):
        folded = folded.replace("ё", "е")
        for ending in _RU_ENDINGS:
            if folded.endswith(ending) and len(folded) - len(ending) >= _MIN_RU_STEM:
                return folded[: -len(ending)]
        return folded
    folded = _POSSESSIVE.sub("", _ELISION.sub("", folded))
    if folded.isascii():
        return folded
    return "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end(), normalize(m.group()))
            for m in _TOKEN.finditer(text)]


def _first_forms(token: Token) -> list[str]:
    """The forms under which a phrase may start at ``token`` (Arabic clitics cut)."""
    forms = [token.norm]
    word = token.text
    if _is_arabic(word) and len(word) > 3:
        if word.startswith("لل"):
            forms.append(normalize("ال" + word[2:]))
        if word[0] in _ARABIC_CLITICS:
            forms.append(normalize(word[1:]))
            if word[1] in "بلك" and len(word) > 4:
                forms.append(normalize(word[2:]))
    return forms


def _looks_proper(word: str) -> bool:
    """A proper name in a cased script starts with a capital (after an elision)."""
    stripped = _ELISION.sub("", word)
    first = stripped[0]
    return first.isupper() or not first.islower()


@dataclass(frozen=True, slots=True)
class Match:
    value: str
    start: int
    end: int
    surface: str
    #: Index of the first token and number of tokens, to find what stands
    #: around a match.
    token_index: int
    token_count: int


class Lexicon:
    """A phrase table: phrase → value, found in text by :meth:`find`."""

    def __init__(self, *, proper_names: bool) -> None:
        #: True for names: the first word must be capitalised where the
        #: script has case, so "turkey" and "china" (the plate) stay words.
        self.proper_names = proper_names
        self._phrases: dict[tuple[str, ...], str] = {}
        self._firsts: set[str] = set()
        #: Every phrase's beginnings shorter than itself: a longer match is
        #: looked for only where some phrase goes on.
        self._prefixes: set[tuple[str, ...]] = set()
        #: Abbreviations written in capitals ("WHO", "US") match only in
        #: capitals, so that "who" and "us" stay words.
        self._capitals_only: set[tuple[str, ...]] = set()
        self._max_tokens = 1

    def add(self, phrase: str, value: str) -> None:
        """Add a phrase; the first value given for a phrase wins over later ones."""
        key = tuple(t.norm for t in tokenize(phrase))
        if key and key not in self._phrases:
            self._phrases[key] = value
            self._firsts.add(key[0])
            self._prefixes.update(key[:n] for n in range(1, len(key)))
            if phrase.isupper():
                self._capitals_only.add(key)
            self._max_tokens = max(self._max_tokens, len(key))

    def add_all(self, pairs: Iterable[tuple[str, str]]) -> None:
        for phrase, value in pairs:
            self.add(phrase, value)

    def __len__(self) -> int:
        return len(self._phrases)

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Match]:
        tokens = tokenize(text) if tokens is None else tokens
        return list(self._scan(text, tokens))

    def _scan(self, text: str, tokens: list[Token]) -> Iterator[Match]:
        firsts = self._firsts
        i = 0
        while i < len(tokens):
            # Most words start no phrase: tell so without building the forms
            # (only an Arabic word has forms other than its own).
            if tokens[i].norm not in firsts and not _is_arabic(tokens[i].text):
                i += 1
                continue
            found = self._longest_at(tokens, i)
            if found is None:
                i += 1
                continue
            length, value = found
            start, end = tokens[i].start, tokens[i + length - 1].end
            yield Match(value, start, end, text[start:end], i, length)
            i += length

    def _longest_at(self, tokens: list[Token], i: int) -> tuple[int, str] | None:
        firsts = [f for f in _first_forms(tokens[i]) if f in self._firsts]
        if not firsts or (self.proper_names and not _looks_proper(tokens[i].text)):
            return None
        top = min(self._max_tokens, len(tokens) - i)
        for first in firsts:
            # Grow the phrase a word at a time while some phrase starts so;
            # the longest one found wins.
            key: tuple[str, ...] = (first,)
            best = None
            while True:
                value = self._phrases.get(key)
                if value is not None and (key not in self._capitals_only or all(
                        t.text.isupper() for t in tokens[i : i + len(key)])):
                    best = len(key), value
                if len(key) >= top or key not in self._prefixes:
                    break
                key = (*key, tokens[i + len(key)].norm)
            if best is not None:
                return best
        return None
        top = min(self._max_tokens, len(tokens) - i)
        rest = [t.norm for t in tokens[i + 1 : i + top]]
        for first in firsts:
            for length in range(top, 0, -1):
                key = (first, *rest[: length - 1])
                value = self._phrases.get(key)
                if value is None:
                    continue
                if key in self._capitals_only and not all(
                    t.text.isupper() for t in tokens[i : i + length]
                ):
                    continue
                return length, value
        return None
