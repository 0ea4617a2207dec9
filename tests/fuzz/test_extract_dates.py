"""Dates a page states that no datetime can hold: unknown, never an exception (issue 12.2)."""

from __future__ import annotations

import pytest

from babelwire.extract import extract
from babelwire.extract.dates import parse_date

OUT_OF_RANGE = (
    "Mon, 31 Dec 9999 23:59:59 -0100",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00+01:00",
    "2025-01-01T00:00:00+99:00",  # an offset of four days
    "1/1/0T0:00-3000",  # found by the fuzzer
)

ARTICLE = (
    "<p>The ministry published its annual report on the coast today, with figures for "
    "every harbour and a plan for the next ten years of repairs and new moorings.</p>"
) * 4


@pytest.mark.parametrize("raw", OUT_OF_RANGE)
def test_parse_date_leaves_it_unknown(raw: str) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize("raw", OUT_OF_RANGE)
def test_a_page_with_such_a_date_is_extracted(raw: str) -> None:
    page = (
        f"<html><head><title>Annual coast report</title>"
        f"<meta property='article:published_time' content='{raw}'></head>"
        f"<body><article><h1>Annual coast report</h1>{ARTICLE}</article></body></html>"
    )
    extracted = extract(page, url="https://ministry.example/news/2025/report")
    assert extracted.published is None or 1990 <= extracted.published.year <= 2100
