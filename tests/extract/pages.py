"""Fixture pages and the offline corpus, shared by the extract tests."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"
#: ../shared/corpus next to the repository (third-party pages, read only).
CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus"
EXPECTATIONS = Path(__file__).parent / "expectations.toml"

#: Loopback URL given as the page address; nothing is ever fetched from it.
PAGE_URL = "http://127.0.0.1:8080/news/2025/12/water-plan"


def read_fixture(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")
