from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

import pytest
from tests.enrich.conftest import make_document

from babelwire.demo import WORLD_DIR
from babelwire.demo.manifest import load_manifest
from babelwire.demo.world import file_for
from babelwire.enrich import Enrichment, EnrichTables, enrich_document
from babelwire.extract import extract
from babelwire.model import Document, Stage


def _demo_documents() -> list[Document]:
    documents = []
    for article in load_manifest(WORLD_DIR).articles:
        if article.expected == "skipped":
            continue
        parts = urlsplit(article.url)
        path = file_for(WORLD_DIR, parts.hostname or "", parts.path)
        assert path is not None
        extracted = extract(path.read_bytes().decode(article.charset, errors="replace"),
                            url=article.url)
        documents.append(Document(id=article.url, source_id=article.source_id, url=article.url,
                                  stage=Stage.EXTRACTED, extracted=extracted))
    return documents


def test_every_demo_document_is_enriched_with_a_topic_and_most_with_places(
    tables: EnrichTables,
) -> None:
    results = [enrich_document(doc, None, tables) for doc in _demo_documents()]
    assert len(results) >= 60
    assert all(r.topics for r in results)
    assert sum(bool(r.places) for r in results) >= 0.7 * len(results)
    assert sum(bool(r.entities) for r in results) >= 0.8 * len(results)
    sudan = next(r for r in results if r.document_id.endswith("/15231"))
    assert "SD" in sudan.country_codes and "EG" in sudan.country_codes


def test_records_are_immutable(tables: EnrichTables) -> None:
    result = enrich_document(make_document(["Talks in Moscow."]), None, tables)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.places = ()  # type: ignore[misc]


def test_a_document_without_text_gets_the_fallback_topic_only(tables: EnrichTables) -> None:
    empty = Document(id="x", source_id="s", url="http://example.test/", stage=Stage.FETCHED)
    assert enrich_document(empty, None, tables) == Enrichment(
        "x", (), (), (enrich_document(empty, None, tables).topics[0],), ())
    assert enrich_document(empty, None, tables).topics[0].code == "medtop:11000000"


def test_hostile_text_is_handled(tables: EnrichTables) -> None:
    hostile = ["«" * 5000, "“" + "word " * 20000, "\u200f" * 1000 + "السودان", "A" * 100000,
               "Москва " * 5000]
    result = enrich_document(make_document(hostile), None, tables)
    assert "country:SD" in {p.key for p in result.places}
