"""The dedup stage: the same story, published twice, is one story.

Official texts travel: a joint statement appears on a ministry's site and on
the central bank's, each with its own standfirst, dateline and press contact.
Exact hashes miss those copies, so documents are compared by their word
shingles (MinHash with LSH to find candidates, then the exact Jaccard
similarity to decide). The earliest-published copy is the original; every
other copy points at it through ``duplicate_of``.
"""

from babelwire.dedup.near import find_duplicates, shingles, similarity

__all__ = ["find_duplicates", "shingles", "similarity"]
