"""Records to rows and back.

Each function maps one model record onto the columns of one table in
``schema.py``, so that a field added to a record needs one change here.

Every row on its way in passes through :func:`clean`, the one place where
text is made storable: PostgreSQL refuses NUL in text and JSON, and neither
database accepts unpaired surrogates, which a broken page can carry.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import RowMapping

from babelwire.model import (
    Block,
    BlockKind,
    Document,
    Entry,
    Extracted,
    FetchState,
    Source,
    SourceHealth,
    Stage,
)

#: C0 controls other than tab, newline and carriage return: never text.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Surrogates cannot be encoded as UTF-8 on their own.
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` without C0 controls (tab, newline, CR kept); lone surrogates
    become U+FFFD."""
    text = _CONTROL_CHARS.sub("", text)
    return _SURROGATES.sub("\ufffd", text)


def can_be_stored(key: str) -> bool:
    """Whether a row could have ``key``: every stored text went through
    ``clean_text``, so a key it would change (a NUL, a control character, a
    lone surrogate) names nothing, and PostgreSQL would refuse to compare it."""
    return clean_text(key) == key


def clean(value: Any) -> Any:
    """``value`` with every string in it cleaned (JSON values included)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean(item) for item in value]
    return value


def offset_s(moment: datetime | None) -> int | None:
    """The UTC offset of an aware datetime, in seconds (None for None)."""
    if moment is None:
        return None
    offset = moment.utcoffset()
    return None if offset is None else int(offset.total_seconds())


def in_offset(moment: datetime | None, seconds: int | None) -> datetime | None:
    """A UTC datetime read back in the zone offset it was written with."""
    if moment is None or seconds is None:
        return moment
    return moment.astimezone(timezone(timedelta(seconds=seconds)))


#: documents columns that come from Extracted; all NULL when extracted is None.
EXTRACTED_COLUMNS = (
    "canonical_url",
    "title",
    "text",
    "blocks",
    "language",
    "declared_language",
    "language_confidence",
    "published",
    "published_has_time",
    "section",
    "byline",
    "description",
    "published_offset_s",
)


def source_row(source: Source) -> dict[str, Any]:
    """The catalog columns of a source (operator state and health excluded)."""
    return clean({
        "id": source.id,
        "name": source.name,
        "desk": source.desk,
        "region": source.region,
        "languages": list(source.languages),
        "category": source.category,
        "homepage": source.homepage,
        "origin": source.origin,
        "poll_interval_s": source.poll_interval_s,
    })


def health_from_row(row: RowMapping) -> SourceHealth:
    return SourceHealth(
        source_id=row["id"],
        last_success_at=row["last_success_at"],
        last_error=row["last_error"],
        last_error_at=row["last_error_at"],
        consecutive_failures=row["consecutive_failures"],
        next_due_at=row["next_due_at"],
        verified=row["verified"],
        checked_at=row["checked_at"],
    )


def fetch_state_row(state: FetchState) -> dict[str, Any]:
    return clean({
        "url": state.url,
        "source_id": state.source_id,
        "etag": state.etag,
        "last_modified": state.last_modified,
        "status": state.status,
        "consecutive_failures": state.consecutive_failures,
        "last_success_at": state.last_success_at,
        "last_error": state.last_error,
        "last_fetched_at": state.last_fetched_at,
        "next_due_at": state.next_due_at,
    })


def fetch_state_from_row(row: RowMapping) -> FetchState:
    # The table has exactly the record's fields.
    return FetchState(**{name: row[name] for name in FetchState.__dataclass_fields__})


def discovered_row(entry: Entry) -> dict[str, Any]:
    """A new document at stage DISCOVERED (timestamps are added by the caller)."""
    return clean({
        "id": entry.document_id,
        "source_id": entry.source_id,
        "url": entry.url,
        "stage": Stage.DISCOVERED.value,
        "found_in": entry.found_in,
        "entry_title": entry.title,
        "entry_published": entry.published,
        "entry_published_offset_s": offset_s(entry.published),
    })


def document_row(doc: Document) -> dict[str, Any]:
    """Every stored column of a document except attempts and the timestamps
    of the row itself (created_at, updated_at)."""
    row: dict[str, Any] = {
        "id": doc.id,
        "source_id": doc.source_id,
        "url": doc.url,
        "stage": Stage(doc.stage).value,
        "reason": doc.reason,
        "found_in": doc.found_in,
        "entry_title": doc.entry_title,
        "entry_published": doc.entry_published,
        "entry_published_offset_s": offset_s(doc.entry_published),
        "final_url": doc.final_url,
        "fetched_at": doc.fetched_at,
        "http_status": doc.http_status,
        "charset": doc.charset,
        "warc_file": doc.warc_file,
        "warc_offset": doc.warc_offset,
        "warc_record_id": doc.warc_record_id,
        "content_hash": doc.content_hash,
        "duplicate_of": doc.duplicate_of,
        "extra": [[key, value] for key, value in doc.extra] if doc.extra else None,
    }
    row.update(_extracted_columns(doc.extracted))
    return clean(row)


def _extracted_columns(extracted: Extracted | None) -> dict[str, Any]:
    if extracted is None:
        columns: dict[str, Any] = dict.fromkeys(EXTRACTED_COLUMNS)
        columns["published_has_time"] = False
        return columns
    return {
        "canonical_url": extracted.canonical_url,
        "title": extracted.title,
        "text": extracted.text,
        "blocks": [_block_json(block) for block in extracted.blocks],
        "language": extracted.language,
        "declared_language": extracted.declared_language,
        "language_confidence": extracted.language_confidence,
        "published": extracted.published,
        "published_has_time": extracted.published_has_time,
        "section": extracted.section,
        "byline": extracted.byline,
        "description": extracted.description,
        "published_offset_s": offset_s(extracted.published),
    }


def _block_json(block: Block) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": BlockKind(block.kind).value, "text": block.text}
    if block.cells:
        data["cells"] = list(block.cells)
    return data


def document_from_row(row: RowMapping) -> Document:
    extracted = None
    if row["blocks"] is not None:
        extracted = Extracted(
            title=row["title"],
            blocks=tuple(
                Block(BlockKind(b["kind"]), b["text"], tuple(b.get("cells", ())))
                for b in row["blocks"]
            ),
            language=row["language"],
            declared_language=row["declared_language"],
            language_confidence=row["language_confidence"],
            published=in_offset(row["published"], row["published_offset_s"]),
            published_has_time=row["published_has_time"],
            section=row["section"],
            byline=row["byline"],
            canonical_url=row["canonical_url"],
            description=row["description"],
        )
    return Document(
        id=row["id"],
        source_id=row["source_id"],
        url=row["url"],
        stage=Stage(row["stage"]),
        extracted=extracted,
        reason=row["reason"],
        fetched_at=row["fetched_at"],
        http_status=row["http_status"],
        final_url=row["final_url"],
        charset=row["charset"],
        warc_file=row["warc_file"],
        warc_offset=row["warc_offset"],
        warc_record_id=row["warc_record_id"],
        content_hash=row["content_hash"],
        duplicate_of=row["duplicate_of"],
        found_in=row["found_in"],
        entry_title=row["entry_title"],
        entry_published=in_offset(row["entry_published"], row["entry_published_offset_s"]),
        extra=tuple((key, value) for key, value in row["extra"] or ()),
    )
