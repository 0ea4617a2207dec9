"""Stories: every item on the wire joins a story or starts one.

A step across documents, like dedup, run once items are stored: at the end
of each in-process run (``runner.Runner.run_once``) and by the workers'
``stories`` task, which the scheduler enqueues after the translate phase.
Both call :func:`assign_new_items`, so there is one way stories are made.

Items are taken oldest first and compared with the members seen within the
story window before them (``enrich.stories.assign_stories``); an item that
bridges two stories makes them one. A stored member is never taken out of
its story, so a rerun finds nothing to do and a reprocessed item keeps
its story. The keys are those the enrich stage stored for the document
(``Store.enrichments``), or, for a document it has not enriched yet, what
it finds in the document and its translation now; the English text is the
item's own headline and body; the original's headline (and opening, as
``story_opening_chars`` says; the source text of its translation's
segments) is embedded by
``enrich.embedding``, whose model the first item to group loads.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from babelwire.enrich import Enrichment, EnrichTables, enrich_document
from babelwire.enrich.embedding import OPENING_CHARS, EmbeddingModel, original_text
from babelwire.enrich.stories import (
    Member,
    StoryDoc,
    TextModel,
    TfidfModel,
    assign_stories,
    story_doc,
)
from babelwire.enrich.storysettings import StorySettings
from babelwire.model import Item
from babelwire.run.resources import enrich_tables
from babelwire.store import Store
from babelwire.store.items import listed_at
from babelwire.store.stories import MapPlace, NewMember, StoryStore

log = logging.getLogger("babelwire.stories")


def assign_new_items(store: Store, settings: StorySettings | None = None, *,
                     tables: EnrichTables | None = None,
                     model: TextModel | None = None,
                     embedder: TextModel | None = None) -> int:
    """Put every item that is in no story into one; returns how many."""
    settings = settings or StorySettings.load()
    tables = tables or enrich_tables()
    model = model or TfidfModel()
    if embedder is None and settings.embeddings:
        embedder = EmbeddingModel()
    window = timedelta(days=settings.window_days)
    added = 0
    while batch := store.stories.unassigned_items():
        stored = store.enrichments([item.document_id for item in batch])
        enriched = {item.document_id: stored.get(item.document_id) or _enrich(store, item, tables)
                    for item in batch}
        originals = store.stories.originals(batch)
        docs = {item.document_id: _story_doc(item, enriched[item.document_id],
                                             originals[item.document_id], settings.opening_chars)
                for item in batch}
        oldest = min(listed_at(item) for item in batch)
        context = [Member(StoryDoc(m.document_id, m.seen_at, m.language, m.english, m.keys,
                                   m.source_id,
                                   _opening(m.language, m.original, settings.opening_chars)),
                          m.story_id)
                   for m in store.stories.members_since(oldest - window)]
        by_doc = {item.document_id: item for item in batch}
        plan = assign_stories(list(docs.values()), context, model, settings.params, embedder)
        members = [_new_member(by_doc[a.document_id], a.story_id, a.score,
                               docs[a.document_id], enriched[a.document_id])
                   for a in plan.assignments]
        joined = store.stories.add_members(members, plan.merged)
        if not joined:
            break  # another writer took them all: nothing is left to do here
        added += joined
    if added:
        log.info("stories: %d items assigned", added)
    return added


def _enrich(store: Store, item: Item, tables: EnrichTables) -> Enrichment:
    doc = store.document(item.document_id)
    if doc is None or doc.extracted is None:
        return Enrichment(item.document_id, (), (), (), ())
    return enrich_document(doc, store.translation(doc.id), tables)


def _opening(language: str, original: tuple[str, ...], opening_chars: int) -> str | None:
    return original_text(language, original[0], original[1:], opening_chars) if original else None


def _story_doc(item: Item, enrichment: Enrichment, original: tuple[str, ...] = (),
               opening_chars: int = OPENING_CHARS) -> StoryDoc:
    english = "\n".join([item.headline, *item.body])
    return story_doc(enrichment, published=listed_at(item), language=item.original_language,
                     english=english, source_id=item.source_id,
                     original=_opening(item.original_language, original, opening_chars))


def _map_places(enrichment: Enrichment) -> tuple[MapPlace, ...]:
    return tuple(MapPlace(p.key, p.name, p.country_code, p.latitude, p.longitude)
                 for p in enrichment.places)


def _new_member(item: Item, story_id: str, score: float | None, doc: StoryDoc,
                enrichment: Enrichment) -> NewMember:
    return NewMember(item.document_id, story_id, item.id, item.source_id,
                     item.original_language, listed_at(item), score,
                     tuple(sorted(doc.keys)), _map_places(enrichment))


def refresh_member(stories: StoryStore, item: Item, enrichment: Enrichment) -> bool:
    """After an item's text changed (an editor's version): its member row
    takes the keys and places of the new enrichment and stays in its story,
    as every stored member does. False when the item is in no story yet (the
    next story step puts it in one, from the new enrichment)."""
    keys = _story_doc(item, enrichment).keys
    return stories.refresh_member(item.document_id, item.id, tuple(sorted(keys)),
                                  _map_places(enrichment))
