from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jsonschema import Draft202012Validator
from tests.enrich.conftest import make_document

from babelwire.compose import to_ninjs
from babelwire.enrich import EnrichTables, enrich_document
from babelwire.enrich.ninjs import ninjs_extras
from babelwire.model import Item

BODY = [
    "Egypt sent a new aid convoy to Sudan through the Argeen crossing, the Ministry of "
    "Foreign Affairs said, together with the Egyptian Red Crescent and the World Food "
    "Programme.",
    "“We stand with the Sudanese people in this crisis,” said spokesperson Tamim Khallaf "
    "in Cairo on Human Rights Day.",
]


def _item() -> Item:
    moment = datetime(2025, 12, 10, 12, tzinfo=UTC)
    return Item(
        id="i1", document_id="d1", version=1, slug="egypt-aid-sudan", headline="Egypt sends aid",
        section=None, body=tuple(BODY), kind="original", source_id="s", source_name="MFA",
        desk="MFA", region="Egypt", original_language="en", original_headline=None,
        original_url="http://example.test/d1", published=moment, published_has_time=True,
        first_created=moment, version_created=moment, disclaimer="Raw content.",
        disclaimer_version="1", publisher="babelwire",
    )


def test_enrichment_fills_ninjs_subjects_places_people_and_organisations(
    tables: EnrichTables, ninjs_validator: Draft202012Validator
) -> None:
    enrichment = enrich_document(make_document(BODY, title="Egypt sends aid"), None, tables)
    ninjs: dict[str, Any] = to_ninjs(_item(), base_url="http://127.0.0.1:8000/",
                                     extras=ninjs_extras(enrichment, region_code="EG"))
    assert [f"{list(e.absolute_path)}: {e.message}"
            for e in ninjs_validator.iter_errors(ninjs)] == []
    for topic in enrichment.topics:
        code = topic.code.removeprefix("medtop:")
        assert {"name": topic.name, "uri": f"http://cv.iptc.org/newscodes/mediatopic/{code}",
                "literal": topic.code} in ninjs["subjects"]
    assert {"name": "Human Rights Day", "literal": "event:human-rights-day",
            "rel": "event"} in ninjs["subjects"]
    assert {p["literal"] for p in ninjs["places"]} >= {"EG", "SD"}
    cairo = next(p for p in ninjs["places"] if p["name"] == "Cairo")
    assert cairo["uri"].startswith("https://sws.geonames.org/")
    assert {o["literal"] for o in ninjs["organisations"]} >= {"org:wfp", "org:redcrescent"}
    assert [p["name"] for p in ninjs["people"]] == ["Tamim Khallaf"]
