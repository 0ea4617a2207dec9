"""Glossaries: one English spelling for every person and body, in every item.

A catalog glossary is a TOML file of terms::

    [[term]]
    source = "МООНСИ"
    target = "UNAMI"
    note = "UN Assistance Mission for Iraq"
    lang = "ru"              # optional: only for sources in this language
    case_sensitive = true    # optional: see below

A match is replaced by a placeholder before translation and by ``target``
after it, so the engine can neither translate nor re-spell the name.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babelwire.errors import CatalogError
from babelwire.translate.protect import Span

#: Languages whose nouns take case endings ("Гутерриш", "Гутерриша",
#: "Гутерришем"): a term's words match with a few extra letters after their stem.
INFLECTING = frozenset({"ru", "uk", "be", "pl", "cs", "sk", "sl", "hr", "sr", "bs", "lt", "lv"})
#: Shorter words match case-sensitively: "ООН" is the UN, "оон" is not a word,
#: but short lower-case look-alikes in Latin text ("US" / "us") are common.
CASELESS_MIN_LETTERS = 4
#: Endings added after a stem; Russian case endings are one to three letters.
MAX_SUFFIX_LETTERS = 3
#: A final vowel or soft sign is itself an ending ("Москва" → "Москве"), so it
#: is dropped from the stem of longer words.
_STEM_ENDINGS = "аеёиоуыэюяьйіїєaeiouy"


@dataclass(frozen=True, slots=True)
class Term:
    source: str
    target: str
    note: str = ""
    lang: str | None = None
    #: None: a term written with a capital matches as written (or in
    #: capitals throughout, as in a headline); a term written in lower case
    #: matches in any case when a word has CASELESS_MIN_LETTERS letters.
    case_sensitive: bool | None = None


@dataclass(frozen=True, slots=True)
class Glossary:
    terms: tuple[Term, ...]
    name: str = ""

    def spans(self, text: str, lang: str) -> list[Span]:
        """Glossary matches in ``text`` as protected spans, longest term first."""
        index = _compiled(self.terms, lang)
        spans: list[Span] = []
        position = 0
        for word in index.starts.finditer(text):
            start = word.start()
            if start < position:
                continue
            for pattern, target in index.patterns(text[start : start + _KEY_CHARS].casefold()):
                match = pattern.match(text, start)
                if match:
                    spans.append(Span(start, match.end(), "glossary", target))
                    position = match.end()
                    break
        return spans


def _case_sensitive(term: Term) -> bool:
    """A capitalised term is a name: "Rato" the surname must not match "un rato"."""
    if term.case_sensitive is not None:
        return term.case_sensitive
    return any(ch.isupper() for ch in term.source)


def _word_pattern(word: str, term: Term, lang: str) -> str:
    letters = sum(ch.isalpha() for ch in word)
    body = re.escape(word)
    if lang in INFLECTING and word.isupper() and letters >= 3:
        # Acronyms take their ending after a hyphen or straight on: "МИДа", "МООНСИ-ом".
        body += rf"(?:-?[^\W\d_]{{1,{MAX_SUFFIX_LETTERS}}})?"
    elif lang in INFLECTING and letters >= CASELESS_MIN_LETTERS:
        stem = word[:-1] if len(word) >= 5 and word[-1].lower() in _STEM_ENDINGS else word
        body = re.escape(stem) + rf"[^\W\d_]{{0,{MAX_SUFFIX_LETTERS}}}"
    caseless = not _case_sensitive(term) and (
        term.case_sensitive is not None or letters >= CASELESS_MIN_LETTERS
    )
    return f"(?i:{body})" if caseless else body


#: Terms are looked up by the first characters of a word (case-folded), and
#: only those few are tried there: one alternation of ~400 terms tried at
#: every word was most of the time the translate stage spent.
_KEY_CHARS = 2


class _Index:
    """Terms by key, and the word starts worth a look-up (a word whose first
    letter begins some term).

    A key's patterns are compiled the first time a word with that key is
    seen: compiling all ~365 official names of Spanish took most of a
    short text's start-up, and a text meets few of them.
    """

    def __init__(self, sources: dict[str, list[tuple[str, str]]], starts: re.Pattern[str]):
        self._sources = sources
        self._compiled: dict[str, list[tuple[re.Pattern[str], str]]] = {}
        self.starts = starts

    def patterns(self, key: str) -> list[tuple[re.Pattern[str], str]]:
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = [(re.compile(p), t) for p, t in self._sources.get(key, ())]
            self._compiled[key] = compiled
        return compiled


#: Indexes by (id of the terms tuple, language); the tuple is kept alongside
#: so that an id reused after garbage collection is never mistaken for it.
_INDEXES: dict[tuple[int, str], tuple[tuple[Term, ...], _Index]] = {}
_MAX_INDEXES = 256


def _compiled(terms: tuple[Term, ...], lang: str) -> _Index:
    key = (id(terms), lang)
    cached = _INDEXES.get(key)
    if cached is None or cached[0] is not terms:
        if len(_INDEXES) >= _MAX_INDEXES:
            _INDEXES.clear()
        cached = _INDEXES[key] = (terms, _compile(terms, lang))
    return cached[1]


def _term_pattern(term: Term, lang: str) -> str:
    between_words = r"\s+"
    words = between_words.join(_word_pattern(w, term, lang) for w in term.source.split())
    if _case_sensitive(term) and term.source.upper() != term.source:
        upper = Term(term.source.upper(), term.target, lang=term.lang, case_sensitive=True)
        capitals = between_words.join(_word_pattern(w, upper, lang) for w in upper.source.split())
        words = f"{words}|{capitals}"
    return rf"(?:{words})(?!\w)"


def _compile(terms: tuple[Term, ...], lang: str) -> _Index:
    chosen = [t for t in terms if t.lang in (None, lang) and t.source.strip()]
    # Longer terms first, so that "Совет Безопасности ООН" wins over "Совет
    # Безопасности" at the same place.
    chosen.sort(key=lambda t: len(t.source), reverse=True)
    index: dict[str, list[tuple[str, str]]] = {}
    first: set[str] = set()
    for term in chosen:
        entry = (_term_pattern(term, lang), term.target)
        index.setdefault(term.source[:_KEY_CHARS].casefold(), []).append(entry)
        head = term.source[0]
        # A capitalised term also matches in capitals; others in any case.
        cased = _case_sensitive(term)
        first.update((head, head.upper()) if cased else (head.upper(), head.lower()))
    letters = "".join(sorted(re.escape(ch) for ch in first)) or "^\\s\\S"
    return _Index(index, re.compile(rf"(?<!\w)[{letters}]"))


def _read_term(raw: Any, file: str, index: int) -> Term:
    where = f"term[{index}]"
    if not isinstance(raw, dict):
        raise CatalogError(file, where, "must be a table with source and target")
    for key in ("source", "target"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise CatalogError(file, f"{where}.{key}", "must be a non-empty string")
    unknown = set(raw) - {"source", "target", "note", "lang", "case_sensitive"}
    if unknown:
        raise CatalogError(file, where, f"unknown keys {sorted(unknown)}")
    case = raw.get("case_sensitive")
    if case is not None and not isinstance(case, bool):
        raise CatalogError(file, f"{where}.case_sensitive", "must be true or false")
    lang = raw.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise CatalogError(file, f"{where}.lang", "must be a language code such as 'ru'")
    return Term(
        source=raw["source"].strip(),
        target=raw["target"].strip(),
        note=str(raw.get("note", "")),
        lang=lang.lower() if lang else None,
        case_sensitive=case,
    )


def parse_glossary(text: str, file: str = "<glossary>") -> Glossary:
    """Read a glossary from TOML text; ``file`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(file, "toml", str(exc)) from None
    raw_terms = data.get("term", [])
    if not isinstance(raw_terms, list):
        raise CatalogError(file, "term", "must be an array of tables ([[term]])")
    terms = tuple(_read_term(raw, file, i) for i, raw in enumerate(raw_terms))
    return Glossary(terms=terms, name=Path(file).stem)


def load_glossary(path: Path) -> Glossary:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(str(path), "glossary", f"cannot read: {exc.strerror}") from None
    return parse_glossary(text, str(path))


#: The glossaries of official names shipped with the catalog, one per source
#: language: countries (from ISO 3166 translations) and international bodies.
OFFICIAL_NAMES = "official-{lang}.toml"


@lru_cache(maxsize=32)
def official_names(lang: str) -> Glossary | None:
    """The shipped glossary of official names for ``lang``, if there is one."""
    path = Path(__file__).resolve().parents[1] / "catalog" / "glossaries"
    file = path / OFFICIAL_NAMES.format(lang=lang)
    return load_glossary(file) if file.is_file() else None


class GlossaryLoader:
    """Finds a glossary by the name a source gives (``"un"`` or ``"un.toml"``).

    Each file is read once; the loader is built at start-up and shared.
    """

    def __init__(self, dirs: Sequence[Path]) -> None:
        self._dirs = tuple(dirs)
        self._loaded: dict[str, Glossary] = {}

    def __call__(self, name: str) -> Glossary:
        if name not in self._loaded:
            self._loaded[name] = load_glossary(self._find(name))
        return self._loaded[name]

    def _find(self, name: str) -> Path:
        candidates = [name] if name.endswith(".toml") else [name, name + ".toml"]
        for directory in self._dirs:
            for candidate in candidates:
                path = directory / candidate
                if path.is_file():
                    return path
        searched = ", ".join(str(d) for d in self._dirs) or "no directories"
        raise CatalogError(name, "glossary", f"no such glossary file in {searched}")
