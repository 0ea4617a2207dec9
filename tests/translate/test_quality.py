from __future__ import annotations

import pytest

from babelwire.translate import quality
from babelwire.translate.quality import Sample, badness, run_checks


def sample(source: str, output: str, lang: str = "ru", **kwargs: object) -> Sample:
    expected = kwargs.pop("expected", source)
    return Sample(source, output, lang, str(expected), **kwargs)  # type: ignore[arg-type]


RU = "Миссия завершит работу 31 декабря 2025 года."
EN = "The mission will end its work on December 31, 2025."
ZH = "联合国安理会今天通过了一项决议。"


@pytest.mark.parametrize(
    ("check", "bad", "good"),
    [
        (quality.check_empty, sample(RU, "  ... "), sample(RU, EN)),
        (quality.check_length_ratio, sample(RU, "The mission."), sample(RU, EN)),
        (quality.check_length_ratio, sample(ZH, "Hi."),
         sample(ZH, "The UN Security Council adopted a resolution today.")),
        (quality.check_repetition, sample(RU, "The pre-pre-pre-mission ended."), sample(RU, EN)),
        (quality.check_repetition, sample(RU, "of the war of the war of the war"), sample(RU, EN)),
        (quality.check_source_script, sample(RU, "The mission завершит работу on 31."),
         sample(RU, "The mission will end its work on December 31, 2025, said its head (ООН).")),
        (quality.check_hallucinated_boilerplate, sample(RU, EN + " (Applause)"), sample(RU, EN)),
        (quality.check_hallucinated_boilerplate, sample(RU, "♪ " + EN), sample(RU, EN)),
        (quality.check_numbers_differ, sample(RU, "The mission will end its work on December 31."),
         sample(RU, EN)),
        (quality.check_numbers_differ, sample(RU, EN + " 7"), sample(RU, EN)),
        (quality.check_placeholder_lost, sample(RU, EN, placeholder_faults=1), sample(RU, EN)),
        (quality.check_untranslated, sample(RU, RU), sample(RU, EN)),
        (quality.check_untranslated, sample("La misión terminó ayer.", "La misión terminó ayer.",
                                            "es"), sample("Madrid", "Madrid", "es")),
    ],
)
def test_each_check_flags_the_bad_and_passes_the_good(
    check: quality.Check, bad: Sample, good: Sample
) -> None:
    assert check(bad) is not None
    assert check(good) is None


def test_short_sources_have_no_length_ratio() -> None:
    assert quality.check_length_ratio(sample("Итоги", "Results of the year so far")) is None


def test_source_that_repeats_may_repeat() -> None:
    assert quality.check_repetition(sample("Ура! Ура! Ура!", "Hurray! Hurray! Hurray!")) is None


def test_kept_protected_text_is_not_foreign_script() -> None:
    output = "See президент.рф for details."
    assert quality.check_source_script(sample(RU, output)) == "source_script"
    assert quality.check_source_script(sample(RU, output, kept=("президент.рф",))) is None


def test_boilerplate_present_in_source_is_allowed() -> None:
    text = "He thanked everyone (Applause) and left."
    assert quality.check_hallucinated_boilerplate(sample(text, text, "en")) is None


def test_chinese_numerals_may_become_digits() -> None:
    source = "三名维和人员受伤。"
    assert quality.check_numbers_differ(sample(source, "Three peacekeepers were injured.")) is None
    assert quality.check_numbers_differ(sample(source, "3 peacekeepers were injured.")) is None
    assert quality.check_numbers_differ(sample(RU, EN.replace("31", "3 1"))) == "numbers_differ"


def test_roman_numerals_may_become_digits() -> None:
    source = "A finales del siglo XX y en el XXI."
    output = "At the end of the 20th century and in the 21st."
    assert quality.check_numbers_differ(sample(source, output, "es")) is None
    assert quality.check_numbers_differ(sample(source, output + " 19", "es")) == "numbers_differ"


def test_numbers_are_compared_with_the_english_form_of_protected_spans() -> None:
    source = "会议于2025年12月12日举行。"
    expected = "会议于December 12, 2025举行。"
    output = "The meeting was held on December 12, 2025."
    assert quality.check_numbers_differ(sample(source, output, expected=expected)) is None


def test_run_checks_lists_flags_in_table_order_and_badness_ranks_them() -> None:
    flags = run_checks(sample(RU, RU))
    assert flags[0] == "untranslated"
    assert "source_script" in flags
    assert run_checks(sample(RU, EN)) == ()
    assert badness(("empty",)) > badness(("length_ratio", "numbers_differ"))
    assert {name for name, _ in quality.CHECKS} == set(quality.SEVERITY)


def test_residue_names_the_words_the_engine_marked() -> None:
    s = sample("La ley fue prorrogada.", "The law was prorrogada in Grosso.", "es",
               marked=("prorrogada", "Grosso"), engine_marks=True)  # fmt: skip
    # A capitalised unknown word is a name or a code, not residue.
    assert quality.check_residue(s) == "residue(prorrogada)"
    clean = sample("La ley.", "The law.", "es", marked=(), engine_marks=True)
    assert quality.check_residue(clean) is None


def test_residue_for_engines_without_marks_is_copied_source_words() -> None:
    s = sample("Los organismos que fiscalizan el gasto general.",
               "The bodies that fiscalizan general spending.", "es")  # fmt: skip
    # "general" is English too; "fiscalizan" was copied from the source.
    assert quality.check_residue(s) == "residue(fiscalizan)"
    kept = sample("Dijo Guterres.", "Guterres said.", "es", kept=("Guterres",))
    assert quality.check_residue(kept) is None
    ru = sample("Миссия завершит работу.", "The mission завершит its work.", "ru")
    assert quality.check_residue(ru) == "residue(завершит)"


def test_split_marks_removes_the_mark_and_lists_the_words() -> None:
    text = "The law was \ue000prorrogada and \ue000fiscalizan, \ue000prorrogada."
    assert quality.split_marks(text) == (
        "The law was prorrogada and fiscalizan, prorrogada.", ("prorrogada", "fiscalizan"),
    )


def test_ambiguous_numbers_are_a_source_flag() -> None:
    s = sample("Subió 1,375 puntos.", "It rose 1,375 points.", "es", ambiguous=("1,375",))
    assert quality.check_ambiguous_number(s) == "ambiguous_number(1,375)"
    assert "ambiguous_number" in quality.SOURCE_FLAGS
    assert badness(("ambiguous_number(1,375)",)) == 0
    assert badness(("residue(x)",)) == quality.SEVERITY["residue"]
