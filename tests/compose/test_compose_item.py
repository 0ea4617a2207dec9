"""compose_item: which text becomes an item, identity, versions, settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from babelwire.compose import ComposeSettings, item_id
from babelwire.compose.item import publication_time
from babelwire.errors import ConfigError, Drop


def test_translated_item_carries_provenance(story):
    doc = story.doc()
    item = story.compose(doc, story.translation(doc))
    assert item.kind == "translation"
    assert item.headline == story.en_headline
    assert item.section == "Peace and security"
    assert item.body == story.en_body
    assert item.original_language == "ru"
    assert item.original_headline == story.ru_headline
    assert item.original_url == story.url
    assert item.engines == ("ctranslate2:opus-mt-ru-en",)
    assert (item.version, item.first_created, item.version_created) == (1, story.now, story.now)
    assert item.publisher == "MIL-OSI" and "MIL-OSI" in item.disclaimer
    assert item.disclaimer_version == "1"


def test_untranslated_document_waits(story):
    with pytest.raises(Drop) as caught:
        story.compose(story.doc(), None)
    assert str(caught.value).startswith("compose: waiting for translation: ru text")
    assert caught.value.stage == "compose"
    assert story.url in caught.value.reason


def test_unknown_language_without_translation_waits(story):
    with pytest.raises(Drop, match="waiting for translation"):
        story.compose(story.doc(language=None), None)


def test_english_document_needs_no_translation(story):
    doc = story.doc(body=("First  paragraph\nwraps.", "   ", "Second."),
                    title="Council adopts resolution", language="en-GB", section=None)
    item = story.compose(doc, None)
    assert item.kind == "original"
    assert item.body == ("First paragraph wraps.", "Second.")  # one line each, blanks gone
    assert item.headline == "Council adopts resolution"
    assert item.engines == ()


def test_english_passthrough_translation_is_original(story):
    doc = story.doc(body=story.en_body, title=story.en_headline, language="en")
    passthrough = story.translation(doc, engine="none", language="en")
    assert story.compose(doc, passthrough).kind == "original"


def test_passthrough_of_foreign_text_is_not_a_translation(story):
    doc = story.doc()
    copied = story.translation(doc, body=[b.text for b in doc.extracted.blocks], engine="none")
    with pytest.raises(Drop, match="waiting for translation: no segment of the ru text"):
        story.compose(doc, copied)


def test_translation_of_an_older_text_waits(story):
    doc = story.doc()
    translation = story.translation(doc)
    edited = story.doc(body=(*doc.extracted.text.split("\n")[:2], "Новый абзац."))
    with pytest.raises(Drop, match="older text"):
        story.compose(edited, translation)


def test_body_that_came_back_untranslated_waits(story):
    doc = story.doc()
    all_flagged = story.translation(doc, flags=[("untranslated",)] * 3)
    with pytest.raises(Drop, match="untranslated"):
        story.compose(doc, all_flagged)
    one_flagged = story.translation(doc, flags=[(), ("untranslated",), ()])
    assert story.compose(doc, one_flagged).flags == ("untranslated",)


def test_missing_translated_headline_waits(story):
    doc = story.doc()
    with pytest.raises(Drop, match="headline of doc-unami-1 is not translated"):
        story.compose(doc, story.translation(doc, headline=None))
    untitled = story.doc(title=None)
    with pytest.raises(Drop, match="compose: no headline"):
        story.compose(untitled, story.translation(untitled, headline=None))


def test_translation_of_another_document_is_a_bug(story):
    doc = story.doc()
    other = replace(story.translation(doc), document_id="someone-else")
    with pytest.raises(ValueError, match="someone-else"):
        story.compose(doc, other)


def test_now_must_carry_a_zone(story):
    doc = story.doc()
    with pytest.raises(ValueError, match="time zone"):
        story.compose(doc, story.translation(doc), now=datetime(2025, 12, 12, 15))


def test_id_is_stable_and_follows_the_document(story):
    doc = story.doc()
    first = story.compose(doc, story.translation(doc))
    again = story.compose(doc, story.translation(doc), now=story.now + timedelta(days=1))
    assert first.id == again.id == item_id(doc.id)
    assert item_id("another-document") != first.id


def test_same_text_keeps_its_version(story):
    doc = story.doc()
    first = story.compose(doc, story.translation(doc))
    later = story.now + timedelta(hours=2)
    again = story.compose(doc, story.translation(doc), now=later, previous=first)
    assert again == first


def test_changed_text_is_a_new_version(story):
    doc = story.doc()
    first = story.compose(doc, story.translation(doc))
    later = story.now + timedelta(hours=2)
    body = (*story.en_body[:2], "UN agencies will remain in Iraq.")
    second = story.compose(doc, story.translation(doc, body=body), now=later, previous=first)
    assert (second.version, second.first_created, second.version_created) == (2, story.now, later)
    assert second.body[-1] == "UN agencies will remain in Iraq."
    even_later = later + timedelta(hours=1)
    replay = story.compose(doc, story.translation(doc, body=body), now=even_later,
                           previous=second)
    assert replay.version == 2 and replay.version_created == later


def test_new_disclaimer_alone_is_not_a_new_version(story):
    doc = story.doc()
    first = story.compose(doc, story.translation(doc))
    renamed = ComposeSettings(publisher="Another Wire")
    again = story.compose(doc, story.translation(doc), previous=first, settings=renamed)
    assert again.version == 1 and again.publisher == "MIL-OSI"


def test_previous_item_of_another_document_is_a_bug(story):
    doc = story.doc()
    first = story.compose(doc, story.translation(doc))
    with pytest.raises(ValueError, match="is not item"):
        story.compose(doc, story.translation(doc), previous=replace(first, id="x"))


def test_feed_date_fills_in_when_the_page_has_none(story):
    doc = story.doc(published=None)
    timed = replace(doc, entry_published=datetime(2025, 12, 12, 9, 5, tzinfo=UTC))
    assert publication_time(timed, timed.extracted) == (timed.entry_published, True)
    # A sitemap's bare date is parsed as midnight UTC: read it as a date only.
    dated = replace(doc, entry_published=datetime(2025, 12, 12, tzinfo=UTC))
    assert publication_time(dated, dated.extracted) == (dated.entry_published, False)


def test_settings_fill_the_publisher_and_check_the_version():
    settings = ComposeSettings.load({"BABELWIRE_COMPOSE_PUBLISHER": "Wire {x}"})
    assert "position of Wire {x} or its clients." in settings.disclaimer
    assert settings.disclaimer_template.count("{publisher}") == 1
    with pytest.raises(ConfigError, match="unknown disclaimer version '9'"):
        ComposeSettings(disclaimer_version="9")
    with pytest.raises(ConfigError, match="unknown compose setting"):
        ComposeSettings.load({}, colour="red")


def test_stored_previous_in_utc_is_the_same_version(story):
    # The store reads instants back in UTC; the same instant is the same text.
    moscow = timezone(timedelta(hours=3))
    doc = story.doc(published=datetime(2025, 12, 12, 10, 30, tzinfo=moscow),
                    published_has_time=True)
    first = story.compose(doc, story.translation(doc))
    stored = replace(first, published=first.published.astimezone(UTC))
    again = story.compose(doc, story.translation(doc), previous=stored)
    assert again.version == 1
    assert again.published.utcoffset() == timedelta(hours=3)
