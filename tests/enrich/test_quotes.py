from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.enrich.conftest import make_document

from babelwire.enrich import EnrichTables, Quote, enrich_document
from babelwire.model import SegmentTranslation, Translation


@pytest.mark.parametrize(("language", "text"), [
    ("en", 'The minister said: “We will send more food to every district this winter.”'),
    ("en", 'He said "we will send more food to every district this winter".'),
    ("es", "«Vamos a enviar más alimentos a cada distrito este invierno», dijo."),
    ("fr", "« Nous enverrons davantage de vivres dans chaque district cet hiver », a-t-il dit."),
    ("ru", "«Мы отправим больше продовольствия в каждый район этой зимой», – сказал он."),
    ("ru", "Он сказал: „Мы отправим больше продовольствия в каждый район этой зимой“."),
    ("ar", "وقال: «سنرسل المزيد من الغذاء إلى كل منطقة هذا الشتاء».",),
    ("zh", "他表示：“我们今年冬天将向每个地区运送更多粮食和药品。”"),
    ("zh", "他表示：「我们今年冬天将向每个地区运送更多粮食和药品。」"),
])
def test_quote_styles_of_the_six_languages(tables: EnrichTables, language: str, text: str) -> None:
    quotes = enrich_document(make_document([text], language=language), None, tables).quotes
    assert len(quotes) == 1
    assert quotes[0].original_sentence == 0


def test_names_and_short_terms_in_quotes_are_not_quotes(tables: EnrichTables) -> None:
    document = make_document(["The «16 days» campaign and the “Blue Hall” forum opened."])
    assert enrich_document(document, None, tables).quotes == ()


def test_speaker_is_the_nearest_entity_with_an_attribution_verb(tables: EnrichTables) -> None:
    document = make_document([
        "The situation is grave. “People have been eating leaves for months, and mothers "
        "cannot feed their children,” said WFP coordinator Maria Lopez in Khartoum.",
    ])
    quote = enrich_document(document, None, tables).quotes[0]
    assert quote.speaker == "Maria Lopez"
    assert quote.speaker_key == "person:maria lopez"
    assert quote.original_sentence == 1


def test_a_quote_without_attribution_has_no_speaker(tables: EnrichTables) -> None:
    document = make_document(["The UN put it plainly: “Human rights do not defend "
                              "themselves, people do.”"])
    assert enrich_document(document, None, tables).quotes[0].speaker is None


def _translated(original: list[str], english: str, tables: EnrichTables) -> tuple[Quote, ...]:
    document = make_document(original, language="ru")
    translation = Translation(
        document_id=document.id, source_language="ru", target_language="en", headline=None,
        section=None,
        body=(SegmentTranslation(original[0], english, "test", "m", "1"),),
        translated_at=datetime(2025, 12, 12, tzinfo=UTC),
    )
    return enrich_document(document, translation, tables).quotes


def test_a_quote_on_both_sides_is_one_quote_of_the_original_sentence(
    tables: EnrichTables,
) -> None:
    original = [
        "Миссия завершает работу. Глава миссии подвел итоги. «Когда Миссия начинала работу, "
        "это была совсем другая страна», – сказал Мохаммед аль-Хасан.",
    ]
    english = ("The mission ends its work. The head of the mission took stock. “When the "
               "Mission began its work, it was a completely different country,” said "
               "Mohammed al-Hassan.")
    (quote,) = _translated(original, english, tables)
    assert quote.original_sentence == 2
    assert quote.text == "Когда Миссия начинала работу, это была совсем другая страна"
    assert quote.english == "When the Mission began its work, it was a completely different country"
    assert quote.speaker == "Мохаммед аль-Хасан"
    assert quote.speaker_key == "person:мохаммед аль-хасан"


def test_a_quote_marked_only_in_the_translation_keeps_the_original_sentence(
    tables: EnrichTables,
) -> None:
    original = ["Итоги подведены. Он сказал, что страна готова к следующему этапу своего развития."]
    english = ("The results are in. He said: “the country is ready for the next stage of "
               "its development”.")
    (quote,) = _translated(original, english, tables)
    assert quote.original_sentence == 1
    assert quote.text.startswith("Он сказал")
    assert quote.english == "the country is ready for the next stage of its development"
