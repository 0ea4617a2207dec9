"""The enrich stage in a run: called before compose, stored, idempotent, and
never in the way of publication (both backends)."""

from __future__ import annotations

import dataclasses
from functools import partial

import pytest
from tests.enrich.conftest import make_document

from babelwire.compose import ComposeSettings
from babelwire.enrich import EnrichTables
from babelwire.model import Document, Source, Stage, utc_now
from babelwire.run import stages
from babelwire.run.resources import enrich_tables
from babelwire.run.runner import enrich_and_store
from babelwire.run.wire import WireStep
from babelwire.store import Store
from babelwire.translate.settings import TranslateSettings
from babelwire.translate.translator import Translator

BODY = [
    "Egypt sent a new aid convoy to Sudan through the Argeen crossing, the Ministry of "
    "Foreign Affairs said, together with the World Food Programme.",
    "“We stand with the Sudanese people in this crisis,” said spokesperson Tamim Khallaf "
    "in Cairo.",
]

SOURCE = Source(id="s", name="Ministry", desk="Ministry", region="Egypt", languages=("en",),
                feeds=("http://127.0.0.1:1/feed.xml",), category="government",
                homepage="http://127.0.0.1:1/", origin="test")


def _wire(store: Store, tables: EnrichTables | None) -> WireStep:
    enrich = partial(enrich_and_store, store, tables) if tables is not None else None
    return WireStep(store, Translator(TranslateSettings.load({}), {}), ComposeSettings.load(),
                    [SOURCE], utc_now, enrich=enrich)


def _stored(store: Store) -> Document:
    store.upsert_sources([SOURCE])
    doc = dataclasses.replace(make_document(BODY, title="Egypt sends aid to Sudan"),
                              content_hash="h1")
    store.save_document(doc)
    return doc


def test_a_published_item_has_its_enrichment_stored(store: Store) -> None:
    doc = _stored(store)
    counts = _wire(store, enrich_tables()).run()
    assert counts.published == 1
    found = store.enrichment(doc.id)
    assert found is not None
    assert {"EG", "SD"} <= set(found.country_codes)
    assert found.topics and all(t.code.startswith("medtop:") for t in found.topics)
    assert "org:wfp" in {e.key for e in found.entities}
    assert [q.speaker for q in found.quotes] == ["Tamim Khallaf"]
    assert found.quotes[0].sentence.startswith("“We stand with the Sudanese people")


def test_enriching_again_from_the_same_texts_changes_nothing(store: Store) -> None:
    doc = _stored(store)
    _wire(store, enrich_tables()).run()
    translation = store.translation(doc.id)
    before = store.dump()
    assert enrich_and_store(store, enrich_tables(), doc, translation)
    assert store.dump() == before
    # A new extraction is enriched again, and replaces what was stored.
    changed = dataclasses.replace(
        doc, content_hash="h2",
        extracted=make_document(["Talks between Ukraine and Poland resumed."]).extracted)
    assert enrich_and_store(store, enrich_tables(), changed, translation)
    found = store.enrichment(doc.id)
    assert found is not None and {"PL", "UA"} <= set(found.country_codes)
    assert "SD" not in found.country_codes


def test_a_failing_enrichment_is_recorded_and_the_item_still_published(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    doc = _stored(store)
    broken = dataclasses.replace(enrich_tables(), gazetteer=None)  # type: ignore[arg-type]
    counts = _wire(store, broken).run()
    assert counts.published == 1 and counts.failed == 0
    stored = store.document(doc.id)
    assert stored is not None and stored.stage == Stage.PUBLISHED
    assert store.enrichment(doc.id) is None
    [row] = store.dump()["document_enrichment"]
    assert row["error"].startswith("enrich: AttributeError: ")
    assert "enrich: AttributeError" in caplog.text


def test_the_tables_are_read_once_per_process() -> None:
    assert enrich_tables() is enrich_tables()


def test_the_enrichment_key_follows_the_texts_not_the_time(store: Store) -> None:
    doc = _stored(store)
    _wire(store, enrich_tables()).run()
    translation = store.translation(doc.id)
    assert translation is not None
    key = stages.enrichment_key(doc, translation)
    assert key != stages.enrichment_key(dataclasses.replace(doc, content_hash="h2"), translation)
    later = dataclasses.replace(translation, translated_at=translation.translated_at.replace(
        year=2030))
    assert stages.enrichment_key(doc, later) == key
    edited = dataclasses.replace(translation, body=translation.body[:1])
    assert stages.enrichment_key(doc, edited) != key
