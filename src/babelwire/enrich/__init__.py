"""The enrich stage: who, where, what about, and who said what.

For one document (and its English translation, when there is one) the stage
finds places resolved to ISO 3166-1 codes and coordinates, people and
organisations, IPTC Media Topics and quotes with their speakers, in the
original and the translation alike. The tables it reads (gazetteer, bodies,
topic keywords, attribution verbs) are data files under ``data/``, loaded
once at start-up by :func:`load_tables`; the stage itself is a pure function.

``stories`` groups enriched documents into cross-lingual stories.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babelwire.enrich.entities import EntityTables, find_entities, load_entity_tables
from babelwire.enrich.lexicon import Lexicon
from babelwire.enrich.passages import passages
from babelwire.enrich.places import DATA_DIR, Gazetteer, find_places, load_gazetteer
from babelwire.enrich.quotes import find_quotes, load_attribution
from babelwire.enrich.records import (
    Enrichment,
    Entity,
    EntityKind,
    Mention,
    Place,
    Quote,
    Side,
    Topic,
)
from babelwire.enrich.topics import TopicTable, find_topics, load_topic_table
from babelwire.model import Document, Translation


@dataclass(frozen=True, slots=True)
class EnrichTables:
    gazetteer: Gazetteer
    entities: EntityTables
    topics: TopicTable
    attribution: Lexicon


def load_tables(data_dir: Path = DATA_DIR) -> EnrichTables:
    """Read every table of the stage; raises ConfigError naming a bad file."""
    return EnrichTables(
        gazetteer=load_gazetteer(data_dir),
        entities=load_entity_tables(data_dir),
        topics=load_topic_table(data_dir),
        attribution=load_attribution(data_dir),
    )


def enrich_document(
    document: Document, translation: Translation | None, tables: EnrichTables
) -> Enrichment:
    """Places, entities, topics and quotes of one document.

    A document without extracted text gets the fallback topic and nothing else.
    """
    texts = passages(document, translation)
    entities = find_entities(texts, tables.entities, tables.gazetteer)
    return Enrichment(
        document_id=document.id,
        places=find_places(texts, tables.gazetteer),
        entities=entities,
        topics=find_topics(texts, tables.topics),
        quotes=find_quotes(texts, entities, tables.attribution, tables.entities.titles),
    )


__all__ = [
    "EnrichTables",
    "Enrichment",
    "Entity",
    "EntityKind",
    "Mention",
    "Place",
    "Quote",
    "Side",
    "Topic",
    "enrich_document",
    "load_tables",
]
