"""Language of the body text, with lingua; the only module that calls lingua.

The detector is built once, on first use, for a fixed set of languages: a
smaller set is faster and makes fewer mistakes between close languages that
the wire never sees. Its models load lazily, language by language. Scripts
that lingua does not cover but that belong to one language (Burmese, Khmer,
Georgian...) are recognised by their Unicode block before lingua is asked.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

#: Languages the detector chooses among (ISO 639-1).
DETECTED_LANGUAGES = (
    "ru", "uk", "be", "ar", "fa", "ur", "zh", "ja", "ko", "es", "fr", "de", "pt", "it", "pl",
    "tr", "en", "el", "he", "hi", "th", "vi", "sw", "lt", "lv", "et", "cs", "sk", "fi", "hr",
    "sr", "hu", "bg", "nl", "ro", "id", "sv",
)

#: Characters of body text given to the detector; more adds time, not accuracy.
SAMPLE_CHARS = 2_000

#: Below this confidence the detection is "unsure" and a declared language
#: among the top candidates is preferred.
CONFIDENT = 0.6

#: A script block above this share of the letters decides the language alone.
SCRIPT_SHARE = 0.5

# Scripts used by a single language that lingua does not model.
_SINGLE_LANGUAGE_SCRIPTS = (
    ("my", re.compile(r"[\u1000-\u109f]")),
    ("km", re.compile(r"[\u1780-\u17ff]")),
    ("lo", re.compile(r"[\u0e80-\u0eff]")),
    ("ka", re.compile(r"[\u10a0-\u10ff]")),
    ("hy", re.compile(r"[\u0530-\u058f]")),
    ("si", re.compile(r"[\u0d80-\u0dff]")),
    ("am", re.compile(r"[\u1200-\u137f]")),
)
_LETTER = re.compile(r"[^\W\d_]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Hiragana and katakana letters, without the middle dot and the long-vowel mark.
_KANA = re.compile(r"[\u3041-\u309f\u30a1-\u30fa]")

#: Han text with fewer kana than this share of its Han characters is Chinese.
KANA_SHARE = 0.05

_lock = threading.Lock()
_detector: LanguageDetector | None = None


@dataclass(frozen=True, slots=True)
class Detection:
    language: str
    confidence: float
    #: Runner-up codes in order, for weighing a declared language.
    candidates: tuple[tuple[str, float], ...] = ()


def detector() -> LanguageDetector:
    """The shared detector, built on first use (thread-safe)."""
    global _detector
    with _lock:
        if _detector is None:
            codes = [IsoCode639_1.from_str(code) for code in DETECTED_LANGUAGES]
            _detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
        return _detector


def detect(text: str) -> Detection | None:
    sample = text[:SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    if letters < 10:
        return None
    for code, script in _SINGLE_LANGUAGE_SCRIPTS:
        if len(script.findall(sample)) > SCRIPT_SHARE * letters:
            return Detection(code, 1.0)
    # Han text is Chinese unless it has kana: Japanese prose cannot be written
    # without hiragana, while Chinese uses the katakana middle dot "・" in
    # foreign names, which lingua takes for Japanese.
    han = len(_HAN.findall(sample))
    if han > SCRIPT_SHARE * letters and len(_KANA.findall(sample)) < KANA_SHARE * han:
        return Detection("zh", 1.0)
    values = detector().compute_language_confidence_values(sample)
    ranked = tuple(
        (v.language.iso_code_639_1.name.lower(), v.value) for v in values[:5] if v.value > 0
    )
    if not ranked:
        return None
    return Detection(ranked[0][0], ranked[0][1], ranked)


def choose_language(
    detection: Detection | None, declared: tuple[str, ...]
) -> tuple[str | None, float | None]:
    """The page language and its confidence, weighing detection against declarations.

    A confident detection wins over any declaration (pages copy templates with
    a wrong ``lang``). When unsure, the first declared language that lingua
    also ranks among its candidates is taken; with no detection at all the
    first declaration stands, with no confidence.
    """
    if detection is None:
        return (declared[0], None) if declared else (None, None)
    if detection.confidence >= CONFIDENT:
        return detection.language, detection.confidence
    scores = dict(detection.candidates)
    for code in declared:
        if code in scores:
            return code, scores[code]
    return detection.language, detection.confidence
