"""The stage on a real translation: Spanish demo pages through Apertium."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from babelwire.demo import WORLD_DIR
from babelwire.demo.manifest import load_manifest
from babelwire.demo.world import file_for
from babelwire.enrich import Enrichment, EnrichTables, Side, enrich_document
from babelwire.extract import extract
from babelwire.model import Document, Stage
from babelwire.translate.settings import TranslateSettings
from babelwire.translate.translator import Translator

VACCINATION = "http://prensa.gob.demo.test/noticias/52829-campana-de-vacunacion-de-verano"
MEMORANDUM = "http://bcra.demo.test/es/noticias/comunicados/cp-2025-11-06-memorando-supervision"


@pytest.fixture(scope="module")
def translator(apertium_spa_eng: None) -> Iterator[Translator]:
    built = Translator.from_settings(TranslateSettings(engines=("apertium",)))
    yield built
    for engine in built.engines.values():
        getattr(engine, "close", lambda: None)()


def _enriched(url: str, translator: Translator, tables: EnrichTables) -> Enrichment:
    article = load_manifest(WORLD_DIR).by_url()[url]
    parts = urlsplit(url)
    path = file_for(WORLD_DIR, parts.hostname or "", parts.path)
    assert path is not None
    extracted = extract(path.read_bytes().decode(article.charset), url=url)
    document = Document(id="d", source_id=article.source_id, url=url, stage=Stage.EXTRACTED,
                        extracted=extracted)
    translation = translator.translate_document("d", extracted.blocks, extracted.title, None, "es")
    return enrich_document(document, translation, tables)


def test_places_are_found_on_both_sides_as_one_place(
    translator: Translator, tables: EnrichTables
) -> None:
    places = {p.key: {m.side for m in p.mentions}
              for p in _enriched(MEMORANDUM, translator, tables).places}
    assert places["country:UY"] == {Side.ORIGINAL, Side.ENGLISH}
    assert places["city:3441575"] == {Side.ORIGINAL, Side.ENGLISH}  # Montevideo


def test_a_translated_quote_points_at_the_original_sentence(
    translator: Translator, tables: EnrichTables
) -> None:
    (quote,) = _enriched(VACCINATION, translator, tables).quotes
    assert quote.text.startswith("La vacunación es la herramienta")
    assert quote.english is not None and quote.english.startswith("The vaccination")
    assert quote.speaker == "Control de Enfermedades Inmunoprevenibles"
