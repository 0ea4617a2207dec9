from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.errors import CatalogError
from babelwire.translate.glossary import GlossaryLoader, parse_glossary

GLOSSARY = """
[[term]]
source = "МООНСИ"
target = "UNAMI"
note = "UN Assistance Mission for Iraq"

[[term]]
source = "Мохамед аль-Хассан"
target = "Mohamed Al Hassan"
lang = "ru"

[[term]]
source = "Совет Безопасности"
target = "the Security Council"

[[term]]
source = "Совет Безопасности ООН"
target = "the UN Security Council"

[[term]]
source = "ООН"
target = "the UN"

[[term]]
source = "Naciones Unidas"
target = "the United Nations"
lang = "es"

[[term]]
source = "Banco"
target = "Banco"
case_sensitive = true

[[term]]
source = "Rato"
target = "Rato"
lang = "es"

[[term]]
source = "banco central"
target = "central bank"
lang = "es"

[[term]]
source = "Boletín Oficial del Estado"
target = "Official State Gazette"
lang = "es"
"""


def matches(text: str, lang: str = "ru") -> list[tuple[str, str]]:
    glossary = parse_glossary(GLOSSARY, "un.toml")
    return [(text[s.start : s.end], s.replacement) for s in glossary.spans(text, lang)]


def test_exact_and_inflected_forms_match() -> None:
    text = "Глава МООНСИ Мохамеда аль-Хассана поблагодарил сотрудников МООНСИ-ом и МООНСИ."
    assert matches(text) == [
        ("МООНСИ", "UNAMI"),
        ("Мохамеда аль-Хассана", "Mohamed Al Hassan"),
        ("МООНСИ-ом", "UNAMI"),
        ("МООНСИ", "UNAMI"),
    ]


def test_longest_term_wins() -> None:
    assert matches("Совет Безопасности ООН принял решение.") == [
        ("Совет Безопасности ООН", "the UN Security Council")
    ]
    assert matches("заседание Совета Безопасности") == [
        ("Совета Безопасности", "the Security Council")
    ]


def test_case_rules() -> None:
    # A term written with a capital is a name: it matches as written or in
    # capitals throughout, never as the lower-case word ("un rato").
    assert matches("моонси и оон") == []
    assert matches("Habló con Rato un rato.", "es") == [("Rato", "Rato")]
    assert matches("BOLETÍN OFICIAL DEL ESTADO y Boletín Oficial del Estado", "es") == [
        ("BOLETÍN OFICIAL DEL ESTADO", "Official State Gazette"),
        ("Boletín Oficial del Estado", "Official State Gazette"),
    ]
    # A lower-case term matches in any case (long words).
    assert matches("el Banco Central y el banco central", "es") == [
        ("Banco Central", "central bank"), ("banco central", "central bank"),
    ]
    # An explicit case_sensitive term matches only as written.
    assert matches("el Banco y el banco", "es") == [("Banco", "Banco")]


def test_word_boundaries_and_language_filter() -> None:
    assert matches("ПРЕМООНСИ и ООНОВСКИЙ") == []
    assert matches("Мохамед аль-Хассан", "es") == []
    assert matches("las Naciones Unidas", "es") == [("Naciones Unidas", "the United Nations")]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("[[term]]\nsource = 'x'\n", "term[0].target"),
        ("[[term]]\nsource = 'x'\ntarget = ''\n", "term[0].target"),
        ("[[term]]\nsource = 'x'\ntarget = 'y'\ncolour = 1\n", "term[0]"),
        ("[[term]]\nsource = 'x'\ntarget = 'y'\ncase_sensitive = 'no'\n", "term[0].case_sensitive"),
        ("term = 5\n", "term"),
        ("[[term]\n", "toml"),
    ],
)
def test_bad_glossaries_name_file_and_field(text: str, field: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_glossary(text, "bad.toml")
    assert caught.value.file == "bad.toml"
    assert caught.value.field == field


def test_loader_finds_by_name_and_reads_once(tmp_path: Path) -> None:
    (tmp_path / "un.toml").write_text(GLOSSARY, encoding="utf-8")
    loader = GlossaryLoader([tmp_path / "missing", tmp_path])
    first = loader("un")
    assert loader("un.toml").terms == first.terms
    (tmp_path / "un.toml").unlink()
    assert loader("un") is first
    with pytest.raises(CatalogError, match="no such glossary"):
        loader("other")
