from __future__ import annotations

import re
import tomllib

from tests.enrich.conftest import make_document

from babelwire.enrich import EnrichTables, enrich_document
from babelwire.enrich.places import DATA_DIR

#: The top-level IPTC Media Topics, as the standard numbers and names them.
IPTC_TOP_LEVEL = {
    "medtop:01000000": "arts, culture, entertainment and media",
    "medtop:02000000": "crime, law and justice",
    "medtop:03000000": "disaster, accident and emergency incident",
    "medtop:04000000": "economy, business and finance",
    "medtop:05000000": "education",
    "medtop:06000000": "environment",
    "medtop:07000000": "health",
    "medtop:08000000": "human interest",
    "medtop:09000000": "labour",
    "medtop:10000000": "lifestyle and leisure",
    "medtop:11000000": "politics",
    "medtop:12000000": "religion",
    "medtop:13000000": "science and technology",
    "medtop:14000000": "society",
    "medtop:15000000": "sport",
    "medtop:16000000": "conflict, war and peace",
    "medtop:17000000": "weather",
}


def test_the_table_uses_the_standards_codes_and_covers_six_languages() -> None:
    table = tomllib.loads((DATA_DIR / "topics.toml").read_text(encoding="utf-8"))
    assert {t["code"]: t["name"] for t in table["topic"]} == IPTC_TOP_LEVEL
    for topic in table["topic"]:
        assert re.fullmatch(r"medtop:\d{8}", topic["code"])
        assert {"en", "es", "fr", "ru", "ar", "zh"} <= set(topic), topic["code"]


def _codes(tables: EnrichTables, body: list[str], title: str, language: str) -> list[str]:
    document = make_document(body, title=title, language=language)
    return [t.code for t in enrich_document(document, None, tables).topics]


def test_health_in_russian_weather_in_chinese_economy_in_spanish(tables: EnrichTables) -> None:
    assert _codes(tables, ["Число смертей от малярии снижается, вакцины помогают."],
                  "ВОЗ: доклад о малярии", "ru")[0] == "medtop:07000000"
    assert _codes(tables, ["今年冬季气温偏高，降雨偏少。"], "气象部门发布天气预报", "zh")[0] == (
        "medtop:17000000")
    assert _codes(tables, ["La inflación bajó y el banco redujo la tasa."],
                  "El banco central y la inflación", "es")[0] == "medtop:04000000"


def test_every_item_gets_a_topic_even_without_keywords(tables: EnrichTables) -> None:
    topics = enrich_document(make_document(["Lorem ipsum dolor sit amet."]), None, tables).topics
    assert [(t.code, t.score) for t in topics] == [("medtop:11000000", 0.0)]
