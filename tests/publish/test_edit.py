"""Post-editing: reading the edit, the human translation, and re-publishing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from babelwire.enrich import Side
from babelwire.publish.edit import EditedText, EditError, apply_edit, human_translation, parse_edit
from babelwire.run import stages
from babelwire.run.resources import enrich_tables
from babelwire.run.stories import assign_new_items


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



EDITED_VISIT = EditedText(
    "Minister visits Moscow after the earthquake", "Diplomacy",
    ("The minister travelled to Moscow, where an earthquake struck on Monday.",
     '"We stand with the victims of this disaster," said Emmanuel Macron.'))


def _enriched_in_a_story(store: Any, seeding: Any) -> tuple[Any, str]:
    """The seeded store with the visit enriched as the runners do and every
    item in a story; the visit's item and story id."""
    seeded = seeding.seed(store)
    item = seeded.item("visit")
    doc = store.document(item.document_id)
    translation = store.translation(doc.id)
    store.save_enrichment(stages.enrich_document(doc, translation, enrich_tables()),
                          input_key=stages.enrichment_key(doc, translation))
    assign_new_items(store)
    return item, store.stories.of_documents([doc.id])[doc.id].id


def test_an_edited_item_is_enriched_again_from_its_new_text_and_keeps_its_story(
    store: Any, seeding: Any
) -> None:
    item, story_id = _enriched_in_a_story(store, seeding)
    before = store.enrichment(item.document_id)
    assert [p.name for p in before.places] == ["Baghdad"] and not before.entities
    edited = apply_edit(store, item.document_id, EDITED_VISIT, sources=seeding.BY_ID,
                        compose=seeding.COMPOSE, now=seeding.NOW)
    after = store.enrichment(item.document_id)
    english = {p.name for p in after.places
               if any(m.side is Side.ENGLISH for m in p.mentions)}
    assert english == {"Moscow"}
    assert {p.country_code for p in after.places} == {"RU", "IQ"}  # the original: Bagdad
    assert [e.name for e in after.entities] == ["Emmanuel Macron"]
    assert "medtop:03000000" in {t.code for t in after.topics}  # disaster
    assert [q.speaker_key for q in after.quotes] == ["person:emmanuel macron"]
    # Stored under the runners' key: a later run does not enrich it again.
    doc = store.document(item.document_id)
    key = stages.enrichment_key(doc, store.translation(doc.id))
    assert store.enrichment_keys([doc.id]) == {doc.id: key}
    # The same story, the same members; the member's keys and places are new.
    assert store.stories.of_documents([doc.id])[doc.id].id == story_id
    assert store.stories.unassigned_items() == []
    assert assign_new_items(store) == 0
    [(_, item_id, places)] = [row for row in store.stories.places_seen(
        seeding.NOW - timedelta(days=2), seeding.NOW + timedelta(days=1))
        if row[0] == doc.id]
    assert item_id == edited.id and {p.name for p in places} == {"Moscow", "Baghdad"}
    keys = next(m.keys for m in store.stories.members_since(seeding.NOW - timedelta(days=2))
                if m.document_id == doc.id)
    assert "person:emmanuel macron" in keys


def test_an_edit_is_published_when_its_enrichment_fails(store: Any, seeding: Any) -> None:
    item, story_id = _enriched_in_a_story(store, seeding)
    broken = replace(enrich_tables(), gazetteer=None)  # find_places raises on it
    edited = apply_edit(store, item.document_id, EDITED_VISIT, sources=seeding.BY_ID,
                        compose=seeding.COMPOSE, now=seeding.NOW, tables=broken)
    assert edited.version == 2 and store.item(item.id).headline == EDITED_VISIT.headline
    # The failure is recorded against the edited text, as the runners record one
    # (a failed enrichment reads as none), and the item stays in its story.
    doc = store.document(item.document_id)
    key = stages.enrichment_key(doc, store.translation(doc.id))
    assert store.enrichment_keys([doc.id]) == {doc.id: key}
    assert store.enrichment(doc.id) is None
    assert store.stories.of_documents([doc.id])[doc.id].id == story_id
