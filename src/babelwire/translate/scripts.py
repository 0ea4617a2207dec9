"""Which writing system letters belong to, for masking and quality checks.

The Unicode character name starts with the script for every letter we care
about ("CYRILLIC SMALL LETTER A", "CJK UNIFIED IDEOGRAPH-4E2D", "HANGUL
SYLLABLE GA"), which is enough here and needs no extra library.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

#: Name prefixes folded into one script: Japanese mixes Han and kana, and a
#: check only needs to know that the text is "CJK-like".
_FOLD = {
    "CJK": "HAN",
    "HIRAGANA": "KANA",
    "KATAKANA": "KANA",
    "HALFWIDTH": "KANA",  # halfwidth katakana; halfwidth Latin is rare in body text
    "FULLWIDTH": "LATIN",
}


@lru_cache(maxsize=4096)
def script_of(char: str) -> str:
    """"LATIN", "CYRILLIC", "ARABIC", "HAN", "KANA", "HANGUL", "GREEK"...; "" for non-letters."""
    if not char.isalpha():
        return ""
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    return _FOLD.get(first, first)


def script_counts(text: str) -> Counter[str]:
    """Letters per script in ``text``."""
    # Counting characters first (in C) and naming each distinct one once is
    # many times faster than naming every character: quality checks run this
    # on every sentence.
    counts: Counter[str] = Counter()
    for char, n in Counter(text).items():
        if script := script_of(char):
            counts[script] += n
    return counts


def dominant_script(text: str) -> str:
    """The script most letters of ``text`` are in; "" when it has no letters."""
    counts = script_counts(text)
    if not counts:
        return ""
    # Japanese text is mostly Han with kana around it; kana anywhere means Japanese.
    if counts.get("KANA") and counts.get("HAN"):
        return "KANA"
    return counts.most_common(1)[0][0]


def is_latin_text(text: str) -> bool:
    """True when most letters are Latin (or there are none)."""
    return dominant_script(text) in {"", "LATIN"}
