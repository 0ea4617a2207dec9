"""The translate stage with the real Apertium engine, on the faults it must not make.

Each case is a fault the bare engine (or an earlier version of this stage)
made on official Spanish text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from babelwire.model import SegmentTranslation
from babelwire.translate.settings import TranslateSettings
from babelwire.translate.translator import Translator


@pytest.fixture(scope="module")
def translator(apertium_spa_eng: None) -> Iterator[Translator]:
    built = Translator.from_settings(TranslateSettings(engines=("apertium",)))
    yield built
    for engine in built.engines.values():
        getattr(engine, "close", lambda: None)()


def one(translator: Translator, text: str) -> SegmentTranslation:
    (result,) = translator.translate_segments([text], "es")
    assert result.engine == "apertium"
    return result


@pytest.mark.parametrize(
    ("source", "english"),
    [
        # 1. Protection does not change the next word.
        ("Hay 10 trabajadores y 40 expertos.", "There are 10 workers and 40 experts."),
        # 2. Dates in the wire's style.
        ("Se firmó el 3 de noviembre de 2025.", "November 3, 2025"),
        # 3. Figures in English notation, value unchanged.
        ("Las reservas suman USD 16.720,3 millones.", "USD 16,720.3 million"),
        ("Se perdieron 35.357 puestos.", "35,357"),
        ("Hubo 100 mil nacidos.", "100 thousand"),
        # 4. Identifiers byte-exact.
        ("Véase el documento A/59/2005/Add.2.", "A/59/2005/Add.2"),
        ("La resolución UNEP/EA.6/Res.1 fue aprobada.", "UNEP/EA.6/Res.1"),
        ("Pagó U$S 74.076,00 al fisco.", "U$S 74,076.00"),
        ("Lo dispone la Ley 27.430.", "27.430"),
        # 5. Names not translated as words.
        ("Lo dijo Arnoldo Alemán en Managua.", "Arnoldo Alemán"),
        ("Lo dijo Rafael España ayer.", "Rafael España"),
        ("Llueve en Mato Grosso y en Pará.", "in Mato Grosso"),
        ("Informó la Confederación Hidrográfica del Tajo.", "Tagus River Basin Authority"),
        ("Lo publicó el BOLETÍN OFICIAL DEL ESTADO.", "Official State Gazette"),
    ],
)
def test_faults_of_the_bare_engine_are_gone(translator: Translator, source: str,
                                            english: str) -> None:  # fmt: skip
    result = one(translator, source)
    assert english in result.text, result.text


def test_a_common_word_is_not_taken_for_a_glossary_name(translator: Translator) -> None:
    assert "Rato" not in one(translator, "Esperó un rato.").text


def test_residue_is_flagged_by_name(translator: Translator) -> None:
    result = one(translator, "La ley fue prorrogada y los que fiscalizan el gasto lo saben.")
    assert "residue(prorrogada, fiscalizan)" in result.flags
    assert "prorrogada" in result.text and "*" not in result.text
    assert not re.search("\ue000", result.text)


def test_an_ambiguous_figure_is_kept_and_flagged_without_trying_other_engines(
    translator: Translator,
) -> None:
    result = one(translator, "El índice subió 1,375 puntos.")
    assert "1,375" in result.text
    assert "ambiguous_number(1,375)" in result.flags


def test_a_clean_sentence_has_no_flags(translator: Translator) -> None:
    assert one(translator, "El Gobierno aprobó el presupuesto.").flags == ()


def test_a_date_in_figures_reads_as_a_date(translator: Translator) -> None:
    # Bare Apertium: "The 12/03/2025 signed the agreement."
    result = one(translator, "El 12/03/2025 se firmó el acuerdo, y el 12/25/2025 no.")
    assert result.text.startswith("On March 12, 2025 ")
    assert "12/25/2025" in result.text
    assert result.flags == ("ambiguous_date(12/25/2025)",)
