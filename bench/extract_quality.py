"""Extraction quality: babelwire's extractor against plain trafilatura.

Both run on the hand-written expectations in tests/extract/expectations.toml
(pages of ../shared/corpus) and are scored by babelwire.extract.evaluate.
The baseline is trafilatura as most projects call it: ``trafilatura.extract``
for the text, ``trafilatura.extract_metadata`` for title and date, and lingua
(the same detector as ours) on its text for the language; a page for which it
returns no text counts as dropped.

Run: .venv/bin/python bench/extract_quality.py [-v]
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from babelwire.errors import Drop
from babelwire.extract import extract
from babelwire.extract.evaluate import Report, load_expectations, score
from babelwire.extract.language import detect
from babelwire.model import Block, BlockKind, Extracted

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
EXPECTATIONS = REPO / "tests" / "extract" / "expectations.toml"


def ours(html: str, url: str | None) -> Extracted:
    return extract(html, url=url)


def trafilatura_default(html: str, url: str | None) -> Extracted:
    text = trafilatura.extract(html, url=url)
    if not text:
        raise Drop("trafilatura returned no text", stage="bench")
    meta = trafilatura.extract_metadata(html, default_url=url)
    published = None
    if meta is not None and meta.date:
        published = datetime.fromisoformat(meta.date[:10]).replace(tzinfo=UTC)
    detection = detect(text)
    return Extracted(
        title=meta.title if meta is not None else None,
        blocks=tuple(Block(BlockKind.PARAGRAPH, line) for line in text.splitlines() if line),
        language=detection.language if detection else None,
        published=published,
    )


def side_by_side(mine: Report, theirs: Report) -> str:
    lines = [f"{'component':>10}  {'babelwire':>9}  {'trafilatura':>11}"]
    for name in mine.components:
        lines.append(
            f"{name:>10}  {mine.components[name]:9.3f}  {theirs.components.get(name, 0.0):11.3f}"
        )
    lines.append(f"{'overall':>10}  {mine.overall:9.3f}  {theirs.overall:11.3f}")
    return "\n".join(lines)


def main() -> int:
    if not CORPUS.is_dir():
        print(f"extract_quality: {CORPUS} is absent; nothing to measure")
        return 0
    expectations = load_expectations(EXPECTATIONS, CORPUS)
    mine = score(expectations, ours)
    theirs = score(expectations, trafilatura_default)
    print(f"extract quality on {len(expectations)} corpus pages")
    print(side_by_side(mine, theirs))
    if "-v" in sys.argv:
        print("\nbabelwire, pages below 1:\n" + mine.format(verbose=True))
        print("\ntrafilatura, pages below 1:\n" + theirs.format(verbose=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
