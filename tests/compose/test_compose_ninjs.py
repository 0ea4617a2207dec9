"""ninjs 3.1: the mapping, schema validity for every kind, and a safe HTML body."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from babelwire.compose import NinjsExtras, body_html, media_topic, to_ninjs
from babelwire.compose.ninjs import DATE_PRECISION_NOTE, Concept

BASE_URL = "http://127.0.0.1:8000/"


@pytest.fixture(scope="module")
def validator(ninjs_validator: Draft202012Validator) -> Draft202012Validator:
    return ninjs_validator


def _errors(validator: Draft202012Validator, ninjs: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(ninjs)]


def test_translation_maps_to_ninjs(story, validator):
    item = story.item()
    ninjs = to_ninjs(item, base_url=BASE_URL)
    assert _errors(validator, ninjs) == []
    assert ninjs["uri"] == f"http://127.0.0.1:8000/items/{item.id}/{item.slug}"
    assert ninjs["type"] == "text" and ninjs["language"] == "en"
    assert ninjs["version"] == "1"
    assert ninjs["firstCreated"] == ninjs["versionCreated"] == "2025-12-12T15:00:00+00:00"
    assert ninjs["headlines"] == [{"role": "main", "value": story.en_headline}]
    plain, html = ninjs["bodies"]
    assert plain["value"] == "\n\n".join(story.en_body)
    assert html["contentType"] == "text/html" and html["value"].startswith("<p>The United")
    assert ninjs["infoSources"][0] == {"name": "United Nations", "role": "originator",
                                       "uri": story.url}
    assert ninjs["usageTerms"] == item.disclaimer
    assert ninjs["located"] == "Russian Federation"
    assert ninjs["subjects"] == [{"name": "Peace and security", "rel": "section"}]
    json.dumps(ninjs)  # JSON-ready as it is


def test_original_is_an_association(story, validator):
    ninjs = to_ninjs(story.item(), base_url=BASE_URL)
    (original,) = ninjs["associations"]
    assert original == {
        "name": "original", "rel": "translationOf", "uri": story.url, "type": "text",
        "language": "ru", "headlines": [{"role": "main", "value": story.ru_headline}],
    }
    assert {"role": "original-url", "value": story.url} in ninjs["altIds"]


def test_date_only_publication_is_midnight_with_its_precision_noted(story, validator):
    ninjs = to_ninjs(story.item(), base_url=BASE_URL)
    assert _errors(validator, ninjs) == []
    assert ninjs["contentCreated"] == "2025-12-12T00:00:00+00:00"
    assert {"role": "contentCreated-precision", "contentType": "text/plain",
            "value": DATE_PRECISION_NOTE} in ninjs["descriptions"]
    assert {"role": "dateline", "contentType": "text/plain",
            "value": "December 12, 2025 Peace and security"} in ninjs["descriptions"]


def test_publication_time_keeps_the_source_zone(story, validator):
    moscow = timezone(timedelta(hours=3))
    doc = story.doc(published=datetime(2025, 12, 12, 10, 30, tzinfo=moscow),
                    published_has_time=True)
    ninjs = to_ninjs(story.compose(doc, story.translation(doc)), base_url=BASE_URL)
    assert _errors(validator, ninjs) == []
    assert ninjs["contentCreated"] == "2025-12-12T10:30:00+03:00"
    assert ninjs["associations"][0]["contentCreated"] == "2025-12-12T10:30:00+03:00"


def test_english_original_validates(story, validator):
    doc = story.doc(body=story.en_body, title=story.en_headline, language="en")
    ninjs = to_ninjs(story.compose(doc, None), base_url=BASE_URL)
    assert _errors(validator, ninjs) == []
    assert ninjs["profile"] == "original"
    assert ninjs["associations"][0]["rel"] == "republicationOf"
    assert ninjs["descriptions"][0]["value"] == "Original English"
    assert ninjs["descriptions"][1]["value"].startswith(
        "Original English, published by United Nations")


def test_official_version_validates(story, validator):
    doc = story.doc()
    item = story.compose(doc, story.translation(doc, engine="official"))
    ninjs = to_ninjs(item, base_url=BASE_URL)
    assert _errors(validator, ninjs) == []
    assert ninjs["profile"] == "official"
    assert ninjs["associations"][0]["rel"] == "officialTranslationOf"


def test_extras_fill_places_subjects_people(story, validator):
    extras = NinjsExtras(
        region_code="RU",
        subjects=(media_topic("16000000", "conflict, war and peace"),),
        people=(Concept("Mohamed Al-Hassan"),),
        organisations=(Concept("UNAMI", rel="subject"),),
        places=(Concept("Baghdad", literal="IQ"),),
    )
    item = replace(story.item(), flags=("numbers_differ",))
    ninjs = to_ninjs(item, base_url=BASE_URL, extras=extras)
    assert _errors(validator, ninjs) == []
    assert ninjs["places"][0] == {"name": "Russian Federation", "literal": "RU", "rel": "located"}
    assert ninjs["subjects"][1]["uri"] == "http://cv.iptc.org/newscodes/mediatopic/16000000"
    assert ninjs["people"] == [{"name": "Mohamed Al-Hassan"}]
    assert ninjs["edNote"] == "Translation quality flags: numbers_differ"


def test_schema_check_catches_a_wrong_name(story, validator):
    # Guards the guard: ninjs 2.x spelling must fail against the 3.1 schema.
    ninjs = to_ninjs(story.item(), base_url=BASE_URL)
    ninjs["firstcreated"] = ninjs.pop("firstCreated")
    assert _errors(validator, ninjs)
    ninjs = to_ninjs(story.item(), base_url=BASE_URL)
    ninjs["versionCreated"] = "2025-12-12 15:00"
    assert _errors(validator, ninjs)


def test_html_body_escapes_markup_from_the_text(story):
    hostile = ('Officials said <script>alert("x")</script> & left.',
               '<img src=x onerror=alert(1)> "quoted"')
    item = replace(story.item(), body=hostile)
    html = body_html(item)
    assert "<script" not in html and "<img" not in html
    assert html == (
        '<p>Officials said &lt;script&gt;alert("x")&lt;/script&gt; &amp; left.</p>'
        '<p>&lt;img src=x onerror=alert(1)&gt; "quoted"</p>'
    )
    assert to_ninjs(item, base_url=BASE_URL)["bodies"][1]["value"] == html
