from __future__ import annotations

import pytest

from babelwire.translate.sentences import split_sentences


def sentences(text: str, lang: str, protected: list[tuple[int, int]] | None = None) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, lang, protected or [])]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ru", "В 2025 г. Президент прибыл в г. Москву. Т.е. визит начался.",
         ["В 2025 г.", "Президент прибыл в г. Москву.", "Т.е. визит начался."]),
        ("ru", "Генсек А. Гутерриш заявил: «Мир важен!» Далее см. ст. 5 закона.",
         ["Генсек А. Гутерриш заявил: «Мир важен!»", "Далее см. ст. 5 закона."]),
        ("uk", "У 2024 р. Уряд ухвалив план. Див. ст. 12 закону.",
         ["У 2024 р.", "Уряд ухвалив план.", "Див. ст. 12 закону."]),
        ("ar", "هل هذا صحيح؟ نعم. د. أحمد قال ذلك.",
         ["هل هذا صحيح؟", "نعم.", "د. أحمد قال ذلك."]),
        ("fa", "آیا این درست است؟ بله. جلسه تمام شد.",
         ["آیا این درست است؟", "بله.", "جلسه تمام شد."]),
        ("ur", "یہ پہلا جملہ ہے۔ یہ دوسرا ہے۔", ["یہ پہلا جملہ ہے۔", "یہ دوسرا ہے۔"]),
        ("zh", "他说：“我们会继续。”随后离开。第二句！真的吗？",
         ["他说：“我们会继续。”", "随后离开。", "第二句！", "真的吗？"]),
        ("ja", "彼は「ありがとう。」と述べた。次の文です！本当？",
         ["彼は「ありがとう。」と述べた。", "次の文です！", "本当？"]),
        ("ko", "회의가 열렸다. 대통령이 참석했다.", ["회의가 열렸다.", "대통령이 참석했다."]),
        ("es", "¿Qué pasa? ¡Nada! El Sr. García llegó. Véase el art. 5.",
         ["¿Qué pasa?", "¡Nada!", "El Sr. García llegó.", "Véase el art. 5."]),
        ("fr", "M. Macron a parlé. Mme Dupont aussi.", ["M. Macron a parlé.", "Mme Dupont aussi."]),
        ("de", "Am 5. Mai 2025 kam Dr. Müller. Im Jahr 2025. Die Regierung tagte.",
         ["Am 5. Mai 2025 kam Dr. Müller.", "Im Jahr 2025.", "Die Regierung tagte."]),
        ("pt", "O Sr. Silva chegou. A Dra. Costa saiu.",
         ["O Sr. Silva chegou.", "A Dra. Costa saiu."]),
        ("it", "Il dott. Rossi è arrivato. Il Sig. Bianchi no.",
         ["Il dott. Rossi è arrivato.", "Il Sig. Bianchi no."]),
        ("pl", "W 2025 r. Rząd przyjął plan. Prof. Nowak, ul. Długa 5. Koniec.",
         ["W 2025 r.", "Rząd przyjął plan.", "Prof. Nowak, ul. Długa 5.", "Koniec."]),
        ("tr", "Toplantı 3. gün bitti. Doç. Dr. Yılmaz konuştu.",
         ["Toplantı 3. gün bitti.", "Doç. Dr. Yılmaz konuştu."]),
        ("en", "Mr. Smith went to Washington. He said no. Then he left for No. 10 Downing St.",
         ["Mr. Smith went to Washington.", "He said no.", "Then he left for No. 10 Downing St."]),
    ],
)
def test_sentences_per_language(lang: str, text: str, expected: list[str]) -> None:
    assert sentences(text, lang) == expected


def test_decimals_and_initials_never_split() -> None:
    text = "Rate 3.75 and 1,5 percent. J. R. R. Tolkien wrote it."
    assert sentences(text, "en") == ["Rate 3.75 and 1,5 percent.", "J. R. R. Tolkien wrote it."]


def test_lower_case_after_a_dot_is_not_a_new_sentence() -> None:
    assert sentences("Курс 3 руб. за доллар вырос.", "ru") == ["Курс 3 руб. за доллар вырос."]


def test_no_boundary_inside_a_protected_range() -> None:
    text = "См. сайт Vol. Один. Далее."
    start = text.index("Vol.")
    assert sentences(text, "xx", [(start, start + len("Vol. Один"))]) == [
        "См. сайт Vol. Один.", "Далее.",
    ]


def test_unknown_language_uses_generic_rules_and_whitespace_is_trimmed() -> None:
    assert sentences("  One. Two!  ", "xx") == ["One.", "Two!"]
    assert sentences("", "ru") == []
