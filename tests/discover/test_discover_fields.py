"""Entry fields: dates with and without zones, plain text, summaries, language tags."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from babelwire.discover.charset import repair_double_encoding
from babelwire.discover.dates import feed_date, loose_date, w3c_datetime
from babelwire.discover.fields import language_tag, plain_text, short_summary
from babelwire.discover.xmlprep import repair_references, root_element

NOON_UTC = time.struct_time((2025, 12, 9, 12, 0, 0, 1, 343, 0))


@pytest.mark.parametrize(
    "raw",
    [
        "Tue, 09 Dec 2025 13:00:00 +0100",
        "2025-12-09T14:00:00+02:00",
        "Tue, 09 Dec 2025 12:00:00",  # no zone: read as UTC, as feedparser does
        None,
    ],
)
def test_feed_dates_come_from_feedparser_in_utc(raw: str | None) -> None:
    assert feed_date(raw, NOON_UTC) == datetime(2025, 12, 9, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1765281600", datetime(2025, 12, 9, 12, 0, tzinfo=UTC)),  # Unix time in dc:date
        ("Ter, 09 Dez 2025 09:00:00 -0300", datetime(2025, 12, 9, 12, 0, tzinfo=UTC)),
        ("Tue, 09 Dec 2025 21:00:00+0900", datetime(2025, 12, 9, 12, 0, tzinfo=UTC)),
        ("not a date", None),
        (None, None),
    ],
)
def test_feed_dates_feedparser_cannot_read(raw: str | None, expected: datetime | None) -> None:
    assert feed_date(raw, None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-12-09T12:00:00+03:00", datetime(2025, 12, 9, 9, 0, tzinfo=UTC)),
        ("12 декабря 2025, 14:30", datetime(2025, 12, 12, 14, 30, tzinfo=UTC)),
        ("le 3 mars 2025", datetime(2025, 3, 3, tzinfo=UTC)),
        ("5 de mayo de 2025", datetime(2025, 5, 5, tzinfo=UTC)),
        ("9. Juli 2025 | 10h15", datetime(2025, 7, 9, 10, 15, tzinfo=UTC)),
        ("December 12, 2025", datetime(2025, 12, 12, tzinfo=UTC)),
        ("03.04.2025", datetime(2025, 4, 3, tzinfo=UTC)),  # day first
        ("2025/04/03", datetime(2025, 4, 3, tzinfo=UTC)),
        ("2025年4月3日", datetime(2025, 4, 3, tzinfo=UTC)),
        ("31.02.2025", None),
        ("Press release", None),
        ("", None),
    ],
)
def test_loose_dates_on_listing_pages(text: str, expected: datetime | None) -> None:
    assert loose_date(text) == expected


def test_w3c_datetime() -> None:
    assert w3c_datetime("2025-12-09") == datetime(2025, 12, 9, tzinfo=UTC)
    assert w3c_datetime("2025-12-09T14:00:00+02:00") == datetime(2025, 12, 9, 12, tzinfo=UTC)
    assert w3c_datetime("2025-12-09T12:00Z") == datetime(2025, 12, 9, 12, tzinfo=UTC)
    assert w3c_datetime("yesterday") is None


@pytest.mark.parametrize(
    ("value", "is_html", "expected"),
    [
        ("<p>Resolution 2773</p><p>The council</p>", True, "Resolution 2773 The council"),
        ("A <b>bold</b> move", True, "A bold move"),
        ("<script>alert(1)</script>Text<style>p{}</style>", True, "Text"),
        ("a < b and c > d", False, "a < b and c > d"),
        ("Fish &amp; chips", False, "Fish & chips"),  # escaped twice upstream
        ("  spaced \n\t out  ", False, "spaced out"),
        ("", False, None),
        ("<p> </p>", True, None),
    ],
)
def test_plain_text(value: str, is_html: bool, expected: str | None) -> None:
    assert plain_text(value, is_html=is_html) == expected


def test_short_summary_cuts_at_a_word() -> None:
    text = "word " * 200
    summary = short_summary(text.strip(), 50)
    assert summary is not None and len(summary) <= 50 and summary.endswith("word…")
    assert short_summary("short", 50) == "short"
    cjk = "汉" * 100
    assert short_summary(cjk, 20) == "汉" * 19 + "…"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en_us", "en-US"), ("ZH-hant-tw", "zh-Hant-TW"), ("fr", "fr"), ("English", None), ("", None)],
)
def test_language_tag(value: str, expected: str | None) -> None:
    assert language_tag(value) == expected


def test_repair_references_leaves_cdata_and_declared_entities_alone() -> None:
    problems: list[str] = []
    text = "<a>x&y &nbsp; &own; &amp; &#38;</a><![CDATA[p&q &nbsp;]]><!-- a&b -->"
    repaired = repair_references(text, problems)
    assert repaired == "<a>x&amp;y &#160; &own; &amp; &#38;</a><![CDATA[p&q &nbsp;]]><!-- a&b -->"
    assert problems == ["1 unescaped '&' (escaped)", "1 HTML entities undefined in XML (replaced)"]


def test_root_element_skips_prolog() -> None:
    prolog = '<?xml version="1.0"?>\n<!-- <html> -->\n<!DOCTYPE rss [<!ENTITY a "b">]>\n'
    assert root_element(prolog + "<rdf:RDF xmlns:rdf='x'>") == "rdf"
    assert root_element("no markup") is None


def test_double_encoding_repair_leaves_genuine_text_alone() -> None:
    for text in ("Café crème — déjà vu", "Привет, мир", "Ã© is how mojibake looks"):
        assert repair_double_encoding(text) == text
