from __future__ import annotations

from babelwire.enrich import EnrichTables, EntityKind
from babelwire.enrich.entities import find_entities
from babelwire.enrich.passages import Passage
from babelwire.enrich.records import Side


def _entities(tables: EnrichTables, *texts: tuple[str, str], block: int = 0) -> dict[str, str]:
    passages = [Passage(Side.ORIGINAL, block, lang, text) for lang, text in texts]
    return {e.key: e.kind for e in find_entities(passages, tables.entities, tables.gazetteer)}


def test_a_body_is_one_entity_in_every_language(tables: EnrichTables) -> None:
    found = find_entities(
        [Passage(Side.ORIGINAL, 0, "ru", "Всемирная продовольственная программа (ВПП) сообщила"),
         Passage(Side.ENGLISH, 0, "en", "The World Food Programme (WFP) said"),
         Passage(Side.ORIGINAL, 1, "ar", "وقال برنامج الأغذية العالمي"),
         Passage(Side.ORIGINAL, 2, "zh", "世界粮食计划署表示")],
        tables.entities, tables.gazetteer,
    )
    assert [(e.key, e.kind, e.name, len(e.mentions)) for e in found] == [
        ("org:wfp", EntityKind.ORGANISATION, "World Food Programme", 6)]


def test_people_by_title_and_by_capitalised_names(tables: EnrichTables) -> None:
    found = _entities(tables, ("en", "On Tuesday, President Macron met Ursula von der Leyen."))
    assert found == {"person:macron": EntityKind.PERSON,
                     "person:ursula von der leyen": EntityKind.PERSON}


def test_russian_names_and_inflected_forms_are_one_person(tables: EnrichTables) -> None:
    found = find_entities(
        [Passage(Side.ORIGINAL, 0, "ru", "Генеральный секретарь Антониу Гутерриш выступил."),
         Passage(Side.ORIGINAL, 1, "ru", "Его поддержал и сам Антониу Гутерриш.")],
        tables.entities, tables.gazetteer,
    )
    people = [e for e in found if e.kind == EntityKind.PERSON]
    assert [(e.name, len(e.mentions)) for e in people] == [("Антониу Гутерриш", 2)]


def test_organisations_by_head_word_and_joining_words(tables: EnrichTables) -> None:
    found = _entities(tables, ("es", "El Ministerio de Salud de la Nación lanzó la campaña."))
    assert found == {"org:ministerio de salud de la nacion": EntityKind.ORGANISATION}


def test_geographic_and_calendar_runs_are_not_people(tables: EnrichTables) -> None:
    found = _entities(tables, ("en", "Aid reached Southeast Asia in December."),
                      ("ru", "Столкновения в провинции Восточной Африки."))
    assert all(kind != EntityKind.PERSON for kind in found.values())


def test_named_occasions_are_events_in_every_language(tables: EnrichTables) -> None:
    found = _entities(tables, ("en", "On Human Rights Day the UN spoke."),
                      ("ru", "В День прав человека ООН выступила."),
                      ("fr", "la Journée internationale des droits de l'homme"))
    assert found["event:human-rights-day"] == EntityKind.EVENT


def test_chinese_names_beside_a_title(tables: EnrichTables) -> None:
    found = _entities(tables, ("zh", "外交部发言人毛宁表示，王毅外长将出席会议。"))
    assert {"person:毛宁", "person:王毅"} <= set(found)


def test_arabic_names_after_a_title(tables: EnrichTables) -> None:
    found = _entities(tables, ("ar", "استقبل وزير الخارجية بدر عبد العاطي نظيره القبرصي"))
    assert "person:بدر عبد عاطي" in found or any(k.startswith("person:بدر") for k in found)


def test_headlines_in_title_case_give_no_rule_names(tables: EnrichTables) -> None:
    found = _entities(tables, ("en", "United States Announces Additional Humanitarian Assistance"),
                      block=-1)
    assert all(kind != EntityKind.PERSON for kind in found.values())
