"""Post-editing: reading the edit, the human translation, and re-publishing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from babelwire.publish.edit import EditedText, EditError, apply_edit, human_translation, parse_edit


@pytest.mark.parametrize(("data", "message"), [
    ([], "expected a JSON object"),
    ({"headline": "h", "body": "one paragraph"}, "list of paragraph strings"),
    ({"headline": "", "body": ["p"]}, "'headline' must be a non-empty string"),
    ({"headline": "h", "body": [1]}, "list of paragraph strings"),
    ({"headline": "h", "body": ["p"], "extra": 1}, "unknown field"),
    ({"headline": "h", "section": 5, "body": ["p"]}, "'section' must be"),
    ({"headline": "h" * 20_001, "body": ["p"]}, "longer than"),
])
def test_parse_edit_refuses_malformed_input(data: object, message: str) -> None:
    with pytest.raises(EditError, match=message):
        parse_edit(data)


def test_parse_edit_reads_a_good_edit() -> None:
    assert parse_edit({"headline": "H", "section": "", "body": ["a", ""]}) == EditedText(
        "H", None, ("a", ""))


def test_human_translation_pairs_each_paragraph_with_its_source(seeding: Any) -> None:
    story = seeding.STORIES[0]
    doc = seeding.story_document(story)
    edit = EditedText("Edited headline", "Security", ("First.", ""))
    translation = human_translation(doc, edit, seeding.NOW, None)
    assert [s.source_text for s in translation.body] == list(story.original_body)
    assert {s.engine for s in translation.body} == {"human"}
    assert translation.headline.source_text == story.original_title
    assert translation.section.source_text == story.original_section
    assert translation.source_language == "ru" and translation.target_language == "en"


def test_english_documents_are_not_edited(seeding: Any) -> None:
    doc = seeding.story_document(seeding.STORIES[0])
    english = replace(doc, extracted=replace(doc.extracted, language="en"))
    with pytest.raises(EditError, match="is in English"):
        human_translation(english, EditedText("H", None, ("a", "b")), seeding.NOW, None)


def test_empty_paragraph_leaves_one_out_and_versions_count(fresh: Any, seeding: Any) -> None:
    store, seeded = fresh
    item = seeded.item("visit")
    edit = EditedText("Minister visits Baghdad", "Diplomacy", ("The minister went to Baghdad.", ""))
    edited = apply_edit(store, item.document_id, edit, sources=seeding.BY_ID,
                        compose=seeding.COMPOSE, now=seeding.NOW)
    assert edited.version == 2 and edited.body == ("The minister went to Baghdad.",)
    assert edited.first_created == item.first_created
    assert store.item(item.id).body == edited.body


def test_an_edit_compose_refuses_leaves_no_trace(fresh: Any, seeding: Any) -> None:
    store, seeded = fresh
    item = seeded.item("sanctions")
    with pytest.raises(EditError, match="cannot be published"):
        apply_edit(store, item.document_id, EditedText("H", None, ("",)),
                   sources=seeding.BY_ID, compose=seeding.COMPOSE, now=seeding.NOW)
    assert store.item(item.id).version == 1
    assert store.translation(item.document_id).body[0].engine == "argos"

