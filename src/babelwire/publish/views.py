"""JSON shapes shared by the JSON twins of the pages and by the API.

An item is always its ninjs 3.1 object (the canonical form); the envelopes
around lists (paging, facets, snippets, the waiting list, source health) are
plain JSON defined here once, so ``/index.json`` and ``/api/v1/items`` cannot
drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from babelwire.compose import to_ninjs
from babelwire.compose.labels import language_name
from babelwire.enrich.ninjs import ninjs_extras
from babelwire.enrich.places import country_names
from babelwire.enrich.records import Enrichment
from babelwire.enrich.topics import topic_names
from babelwire.model import Document, Item, Source, SourceHealth, Translation
from babelwire.publish.documentpage import NOT_TRANSLATED, document_title, waiting_reason
from babelwire.store.query import ItemPage


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def item_json(item: Item, base_url: str, found: Enrichment | None = None) -> dict[str, Any]:
    """The item's ninjs; with what the enrich stage ``found`` in its document,
    IPTC Media Topics in ``subjects``, and its places, people and organisations."""
    return to_ninjs(item, base_url=base_url,
                    extras=ninjs_extras(found) if found is not None else None)


def facets_json(facets: Mapping[str, Sequence[tuple[str, int]]]) -> dict[str, Any]:
    return {name: [{"value": value, "count": count} for value, count in values]
            for name, values in facets.items()}


def page_json(page: ItemPage, base_url: str, next_url: str | None) -> dict[str, Any]:
    """An item list: ninjs items, the cursor and the URL of the next page."""
    body: dict[str, Any] = {
        "items": [item_json(item, base_url, page.enrichments.get(item.document_id))
                  for item in page.items],
        "next_cursor": page.next_cursor,
        "next": next_url,
    }
    if page.total is not None:
        body["total"] = page.total
        # Counted over the newest matches and scaled when there are many
        # (store/facetsample.py): "about" the total, and the facets.
        body["approximate"] = page.approximate
    if page.facets:
        body["facets"] = facets_json(page.facets)
    return body


def search_json(page: ItemPage, base_url: str, next_url: str | None) -> dict[str, Any]:
    """Search results: each ninjs item with its highlighted snippet (HTML)."""
    body = page_json(page, base_url, next_url)
    body["results"] = [
        {"id": item.id, "snippet_html": page.snippets.get(item.id)} for item in page.items
    ]
    return body


def waiting_json(doc: Document, root_url: str) -> dict[str, Any]:
    extracted = doc.extracted
    return {
        "document_id": doc.id,
        "page": f"{root_url}/documents/{doc.id}",
        "source": doc.source_id,
        "url": doc.url,
        "title": document_title(doc),
        "language": extracted.language if extracted else None,
        "status": NOT_TRANSLATED,
        "stage": doc.stage.value,
        "reason": doc.reason,
        "why": waiting_reason(doc),
    }


def source_label(source_id: str, source: Source | None) -> str:
    """A source as a reader tells it from the others of the same publisher:
    "United Nations — UN News (Russian)"."""
    if source is None:
        return source_id
    languages = ", ".join(language_name(code) for code in source.languages)
    desk = f" — {source.desk}" if source.desk and source.desk != source.name else ""
    return f"{source.name}{desk} ({languages})" if languages else f"{source.name}{desk}"


def facet_label(name: str, value: str, sources: Mapping[str, Source]) -> str:
    """A facet value as printed: sources by their label, languages, countries
    and IPTC topics by name."""
    if name == "source":
        return source_label(value, sources.get(value))
    if name == "language":
        return language_name(value)
    if name == "country":
        return country_names().get(value, value)
    if name == "topic":
        return topic_names().get(value, value)
    return value


def engines_used(translation: Translation | None) -> list[dict[str, str]]:
    """Each distinct engine/model/version that produced part of the translation."""
    if translation is None:
        return []
    segments = (translation.headline, translation.section, *translation.body)
    seen: dict[tuple[str, str, str], None] = {}
    for seg in segments:
        if seg is not None:
            seen[(seg.engine, seg.model, seg.model_version)] = None
    return [{"engine": e, "model": m, "version": v} for e, m, v in seen]


def health_json(
    health: SourceHealth, source: Source | None, items_per_day: float | None
) -> dict[str, Any]:
    return {
        "id": health.source_id,
        "name": source.name if source else None,
        "region": source.region if source else None,
        "languages": list(source.languages) if source else [],
        "verified": health.verified,
        "checked_at": _iso(health.checked_at),
        "last_success_at": _iso(health.last_success_at),
        "last_error": health.last_error,
        "last_error_at": _iso(health.last_error_at),
        "consecutive_failures": health.consecutive_failures,
        "next_due_at": _iso(health.next_due_at),
        "items_per_day": items_per_day,
    }


def translation_json(translation: Translation) -> dict[str, Any]:
    """A translation in the shape ``PUT /api/v1/documents/{id}/translation`` takes,
    plus the source text of each part, so an editor can start from it."""
    return {
        "document_id": translation.document_id,
        "source_language": translation.source_language,
        "translated_at": translation.translated_at.isoformat(),
        "headline": translation.headline.text if translation.headline else None,
        "section": translation.section.text if translation.section else None,
        "body": [seg.text for seg in translation.body],
        "source": {
            "headline": translation.headline.source_text if translation.headline else None,
            "section": translation.section.source_text if translation.section else None,
            "body": [seg.source_text for seg in translation.body],
        },
        "engines": engines_used(translation),
        "flags": list(translation.flags),
    }
