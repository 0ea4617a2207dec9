"""Names of people and places found in the source, to be kept as written.

Rule-based engines translate a name whose words are also dictionary words:
"Arnoldo Alemán" → "Arnoldo German", "Rafael España" → "Rafael Spain",
"Mato Grosso" → "Kill Grosso". Two recognisers find such names in text in
Latin script, where capitals mark them:

* a person: a known given name followed by up to three capitalised words
  (the surnames), possibly joined by "de", "del", "da"... A given name alone
  is left to the engine, which keeps it;
* a place: the name of a country subdivision (ISO 3166-2, from pycountry,
  kept in ``data/place_names.txt``) written with its capitals. A one-word
  place at the start of a sentence is left alone: there, "Misiones" may be
  the word and not the province.

Names of bodies and countries with an English form come from glossaries
(``catalog/glossaries/official-*.toml``), which map rather than keep.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from babelwire.translate.protect import Span

#: Languages written in Latin script whose capitals these rules rely on.
LATIN_LANGUAGES = frozenset({"es", "pt", "fr", "it", "ca", "gl", "ro", "de", "nl"})
_UPPER = "A-ZÁÉÍÓÚÜÑÇÀÈÌÒÙÂÊÎÔÛÃÕÄÖ"
_CAPITALISED = rf"[{_UPPER}][\w'’-]*[^\W\d_]"
_PARTICLE = r"(?:(?:de\s+la|de\s+los|de\s+las|del|de|da|do|dos|das|di|van|von)\s+)"
#: Shortest place name (letters) taken from the subdivision list: shorter
#: ones ("Oio", "Ica") collide with abbreviations and words.
PLACE_MIN_LETTERS = 4
#: Subdivision names that are also everyday words in the languages above.
_PLACE_WORDS = frozenset({
    "Central", "Capital", "Centro", "Norte", "Sur", "Este", "Oeste", "Oriental", "Occidental",
    "Distrito", "Nacional", "Frontera", "Litoral", "Costa", "Sierra", "Selva", "Valle", "Islas",
    "Metropolitana", "Santa", "Paz", "Sucre", "Unión", "Libertad", "Progreso", "Amazonas",
    "Ciudad", "Nord", "Sud", "Est", "Ouest", "Centre", "Capitale",
})  # fmt: skip


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    text = resources.files("babelwire.translate").joinpath("data/given_names.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _person_pattern() -> re.Pattern[str]:
    names = sorted(given_names(), key=len, reverse=True)
    given = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    surname = rf"\s+{_PARTICLE}?{_CAPITALISED}"
    return re.compile(rf"(?<![\w])(?:{given})(?:{surname}){{1,3}}(?![\w])")


#: The subdivision names, one a line. Reading pycountry's database took
#: 0.4 s, most of a short text's start-up; tests check the file against it.
PLACE_NAMES_FILE = "data/place_names.txt"


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Subdivision names in Latin script, as written in ISO 3166-2."""
    text = resources.files("babelwire.translate").joinpath(PLACE_NAMES_FILE)
    return frozenset(line for line in text.read_text(encoding="utf-8").splitlines() if line)


def subdivision_names() -> frozenset[str]:
    """:func:`place_names` as pycountry gives them today (what the data file holds).

    Regenerate the file after a pycountry upgrade with
    ``python -c "from babelwire.translate.names import write_place_names as w; w()"``.
    """
    import pycountry

    names = set()
    for subdivision in pycountry.subdivisions:
        name = str(subdivision.name)
        letters = sum(ch.isalpha() for ch in name)
        # Latin letters only (the capitals rule needs them), no qualifiers.
        latin = all(ord(ch) < 0x250 for ch in name if ch.isalpha())
        plain = "," not in name and "(" not in name and name[:1].isupper()
        if latin and plain and letters >= PLACE_MIN_LETTERS and name not in _PLACE_WORDS:
            names.add(name)
    return frozenset(names)


def write_place_names() -> None:
    path = resources.files("babelwire.translate").joinpath(PLACE_NAMES_FILE)
    with resources.as_file(path) as file:
        file.write_text("".join(f"{n}\n" for n in sorted(subdivision_names())), encoding="utf-8")


@lru_cache(maxsize=1)
def _places_by_start() -> dict[str, tuple[str, ...]]:
    """Place names by their first two letters, longest first (one dictionary
    look-up per word instead of an alternation of ~4,000 names)."""
    index: dict[str, list[str]] = {}
    for name in sorted(place_names(), key=len, reverse=True):
        index.setdefault(name[:2], []).append(name)
    return {key: tuple(names) for key, names in index.items()}


@lru_cache(maxsize=1)
def _place_starts() -> re.Pattern[str]:
    """Word starts with a letter some place name starts with (capitals, mostly)."""
    letters = "".join(sorted({re.escape(key[0]) for key in _places_by_start()}))
    return re.compile(rf"(?<!\w)[{letters}]")


def _find_places(text: str) -> list[tuple[int, int]]:
    index = _places_by_start()
    found: list[tuple[int, int]] = []
    position = 0
    for word in _place_starts().finditer(text):
        start = word.start()
        if start < position:
            continue
        for name in index.get(text[start : start + 2], ()):
            end = start + len(name)
            if text.startswith(name, start) and not text[end : end + 1].isalnum():
                found.append((start, end))
                position = end
                break
    return found


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \"'«“¿¡(")
    return not before or before[-1] in ".!?:\n"


def person_spans(text: str, lang: str) -> list[Span]:
    """People's names in ``text`` (kind ``"name"``, kept as written)."""
    if lang not in LATIN_LANGUAGES:
        return []
    return [Span(m.start(), m.end(), "name", m.group(0)) for m in _person_pattern().finditer(text)]


def place_spans(text: str, lang: str) -> list[Span]:
    """Place names in ``text`` (kind ``"name"``, kept as written).

    They rank after glossary terms: "La Unión" is a department of El Salvador
    and the start of "La Unión Europea".
    """
    if lang not in LATIN_LANGUAGES:
        return []
    spans = []
    for start, end in _find_places(text):
        if " " not in text[start:end] and _starts_sentence(text, start):
            continue
        spans.append(Span(start, end, "name", text[start:end]))
    return spans
