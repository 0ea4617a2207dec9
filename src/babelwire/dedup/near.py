"""Near-duplicate detection over extracted documents."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from datasketch import MinHash, MinHashLSH

from babelwire.model import Document

#: Words per shingle. Four words are specific enough that two unrelated
#: press releases of one ministry share almost none (below 0.05 Jaccard on the
#: demo world), yet a copy with a different lead paragraph still shares most.
SHINGLE_WORDS = 4
#: Jaccard similarity from which two texts are one story. Copies of one
#: statement with different page furniture measure about 0.9.
SAME_STORY_JACCARD = 0.7
#: MinHash size and LSH threshold: the LSH only proposes candidates, set well
#: below the decision threshold so that no true pair is missed.
NUM_PERM = 64
LSH_THRESHOLD = 0.4
#: Texts shorter than this many shingles are too short to call copies.
MIN_SHINGLES = 12

_WORD = re.compile(r"\w+")
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


def shingles(text: str) -> frozenset[str]:
    words = _WORD.findall(text.casefold())
    return frozenset(
        " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
    )


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _minhash(items: frozenset[str]) -> MinHash:
    signature = MinHash(num_perm=NUM_PERM, seed=1)
    signature.update_batch([s.encode() for s in sorted(items)])
    return signature


def _oldest_first(doc: Document) -> tuple[datetime, str]:
    published = doc.extracted.published if doc.extracted else None
    return (published or doc.entry_published or _FAR_FUTURE, doc.id)


def find_duplicates(documents: Sequence[Document]) -> dict[str, str | None]:
    """Map every document id to the id of the original it copies, or None.

    Documents are visited oldest first (publication time, then id), so the
    answer depends only on the set of documents, never on the order in which
    workers happened to store them.
    """
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    kept: dict[str, frozenset[str]] = {}
    original_of: dict[str, str | None] = {}
    for doc in sorted(documents, key=_oldest_first):
        text = doc.extracted.text if doc.extracted else ""
        grams = shingles(text)
        original_of[doc.id] = None
        if len(grams) < MIN_SHINGLES:
            continue
        signature = _minhash(grams)
        candidates = sorted(lsh.query(signature), key=lambda i: list(kept).index(i))
        for candidate in candidates:
            if similarity(grams, kept[candidate]) >= SAME_STORY_JACCARD:
                original_of[doc.id] = candidate
                break
        else:
            # Only originals go into the index: a copy of a copy points at
            # the first publication, not at the copy in between.
            lsh.insert(doc.id, signature)
            kept[doc.id] = grams
    return original_of
