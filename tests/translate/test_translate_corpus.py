"""Segmentation and masking over real pages of ../shared/corpus, in every language.

The pages are read in place (never copied); paragraphs are the text of their
``<p>`` elements, which is close enough to what extraction gives.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from babelwire.translate.protect import RESTORE_PATTERN, find_spans, mask, unmask
from babelwire.translate.segment import text_pieces

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus"
MAX_SENTENCE_CHARS = 300

pytestmark = pytest.mark.corpus


def corpus_paragraphs() -> dict[str, list[str]]:
    if not (CORPUS / "manifest.jsonl").is_file():
        pytest.skip("../shared/corpus is not here")
    by_lang: dict[str, list[str]] = {}
    for line in (CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["kind"] != "page" or not row.get("lang"):
            continue
        html = (CORPUS / row["path"]).read_bytes().decode(row["encoding"], errors="replace")
        tree = lxml.html.fromstring(html)
        texts = [" ".join(p.text_content().split()) for p in tree.iter("p")]
        by_lang.setdefault(row["lang"], []).extend(t for t in texts if len(t) > 40)
    return by_lang


@pytest.fixture(scope="module")
def paragraphs() -> dict[str, list[str]]:
    return corpus_paragraphs()


def test_mask_round_trip_on_every_paragraph(paragraphs: dict[str, list[str]]) -> None:
    for texts in paragraphs.values():
        for text in texts:
            result = mask(text, find_spans(text))
            assert unmask(result.text, result.originals).text == text


def test_pieces_cover_each_paragraph_and_respect_the_length_limit(
    paragraphs: dict[str, list[str]],
) -> None:
    assert len(paragraphs) >= 10
    for lang, texts in paragraphs.items():
        for text in texts:
            pieces = text_pieces(text, lang, MAX_SENTENCE_CHARS, find_spans)
            assert re.sub(r"\s", "", "".join(p.text for p in pieces)) == re.sub(r"\s", "", text)
            for piece in pieces:
                longest_span = max((s.end - s.start for s in piece.spans), default=0)
                assert len(piece.text) <= max(MAX_SENTENCE_CHARS, longest_span + 1), piece.text
                masked = mask(piece.text, piece.spans).text
                assert len(RESTORE_PATTERN.findall(masked)) == len(piece.spans)
