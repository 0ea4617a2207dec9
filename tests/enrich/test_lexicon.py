from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from babelwire.enrich.lexicon import Lexicon, normalize


def _lexicon() -> Lexicon:
    lexicon = Lexicon(proper_names=True)
    lexicon.add_all([
        ("Москва", "moscow"), ("Moscow", "moscow"), ("موسكو", "moscow"), ("莫斯科", "moscow"),
        ("Конго", "cg"), ("Демократическая Республика Конго", "cd"), ("السودان", "sd"),
        ("WHO", "who"), ("Afghanistan", "af"), ("Turkey", "tr"),
    ])
    return lexicon


def test_inflected_russian_and_arabic_clitics_find_the_same_phrase() -> None:
    found = _lexicon().find("В Москве и в Демократической Республике Конго; بالسودان و موسكو")
    assert [(m.value, m.surface) for m in found] == [
        ("moscow", "Москве"), ("cd", "Демократической Республике Конго"),
        ("sd", "بالسودان"), ("moscow", "موسكو"),
    ]


def test_han_phrase_is_found_inside_an_unspaced_sentence() -> None:
    assert [m.value for m in _lexicon().find("他在莫斯科说")] == ["moscow"]


def test_elision_and_possessive_are_dropped() -> None:
    found = _lexicon().find("l'aide à l'Afghanistan; Afghanistan's winter")
    assert [m.surface for m in found] == ["l'Afghanistan", "Afghanistan's"]


def test_names_need_a_capital_and_abbreviations_need_capitals() -> None:
    lexicon = _lexicon()
    assert lexicon.find("roast turkey, moscow mule, who said it") == []
    assert [m.value for m in lexicon.find("Who knows? The WHO does.")] == ["who"]


def test_normalize_folds_case_accents_and_arabic_marks() -> None:
    assert normalize("México") == normalize("mexico")
    assert normalize("السّودان") == normalize("السودان")
    assert normalize("Ёлки") == normalize("елки")


@given(st.text(max_size=200))
def test_find_never_fails_and_spans_are_inside_the_text(text: str) -> None:
    for match in _lexicon().find(text):
        assert 0 <= match.start < match.end <= len(text)
        assert text[match.start : match.end] == match.surface
