"""What a reader is told about a stored document that is not (yet) a wire item.

Every stored document has a page (``/documents/{id}``, with its ``.json``
twin): the original text, what the source said about it, where it was found
and archived, and why it is not on the wire, in words for a reader rather
than the operator's message ("translate: no engine for ar→en: run ...").
"""

from __future__ import annotations

from typing import Any

from babelwire.compose.labels import language_name
from babelwire.model import Document, Item, Source, Stage

#: Scripts written right to left, by language code: their text gets dir="rtl".
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})

#: What the wire says of a document shown in its original language.
NOT_TRANSLATED = "original, not yet translated"


def text_dir(language: str | None) -> str:
    """The ``dir`` of text in ``language``: ``rtl`` or ``auto`` (let the text decide)."""
    base = (language or "").lower().replace("_", "-").split("-")[0]
    return "rtl" if base in RTL_LANGUAGES else "auto"


def document_title(doc: Document) -> str:
    title = doc.extracted.title if doc.extracted else None
    return title or doc.entry_title or doc.url


def document_language(doc: Document) -> str | None:
    return doc.extracted.language if doc.extracted else None


def waiting_reason(doc: Document) -> str:
    """Why a document is not on the wire, for a reader. The stored reason is
    written for the operator (stage prefix, commands to run); only its kind
    is used here."""
    reason = doc.reason or ""
    language = document_language(doc)
    named = language_name(language) if language else "its language"
    if doc.stage is Stage.EXTRACTED:
        if reason.startswith("translate: no engine"):
            return (f"This wire has no translation engine for {named} yet, so the document "
                    "is shown as the source published it. It will be translated when one is "
                    "added.")
        if reason.startswith("translate:"):
            return ("Machine translation of this document did not succeed; it is tried again "
                    "on a later run. Meanwhile it is shown as the source published it.")
        if reason.startswith("compose:"):
            return ("The document was translated but held back before publication, so it is "
                    "shown as the source published it.")
        return "The document is queued for translation; it is shown as the source published it."
    if doc.stage is Stage.SKIPPED:
        return "The document was set aside: it did not read as an article the wire publishes."
    if doc.stage is Stage.FAILED:
        return "Reading this document failed; it is tried again on a later run."
    return "The document has been found but not read yet."


def document_json(doc: Document, item: Item | None, source: Source | None,
                  root_url: str) -> dict[str, Any]:
    """The JSON twin of a document page."""
    extracted = doc.extracted
    language = document_language(doc)
    published = extracted.published if extracted else None
    return {
        "document_id": doc.id,
        "page": f"{root_url}/documents/{doc.id}",
        "status": "on the wire" if item is not None else NOT_TRANSLATED,
        "item": f"{root_url}/items/{item.id}/{item.slug}" if item is not None else None,
        "why": None if item is not None else waiting_reason(doc),
        "source": {"id": doc.source_id, "name": source.name if source else None,
                   "desk": source.desk if source else None,
                   "region": source.region if source else None},
        "language": language,
        "language_name": language_name(language) if language else None,
        "title": document_title(doc),
        "section": extracted.section if extracted else None,
        "byline": extracted.byline if extracted else None,
        "published": published.isoformat() if published else None,
        "published_has_time": extracted.published_has_time if extracted else False,
        "paragraphs": [block.text for block in extracted.blocks] if extracted else [],
        "provenance": {
            "url": doc.url, "final_url": doc.final_url, "found_in": doc.found_in,
            "fetched_at": doc.fetched_at.isoformat() if doc.fetched_at else None,
            "http_status": doc.http_status, "charset": doc.charset,
            "archive_record": doc.warc_record_id, "content_hash": doc.content_hash,
            "stage": doc.stage.value,
        },
    }
