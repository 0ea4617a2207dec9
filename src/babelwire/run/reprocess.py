"""Rebuild every document from the WARC archive, without fetching anything.

Used after the extractor changes: each document with an archive record is
extracted again, and copies are decided afresh.
"""

from __future__ import annotations

from collections.abc import Sequence

from babelwire.fetch import Archive, fetched_from_archive
from babelwire.model import Source
from babelwire.run import stages
from babelwire.run.runner import mark_duplicates
from babelwire.store import Store


def reprocess(store: Store, archive: Archive, sources: Sequence[Source]) -> dict[str, int]:
    by_id = {s.id: s for s in sources}
    counts = {"rebuilt": 0, "skipped": 0, "missing": 0}
    for doc in list(store.documents()):
        source = by_id.get(doc.source_id)
        if source is None or not doc.warc_file or doc.warc_offset is None:
            counts["missing"] += 1
            continue
        try:
            fetched = fetched_from_archive(archive, doc.warc_file, doc.warc_offset)
            rebuilt = stages.extract_document(doc, fetched, source)
        except Exception as exc:  # Drop included: it stops one item
            rebuilt = stages.stopped(doc, exc, stage="extract")
            counts["skipped"] += 1
        else:
            counts["rebuilt"] += 1
        store.save_document(rebuilt)
    mark_duplicates(store)
    return counts
