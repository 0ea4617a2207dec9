"""The search box's language, parsed into a small tree the store compiles.

    UN "peace mission" -draft Iraq OR Syria region:"Middle East"

- words and "quoted phrases" (curly quotes work too) must all match
  (implicit AND; an upper-case ``AND`` may be written and is ignored);
- ``OR`` (upper case) between two terms makes either one enough;
- ``-word`` or ``-"a phrase"`` excludes items that contain it;
- ``region:``, ``source:``, ``language:`` and ``section:`` filter on the
  item's fields (``region:"Russian Federation"`` for values with spaces),
  ``country:FR``, ``entity:"António Guterres"`` and ``topic:medtop:11000000``
  on what the enrich stage found; they become ItemQuery-level filters, not
  text to match.

Terms are reduced here to the tokens the index holds (:func:`tokens`), so
the store can build its engine's query from tokens alone: no character a
user typed ever reaches FTS5 or ``to_tsquery`` syntax. A malformed query
raises :class:`ParseError` with a one-line message for the reader; nothing
else is raised, whatever the input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from babelwire.store.query.contract import QueryError

#: Field name in the query -> ItemQuery attribute it filters on.
FIELDS = {"region": "region", "source": "source_id", "language": "language", "section": "section",
          "country": "country", "entity": "entity", "topic": "topic"}

#: Longer queries are refused: no reader types them, and each term costs the
#: engine a posting-list walk.
MAX_QUERY_CHARS = 2000
MAX_TERMS = 32

_FIELD_HELP = ", ".join(f"{name}:" for name in FIELDS)
# Control characters (NUL included) are read as spaces: a database refuses
# some of them, and none can mean anything in a query.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"'})
_FIELD = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)


class ParseError(QueryError):
    """Search text that cannot be read; ``reason`` is shown to the reader."""

    stage = "search"


#: Han, Hiragana and Katakana: scripts written without spaces between words.
#: Each such character is indexed as a word of its own, so that any run of
#: them can be found as a phrase (a substring search); word segmentation
#: would need a dictionary per language. Hangul is left alone: Korean puts
#: spaces between words.
CJK_RANGES = (
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf"  # CJK Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\U00020000-\U0003134f"  # Extensions B to G
)

def _mark_ranges() -> str:
    # Combining marks (categories Mn, Mc, Me) of the Basic Multilingual
    # Plane: they belong to the word they sit in (Devanagari vowel signs,
    # Arabic harakat), but are not in the regex ``\w``.
    marks = [chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c))[0] == "M"]
    return "".join(re.escape(mark) for mark in marks)


# A token: one CJK character, or a run of letters, digits and marks.
_TOKEN = re.compile(f"[{CJK_RANGES}]|(?:(?![{CJK_RANGES}])(?:[^\\W_]|[{_mark_ranges()}]))+")


def tokens(text: str) -> tuple[str, ...]:
    """Lower-cased runs of letters, digits and combining marks; every CJK
    character is a token by itself. Everything else separates tokens."""
    return tuple(_TOKEN.findall(text.lower()))


@dataclass(frozen=True, slots=True)
class Term:
    #: As typed, without quotes or the leading "-".
    text: str
    #: What the index must hold, in this order and adjacent (a phrase when
    #: there are several: "co-operation" is the phrase "co operation").
    tokens: tuple[str, ...]
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Terms joined by OR: one of them is enough."""

    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Query:
    #: Every group must match (implicit AND).
    required: tuple[AnyOf, ...] = ()
    #: No item containing one of these is returned.
    excluded: tuple[Term, ...] = ()
    #: (ItemQuery attribute, value), e.g. ("region", "France").
    fields: tuple[tuple[str, str], ...] = ()

    @property
    def has_text(self) -> bool:
        return bool(self.required or self.excluded)

    def field(self, attribute: str) -> str | None:
        return dict(self.fields).get(attribute)


@dataclass(frozen=True, slots=True)
class _Lexeme:
    kind: str  # "term", "or" or "field"
    text: str = ""
    quoted: bool = False
    negated: bool = False
    field: str = ""


def parse(text: str) -> Query:
    """The query tree of ``text``; raises ParseError for a malformed query."""
    if len(text) > MAX_QUERY_CHARS:
        raise ParseError(f"the query is longer than {MAX_QUERY_CHARS} characters")
    lexemes = _lex(_CONTROL.sub(" ", text).translate(_QUOTES))
    required, excluded, fields = _group(lexemes)
    if sum(len(group.terms) for group in required) + len(excluded) > MAX_TERMS:
        raise ParseError(f"too many terms (at most {MAX_TERMS})")
    if not (required or excluded or fields):
        raise ParseError(
            f'nothing to search for in {_quote(text)} (use words, "phrases", '
            f"-word, OR, {_FIELD_HELP})"
        )
    return Query(tuple(required), tuple(excluded), tuple(fields.items()))


