"""URL slugs from headlines: lowercase ASCII words joined by hyphens.

The slug is made from the ORIGINAL headline, so that a permalink reads like
the source's own title ("v-oon-zavershaet-missiyu" for a Russian story) and
does not change when a better translation engine rewords the English
headline. Cyrillic (with the usual per-language differences), Greek and Latin
letters with diacritics are transliterated with the small tables below, a
simplified, ASCII-only romanisation chosen for readability rather than
reversibility. Scripts without a table here (CJK, Arabic, Hebrew, Thai...)
cannot be romanised well by a table, so those headlines use the English
headline's slug instead.
"""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_CHARS = 80

#: Russian romanisation; the base for every Cyrillic language.
_CYRILLIC: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Letters of other Cyrillic alphabets, in their most common reading.
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ђ": "dj", "ј": "j",
    "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h",
}

#: Where a language reads a shared letter differently from Russian.
_CYRILLIC_BY_LANGUAGE: dict[str, dict[str, str]] = {
    "uk": {"г": "h", "и": "y", "й": "i", "ї": "i"},
    "be": {"г": "h", "і": "i", "и": "i"},
    "bg": {"щ": "sht", "ъ": "a"},
    # Serbian and Macedonian follow their own Latin alphabets, marks dropped.
    "sr": {"ц": "c", "ч": "c", "ш": "s", "ж": "z", "х": "h"},
    "mk": {"ц": "c", "х": "h"},
}

#: Modern Greek, simplified ELOT 743; accents are removed before the lookup.
_GREEK: dict[str, str] = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i",
    "θ": "th", "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x",
    "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y",
    "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}

#: Greek vowel pairs read as one sound; ELOT's "av"/"af" choice by the next
#: letter is simplified to "av"/"ev", which is how most signs spell them.
_GREEK_DIGRAPHS = re.compile(r"([οαε])[υύ]")
_GREEK_DIGRAPH_READINGS = {"ο": "ou", "α": "av", "ε": "ev"}

#: Latin letters that Unicode does not decompose into a base letter + mark.
_LATIN: dict[str, str] = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
    "þ": "th", "ı": "i", "ħ": "h", "ŋ": "ng", "ĸ": "q",
}

#: German writes umlauts as a following "e" when they cannot be printed.
_LATIN_BY_LANGUAGE: dict[str, dict[str, str]] = {
    "de": {"ä": "ae", "ö": "oe", "ü": "ue"},
}

#: A headline is romanised only when at most this share of its letters has no
#: table entry; above it the slug would be a few stray Latin words ("g20") of a
#: mostly Chinese or Arabic title, so the English headline is used instead.
MAX_UNKNOWN_LETTER_SHARE = 0.2

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _table(language: str | None) -> dict[str, str]:
    lang = (language or "").lower().replace("_", "-").split("-")[0]
    return {
        **_CYRILLIC, **_CYRILLIC_BY_LANGUAGE.get(lang, {}),
        **_GREEK, **_LATIN, **_LATIN_BY_LANGUAGE.get(lang, {}),
    }


def _romanise_char(char: str, table: dict[str, str]) -> str | None:
    """ASCII for one lowercase character; None for a letter with no reading."""
    if char.isascii():
        return char
    if unicodedata.combining(char):
        # A stray mark ("i̇" from lowercasing Turkish "İ") belongs to the letter before.
        return ""
    if (digit := unicodedata.decimal(char, None)) is not None:
        return str(digit)
    if char in table:
        return table[char]
    # "é" → "e" + U+0301, "ά" → "α" + U+0301: drop the marks, look the base up.
    # Cyrillic "й" and "ё" also decompose, which is why the table comes first.
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if base and base != char:
        parts = [_romanise_char(c, table) for c in base]
        if all(part is not None for part in parts):
            return "".join(part or "" for part in parts)
    return None if char.isalpha() else " "


def romanise(text: str, language: str | None = None) -> tuple[str, float]:
    """``text`` in ASCII, and the share of its letters that had no reading."""
    table = _table(language)
    lowered = _GREEK_DIGRAPHS.sub(lambda m: _GREEK_DIGRAPH_READINGS[m.group(1)], text.lower())
    out: list[str] = []
    letters = unknown = 0
    for char in lowered:
        reading = _romanise_char(char, table)
        if char.isalpha():
            letters += 1
        if reading is None:
            unknown += 1
            reading = " "
        out.append(reading)
    return "".join(out), (unknown / letters if letters else 0.0)


def slugify(text: str, max_chars: int = MAX_SLUG_CHARS) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary."""
    slug = _NON_ALNUM.sub("-", text.lower()).strip("-")
    if len(slug) <= max_chars:
        return slug
    cut = slug[: max_chars + 1]
    # Cut at the last whole word; a single word longer than the cap is cut hard.
    head = cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_chars]
    return head[:max_chars].strip("-")


def make_slug(
    original_headline: str | None,
    language: str | None,
    english_headline: str | None,
    fallback: str,
) -> str:
    """The item's slug: the original headline romanised, else English, else ``fallback``."""
    if original_headline:
        ascii_text, unknown_share = romanise(original_headline, language)
        if unknown_share <= MAX_UNKNOWN_LETTER_SHARE and (slug := slugify(ascii_text)):
            return slug
    if english_headline:
        ascii_text, _ = romanise(english_headline, "en")
        if slug := slugify(ascii_text):
            return slug
    return slugify(fallback) or "item"
