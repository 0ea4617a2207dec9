"""Items and translations to JSON and rows, and back.

An item is stored whole as JSON (``items.data``, ``item_versions.data``)
with its dates as ISO-8601 text *with their own offset*: a timestamp column
keeps the instant but not the zone, and the wire dateline prints the date in
the source's zone. The query columns of ``items`` are copied from it here.
Strings pass through ``rows.clean`` like every other row.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from babelwire.errors import StoreError
from babelwire.model import Item, SegmentTranslation, Translation
from babelwire.store.rows import clean

_ITEM_DATES = frozenset({"published", "first_created", "version_created"})
_ITEM_TUPLES = frozenset({"body", "engines", "flags"})
_ITEM_FIELDS = tuple(f.name for f in fields(Item))


def item_json(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in _ITEM_FIELDS:
        value = getattr(item, name)
        if name in _ITEM_DATES and value is not None:
            _require_zone(value, f"item {item.id}: {name}")
            value = value.isoformat()
        elif name in _ITEM_TUPLES:
            value = list(value)
        data[name] = value
    cleaned: dict[str, Any] = clean(data)
    return cleaned


def item_from_json(data: dict[str, Any]) -> Item:
    # Keys this version does not know (written by a newer one) are ignored;
    # fields added since the row was written take their defaults.
    values: dict[str, Any] = {}
    for name in _ITEM_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in _ITEM_DATES and value is not None:
            value = datetime.fromisoformat(value)
        elif name in _ITEM_TUPLES:
            value = tuple(value)
        values[name] = value
    return Item(**values)


def item_row(item: Item, data: dict[str, Any], seq: int) -> dict[str, Any]:
    """The ``items`` row of an item (``data`` is its ``item_json``)."""
    return {
        "id": data["id"],
        "seq": seq,
        "document_id": data["document_id"],
        "source_id": data["source_id"],
        "region": data["region"],
        "original_language": data["original_language"],
        "section": data["section"],
        "version": item.version,
        "published": item.published,
        "dated_at": item.published or item.first_created,
        "first_created": item.first_created,
        "version_created": item.version_created,
        "data": data,
    }


def _require_zone(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise StoreError(
            f"store: naive datetime {moment.isoformat()} in {what} (a zone is required)"
        )


def _segment_json(segment: SegmentTranslation | None) -> dict[str, Any] | None:
    if segment is None:
        return None
    return {
        "source_text": segment.source_text,
        "text": segment.text,
        "engine": segment.engine,
        "model": segment.model,
        "model_version": segment.model_version,
        "flags": list(segment.flags),
        "cached": segment.cached,
    }


def _segment(data: dict[str, Any] | None) -> SegmentTranslation | None:
    if data is None:
        return None
    return SegmentTranslation(
        source_text=data["source_text"],
        text=data["text"],
        engine=data["engine"],
        model=data["model"],
        model_version=data["model_version"],
        flags=tuple(data.get("flags", ())),
        cached=bool(data.get("cached", False)),
    )


def translation_row(translation: Translation) -> dict[str, Any]:
    row: dict[str, Any] = clean(
        {
            "document_id": translation.document_id,
            "source_language": translation.source_language,
            "target_language": translation.target_language,
            "translated_at": translation.translated_at,
            "segments": {
                "headline": _segment_json(translation.headline),
                "section": _segment_json(translation.section),
                "body": [_segment_json(segment) for segment in translation.body],
            },
        }
    )
    return row


def translation_from_row(row: Any) -> Translation:
    segments = row["segments"]
    return Translation(
        document_id=row["document_id"],
        source_language=row["source_language"],
        target_language=row["target_language"],
        headline=_segment(segments.get("headline")),
        section=_segment(segments.get("section")),
        body=tuple(s for s in (_segment(d) for d in segments.get("body", ())) if s is not None),
        translated_at=row["translated_at"],
    )
