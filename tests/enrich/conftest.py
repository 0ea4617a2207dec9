from __future__ import annotations

from datetime import UTC, datetime

import pytest

from babelwire.enrich import EnrichTables, load_tables
from babelwire.model import Block, BlockKind, Document, Extracted, Stage


@pytest.fixture(scope="session")
def tables() -> EnrichTables:
    return load_tables()


def make_document(
    body: list[str], *, title: str | None = None, language: str = "en", doc_id: str = "d1"
) -> Document:
    extracted = Extracted(
        title=title,
        blocks=tuple(Block(BlockKind.PARAGRAPH, text) for text in body),
        language=language,
        published=datetime(2025, 12, 10, tzinfo=UTC),
    )
    return Document(id=doc_id, source_id="s", url=f"http://example.test/{doc_id}",
                    stage=Stage.EXTRACTED, extracted=extracted)