def _quote(text: str, max_chars: int = 40) -> str:
    shown = " ".join(text.split())
    return repr(shown if len(shown) <= max_chars else shown[:max_chars] + "…")


def _lex(text: str) -> list[_Lexeme]:
    out: list[_Lexeme] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-"
        if negated:
            i += 1
            if i == n or text[i].isspace():
                continue  # a lone "-" excludes nothing
        if text[i] == '"':
            phrase, i = _phrase(text, i)
            out.append(_Lexeme("term", phrase, quoted=True, negated=negated))
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] != '"':
            i += 1
        word = text[start:i]
        field = _FIELD.fullmatch(word)
        if field is not None:
            value = field.group(2)
            if not value and i < n and text[i] == '"':
                value, i = _phrase(text, i)
            out.append(_field_lexeme(field.group(1), value, negated))
        elif word == "OR" and not negated:
            out.append(_Lexeme("or"))
        elif word == "AND" and not negated:
            continue  # what juxtaposition already means

        else:
            out.append(_Lexeme("term", word, negated=negated))
    return out


def _phrase(text: str, start: int) -> tuple[str, int]:
    """The text between the quote at ``start`` and its closing quote, and the
    index after the closing quote."""
    end = text.find('"', start + 1)
    if end < 0:
        rest = " ".join(text[start + 1 :].split())
        if not rest:
            raise ParseError('unclosed quote (") at the end of the query')
        shown = rest if len(rest) <= 40 else rest[:40] + "…"
        raise ParseError(f'unclosed quote after "{shown}')
    return text[start + 1 : end], end + 1


def _field_lexeme(name: str, value: str, negated: bool) -> _Lexeme:
    key = name.lower()
    if key not in FIELDS:
        raise ParseError(f"unknown field '{name}:' (use {_FIELD_HELP})")
    if negated:
        raise ParseError(f"a field cannot be excluded (-{key}:); filter on a value")
    value = " ".join(value.split())
    if not value:
        raise ParseError(f'{key}: needs a value, e.g. {key}:France or {key}:"a b"')
    return _Lexeme("field", value, field=FIELDS[key])


def _group(
    lexemes: list[_Lexeme],
) -> tuple[list[AnyOf], list[Term], dict[str, str]]:
    required: list[AnyOf] = []
    excluded: list[Term] = []
    fields: dict[str, str] = {}
    pending: list[Term] = []  # the OR group being built
    joining = False  # the previous lexeme was OR
    previous_kind = ""
    for lexeme in lexemes:
        if lexeme.kind == "or":
            if previous_kind != "plain" or joining:
                raise ParseError("OR needs a word or phrase on each side")
            joining = True
        elif lexeme.kind == "field":
            _need_no_or(joining)
            _set_field(fields, lexeme)
        elif lexeme.negated:
            _need_no_or(joining)
            term = _term(lexeme)
            if term is not None:
                excluded.append(term)
        else:
            if not joining and pending:
                required.append(AnyOf(tuple(pending)))
                pending = []
            term = _term(lexeme)
            if term is not None:
                pending.append(term)
            joining = False
        previous_kind = "plain" if lexeme.kind == "term" and not lexeme.negated else lexeme.kind
    _need_no_or(joining)
    if pending:
        required.append(AnyOf(tuple(pending)))
    return required, excluded, fields


def _need_no_or(joining: bool) -> None:
    if joining:
        raise ParseError("OR needs a word or phrase on each side")


def _set_field(fields: dict[str, str], lexeme: _Lexeme) -> None:
    known = fields.get(lexeme.field)
    if known is not None and known.casefold() != lexeme.text.casefold():
        name = next(key for key, attr in FIELDS.items() if attr == lexeme.field)
        raise ParseError(f"{name}: given twice ({known!r} and {lexeme.text!r})")
    fields[lexeme.field] = lexeme.text


def _term(lexeme: _Lexeme) -> Term | None:
    # A term without letters or digits ("*", "(", "^") has nothing to match:
    # it is dropped rather than refused, as a search engine would.
    found = tokens(lexeme.text)
    return Term(lexeme.text, found, lexeme.quoted) if found else None
