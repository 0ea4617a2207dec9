"""People's and places' names kept as written; glossaries of official names."""

from __future__ import annotations

from babelwire.translate.glossary import official_names
from babelwire.translate.names import person_spans, place_names, place_spans, subdivision_names
from babelwire.translate.settings import TranslateSettings
from babelwire.translate.translator import Translator


def texts(spans: list, text: str) -> list[str]:
    return [text[s.start : s.end] for s in spans]


def test_a_given_name_and_capitalised_words_are_a_person() -> None:
    text = "Lo dijo Arnoldo Alemán; Rafael España y María José de la Torre también, y Rafael."
    assert texts(person_spans(text, "es"), text) == [
        "Arnoldo Alemán", "Rafael España", "María José de la Torre",
    ]
    assert person_spans("Lo dijo Arnoldo Alemán.", "ru") == []


def test_places_from_the_subdivision_list() -> None:
    text = "Llueve en Mato Grosso y en Salta. Salta el río en Tucumán."
    # A one-word place that starts a sentence may be the word ("Salta" = jumps).
    assert texts(place_spans(text, "es"), text) == ["Mato Grosso", "Salta", "Tucumán"]


def find(text: str) -> list[tuple[str, str, str]]:
    finder = Translator(TranslateSettings(), {})._finder(None, "es")
    return [(text[s.start : s.end], s.kind, s.replacement) for s in finder(text)]


def test_people_beat_glossary_terms_and_terms_beat_places() -> None:
    assert find("Rafael España visitó España.") == [
        ("Rafael España", "name", "Rafael España"),
        ("España", "glossary", "Spain"),
    ]
    assert find("La Unión Europea y La Rioja.") == [
        ("Unión Europea", "glossary", "European Union"),
        ("La Rioja", "name", "La Rioja"),
    ]


def test_official_names_ship_for_five_languages() -> None:
    samples = {
        "es": ("Confederación Hidrográfica del Tajo", "Tagus River Basin Authority"),
        "fr": ("Conseil de sécurité", "UN Security Council"),
        "ru": ("Германия", "Germany"),
        "ar": ("مصر", "Egypt"),
        "zh": ("德国", "Germany"),
    }
    for lang, (source, target) in samples.items():
        glossary = official_names(lang)
        assert glossary is not None, lang
        spans = glossary.spans(f"{source} ", lang)
        assert [s.replacement for s in spans] == [target], lang
    assert official_names("xx") is None


def test_capitalised_terms_do_not_match_the_common_word() -> None:
    glossary = official_names("es")
    assert glossary is not None
    assert glossary.spans("Hizo un chad de papel.", "es") == []
    text = "BOLETÍN OFICIAL DEL ESTADO"
    assert [s.replacement for s in glossary.spans(text, "es")] == ["Official State Gazette"]


def test_the_shipped_place_list_is_pycountrys() -> None:
    # The list is read from a file (pycountry's database cost 0.4 s at start);
    # after a pycountry upgrade, regenerate it (see subdivision_names).
    assert place_names() == subdivision_names()
