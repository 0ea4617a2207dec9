from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.enrich import EnrichTables
from babelwire.enrich.passages import Passage
from babelwire.enrich.places import DATA_DIR, find_places, load_gazetteer
from babelwire.enrich.records import Side
from babelwire.errors import ConfigError


def _places(tables: EnrichTables, *texts: tuple[str, str]) -> dict[str, list[str]]:
    passages = [Passage(Side.ORIGINAL, i, lang, text) for i, (lang, text) in enumerate(texts)]
    return {p.key: [m.surface for m in p.mentions]
            for p in find_places(passages, tables.gazetteer)}


def test_moscow_in_three_scripts_is_one_place_with_code_and_coordinates(
    tables: EnrichTables,
) -> None:
    found = find_places(
        [Passage(Side.ORIGINAL, 0, "ru", "Переговоры прошли в Москве."),
         Passage(Side.ENGLISH, 0, "en", "The talks were held in Moscow."),
         Passage(Side.ORIGINAL, 1, "ar", "عقدت المحادثات في موسكو.")],
        tables.gazetteer,
    )
    assert len(found) == 1
    moscow = found[0]
    assert moscow.country_code == "RU" and moscow.kind == "capital"
    assert moscow.latitude == pytest.approx(55.75, abs=0.1)
    assert moscow.longitude == pytest.approx(37.62, abs=0.1)
    assert [m.surface for m in moscow.mentions] == ["Москве", "Moscow", "موسكو"]
    assert {m.side for m in moscow.mentions} == {Side.ORIGINAL, Side.ENGLISH}


@pytest.mark.parametrize(("lang", "text", "code"), [
    ("en", "aid for the people of Sudan", "country:SD"),
    ("fr", "la crise humanitaire au Soudan", "country:SD"),
    ("es", "la ayuda a Sudán", "country:SD"),
    ("ru", "помощь Судану", "country:SD"),
    ("ar", "قافلة إلى السودان", "country:SD"),
    ("zh", "向苏丹提供援助", "country:SD"),
    ("ru", "на востоке ДР Конго", "country:CD"),
    ("en", "the U.S. and the UK", "country:US"),
    ("zh", "中方向菲律宾提供援助", "country:PH"),
    ("ru", "в Северном Дарфуре", "region:darfur"),
])
def test_country_names_in_the_six_languages_resolve_to_iso_codes(
    tables: EnrichTables, lang: str, text: str, code: str
) -> None:
    assert code in _places(tables, (lang, text))


def test_island_in_an_english_name_is_not_iceland(tables: EnrichTables) -> None:
    # "Island" is Iceland in German and the Nordic languages, and a word in English.
    found = _places(tables, ("en", "A building collapsed on Lagos Island, Nigeria."))
    assert "country:IS" not in found and "country:NG" in found
    assert "country:IS" in _places(tables, ("en", "Iceland's coast guard"))


def test_a_country_has_its_capital_as_coordinates(tables: EnrichTables) -> None:
    sudan = tables.gazetteer.places["country:SD"]
    assert sudan.country_code == "SD"
    assert sudan.latitude == pytest.approx(15.55, abs=0.1)


def test_common_words_that_are_also_city_names_are_not_places(tables: EnrichTables) -> None:
    found = _places(tables, ("ru", "Совет Безопасности провел заседание"),
                    ("es", "Para los viajeros"), ("fr", "Réunion des ministres"))
    assert found == {}


def test_a_broken_gazetteer_file_is_one_line_naming_it(tmp_path: Path) -> None:
    for name in ("place_aliases.tsv", "place_stopwords.txt", "regions.tsv",
                 "ambiguous_places.tsv"):
        (tmp_path / name).write_text((DATA_DIR / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (tmp_path / "places.tsv").write_text(
        "key\tkind\tcountry\tlatitude\tlongitude\tpopulation\tname\taliases\n"
        "city:1\tcity\tXX\tnorth\t1\t1\tNowhere\t\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^enrich: .*places.tsv: line 2") as caught:
        load_gazetteer(tmp_path)
    assert "\n" not in str(caught.value)


def test_a_short_name_means_the_place_named_in_full_beside_it(tables: EnrichTables) -> None:
    assert set(_places(tables, ("ru", "В ДР Конго продолжаются бои; «Альянс реки Конго» "
                                      "не покинул районы."))) == {"country:CD"}
    assert set(_places(tables, ("fr", "Brazzaville, capitale du Congo"))) == {
        "city:2260535", "country:CG"}
    assert "country:KP" in _places(tables, ("en", "North Korea fired; Korea tensions rose"))


@pytest.mark.parametrize(("text", "key"), [
    ("刚果民主共和国首都金沙萨发生洪灾。", "city:2314302"),  # GeoNames: 金沙薩 only
    ("乌克兰首都基辅遭到袭击。", "city:703448"),  # GeoNames: 基輔 only
])
def test_a_city_named_in_simplified_chinese_resolves(
    tables: EnrichTables, text: str, key: str
) -> None:
    assert key in _places(tables, ("zh", text))
