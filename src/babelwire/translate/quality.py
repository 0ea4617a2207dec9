"""Checks on one translated piece; each returns its flag name or None.

A flagged piece goes to the next engine for its language pair; what is still
flagged after the last engine keeps its flags, which travel with the
translation into the stored item. Every threshold below is a heuristic and
says why it is what it is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from babelwire.translate.engine import UNKNOWN_MARK
from babelwire.translate.protect import RESTORE_PATTERN
from babelwire.translate.scripts import dominant_script, script_counts


@dataclass(frozen=True, slots=True)
class Sample:
    """What a check looks at."""

    #: The source piece as written.
    source: str
    #: The engine's output after placeholders were put back.
    output: str
    source_lang: str
    #: The source with protected spans replaced by their English form (glossary
    #: targets, ASCII digits): the numbers the output must contain.
    expected: str
    #: Placeholders lost, duplicated or invented by the engine.
    placeholder_faults: int = 0
    #: The protected texts put back into the output (their letters are
    #: expected there, whatever their script: a ".рф" URL, a glossary name).
    kept: tuple[str, ...] = ()
    #: Words the engine itself reported as untranslated (Apertium's marks).
    marked: tuple[str, ...] = ()
    #: Whether the engine reports untranslated words; if not, the output is
    #: checked for words copied from the source.
    engine_marks: bool = False
    #: Figures left as written because their notation admits two values.
    ambiguous: tuple[str, ...] = ()
    #: Dates in figures left as written: (``ambiguous_date`` or
    #: ``invalid_date``, the date as written).
    unclear_dates: tuple[tuple[str, str], ...] = ()


Check = Callable[[Sample], str | None]


def check_empty(s: Sample) -> str | None:
    has_content = any(ch.isalnum() for ch in s.source)
    return "empty" if has_content and not any(ch.isalnum() for ch in s.output) else None


#: English characters per source character, (lowest, highest) accepted, by the
#: source's script, and the shortest source (in characters) a ratio is taken
#: for: short pieces ("Итоги", "Q&A") have no meaningful ratio. Han packs a
#: word into one or two characters, so English is two to four times longer and
#: eight Han characters are already a sentence; kana and Hangul sit between
#: Han and alphabets; Cyrillic, Arabic and Latin text come out about as long as
#: they went in. The bands are wide on purpose: a real translation rarely
#: leaves them, while a truncated output or a runaway repetition does.
LENGTH_RATIO_BANDS: dict[str, tuple[float, float, int]] = {
    "HAN": (0.8, 8.0, 8),
    "KANA": (0.6, 6.0, 10),
    "HANGUL": (0.8, 6.0, 10),
    "ARABIC": (0.5, 3.0, 20),
    "HEBREW": (0.5, 3.0, 20),
    "CYRILLIC": (0.4, 2.5, 20),
    "LATIN": (0.4, 2.5, 20),
}
_DEFAULT_BAND = (0.3, 4.0, 20)


def check_length_ratio(s: Sample) -> str | None:
    source = s.expected.strip()
    low, high, min_chars = LENGTH_RATIO_BANDS.get(dominant_script(source), _DEFAULT_BAND)
    if len(source) < min_chars or not s.output.strip():
        return None
    ratio = len(s.output.strip()) / len(source)
    return "length_ratio" if not low <= ratio <= high else None


_WORD = re.compile(r"[^\W\d_]+")
#: An n-gram repeated this many times in a row is a decoder loop, not style
#: ("pre-pre-pre", "the war of the war of the war of").
REPEAT_RUN = 3
#: Longer outputs with so few distinct words are loops too.
DISTINCT_WORDS_MIN_SHARE = 0.3
DISTINCT_WORDS_MIN_COUNT = 20


#: One to four words, then the same words REPEAT_RUN - 1 more times, over the
#: text's words joined by single spaces (the regex engine does the scanning).
_LOOP = re.compile(rf"(?<!\S)((?:\S+ ){{1,4}})\1{{{REPEAT_RUN - 1}}}")


def _has_loop(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text)]
    if _LOOP.search(" ".join(words) + " "):
        return True
    if len(words) >= DISTINCT_WORDS_MIN_COUNT:
        return len(set(words)) / len(words) < DISTINCT_WORDS_MIN_SHARE
    return False


def check_repetition(s: Sample) -> str | None:
    # A source that repeats itself ("Ура! Ура! Ура!") may be translated that way.
    return "repetition" if _has_loop(s.output) and not _has_loop(s.source) else None


#: Letters of these scripts do not belong in English output.
FOREIGN_SCRIPTS = frozenset(
    {"CYRILLIC", "ARABIC", "HAN", "KANA", "HANGUL", "HEBREW", "GREEK", "THAI", "DEVANAGARI",
     "GEORGIAN", "ARMENIAN"}
)
#: A few foreign letters are legitimate (a name given in the original in
#: brackets, a quoted slogan); an untranslated clause is far more than a tenth
#: of a sentence's letters, a bracketed name in a full sentence far less.
SOURCE_SCRIPT_MAX_SHARE = 0.1
SOURCE_SCRIPT_MIN_LETTERS = 3


def check_source_script(s: Sample) -> str | None:
    counts = script_counts(s.output)
    kept = script_counts("".join(s.kept))
    foreign = sum(
        max(0, n - kept[script]) for script, n in counts.items() if script in FOREIGN_SCRIPTS
    )
    total = sum(counts.values())
    if foreign >= SOURCE_SCRIPT_MIN_LETTERS and foreign / total > SOURCE_SCRIPT_MAX_SHARE:
        return "source_script"
    return None


#: What models trained on subtitles and talks add to text that never said it.
BOILERPLATE = re.compile(
    r"\((?:laughter|applause|music|laughs|cheers)\)|subtitles by|translated by|"
    r"♪|amara\.org|thank you for watching|subscribe to (?:my|our) channel",
    re.IGNORECASE,
)


def check_hallucinated_boilerplate(s: Sample) -> str | None:
    found = {m.group(0).lower() for m in BOILERPLATE.finditer(s.output)}
    present = {m.group(0).lower() for m in BOILERPLATE.finditer(s.source)}
    return "hallucinated_boilerplate" if found - present else None


_NUMBER = re.compile(r"\d+")
#: Scripts whose numerals may legitimately become digits in English (三 → 3).
_NUMERAL_SCRIPTS = frozenset({"HAN", "KANA"})
_ROMAN = re.compile(r"(?<![^\W\d_])[IVXLCDM]{2,7}(?![^\W\d_])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    return sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))


def check_numbers_differ(s: Sample) -> str | None:
    expected = Counter(_NUMBER.findall(RESTORE_PATTERN.sub("", s.expected)))
    found = Counter(_NUMBER.findall(RESTORE_PATTERN.sub("", s.output)))
    missing = expected - found
    extra = found - expected
    if dominant_script(s.source) in _NUMERAL_SCRIPTS:
        extra = Counter()
    # "siglo XX", "XXI век" are rightly translated as "20th century", "21st".
    extra -= Counter(str(_roman_value(m)) for m in _ROMAN.findall(s.expected))
    return "numbers_differ" if missing or extra else None


def check_placeholder_lost(s: Sample) -> str | None:
    return "placeholder_lost" if s.placeholder_faults else None


#: Sources this short can equal their translation ("Madrid", "UNICEF 2025").
UNTRANSLATED_MIN_WORDS = 3


def check_untranslated(s: Sample) -> str | None:
    if " ".join(s.output.split()).casefold() != " ".join(s.expected.split()).casefold():
        return None
    words = _WORD.findall(s.expected)
    foreign = any(script in FOREIGN_SCRIPTS for script in script_counts(s.expected))
    return "untranslated" if foreign or len(words) >= UNTRANSLATED_MIN_WORDS else None


_MARKED = re.compile(UNKNOWN_MARK + r"([^\W_](?:[\w'’-]*[^\W_])?)?")


def split_marks(output: str) -> tuple[str, tuple[str, ...]]:
    """An engine output without :data:`UNKNOWN_MARK`, and the words it marked."""
    words = tuple(dict.fromkeys(m.group(1) for m in _MARKED.finditer(output) if m.group(1)))
    return output.replace(UNKNOWN_MARK, ""), words


#: Words spelled the same in English and in Romance or Germanic sources: a
#: copy of one of them is a translation, not residue. Copies shorter than
#: RESIDUE_MIN_LETTERS letters are ignored for the same reason ("plan", "via").
SHARED_WORDS = frozenset({
    "actual", "animal", "area", "capital", "central", "civil", "club", "control", "crisis",
    "cultural", "debate", "decimal", "digital", "doctor", "error", "final", "formal", "fiscal",
    "general", "global", "hospital", "hotel", "ideal", "idea", "internet", "legal", "local",
    "manual", "media", "metal", "mineral", "moral", "motor", "natural", "normal", "original",
    "personal", "plural", "popular", "radio", "real", "regional", "rural", "sector", "social",
    "solar", "taxi", "terror", "total", "trauma", "virus", "visa", "vital",
})  # fmt: skip
RESIDUE_MIN_LETTERS = 4


def _copied_words(s: Sample) -> list[str]:
    """Source words an engine without marks left in the output, protected text aside."""
    kept = {w.casefold() for text in s.kept for w in _WORD.findall(text)}
    source = {w.casefold() for w in _WORD.findall(s.source)} - kept
    if dominant_script(s.source) != "LATIN":
        return [
            w for w in _WORD.findall(s.output)
            if dominant_script(w) in FOREIGN_SCRIPTS and w.casefold() not in kept
        ]  # fmt: skip
    return [
        w for w in _WORD.findall(s.output)
        # A capitalised copy is a name; a short or shared word is also English.
        if w.islower() and len(w) >= RESIDUE_MIN_LETTERS and w in source
        and w not in SHARED_WORDS
    ]  # fmt: skip


def check_residue(s: Sample) -> str | None:
    """Source words left untranslated, named in the flag: ``residue(prorrogada)``."""
    # A capitalised word the engine did not know is a name ("Grosso"), or a
    # code ("USD"), which English keeps as written.
    marked = [w for w in s.marked if w[:1].islower()]
    words = marked if s.engine_marks else _copied_words(s)
    if not words:
        return None
    return f"residue({', '.join(dict.fromkeys(words))})"


def check_ambiguous_number(s: Sample) -> str | None:
    """Figures a reader must check against the source: ``ambiguous_number(1,234)``."""
    return f"ambiguous_number({'; '.join(s.ambiguous)})" if s.ambiguous else None


def _dates_of_kind(kind: str) -> Check:
    def check(s: Sample) -> str | None:
        dates = [written for found, written in s.unclear_dates if found == kind]
        return f"{kind}({'; '.join(dict.fromkeys(dates))})" if dates else None

    check.__doc__ = f"Dates in figures left as written: ``{kind}(12/25/2025)``."
    return check


check_ambiguous_date = _dates_of_kind("ambiguous_date")
check_invalid_date = _dates_of_kind("invalid_date")

#: Flags about the source, not the engine's work: every engine would raise
#: them, so they do not send a segment on to the next engine.
SOURCE_FLAGS = frozenset({"ambiguous_number", "ambiguous_date", "invalid_date"})

#: Every check, in the order flags are reported.
CHECKS: tuple[tuple[str, Check], ...] = (
    ("empty", check_empty),
    ("untranslated", check_untranslated),
    ("placeholder_lost", check_placeholder_lost),
    ("source_script", check_source_script),
    ("hallucinated_boilerplate", check_hallucinated_boilerplate),
    ("repetition", check_repetition),
    ("numbers_differ", check_numbers_differ),
    ("length_ratio", check_length_ratio),
    ("residue", check_residue),
    ("ambiguous_number", check_ambiguous_number),
    ("ambiguous_date", check_ambiguous_date),
    ("invalid_date", check_invalid_date),
)

#: How bad each flag is, for choosing the least bad output when every engine
#: failed: an empty or untranslated output is worse than a slightly long one.
SEVERITY: dict[str, int] = {
    "empty": 100,
    "untranslated": 90,
    "source_script": 70,
    "placeholder_lost": 60,
    "hallucinated_boilerplate": 50,
    "repetition": 40,
    "numbers_differ": 30,
    "length_ratio": 10,
    "residue": 20,
    "ambiguous_number": 0,
    "ambiguous_date": 0,
    "invalid_date": 0,
}


def run_checks(sample: Sample) -> tuple[str, ...]:
    """The flags ``sample`` raises, in :data:`CHECKS` order."""
    return tuple(flag for _, check in CHECKS if (flag := check(sample)) is not None)


def flag_name(flag: str) -> str:
    """``"residue(prorrogada)"`` → ``"residue"``: flags may carry their details."""
    return flag.split("(", 1)[0]


def badness(flags: tuple[str, ...]) -> int:
    return sum(SEVERITY.get(flag_name(flag), 50) for flag in flags)
