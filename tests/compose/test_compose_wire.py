"""The wire text: the reference layout, en dashes, no truncation, datelines."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from babelwire.compose import DISCLAIMERS, render_wire
from babelwire.compose.dateline import format_dateline, format_offset

MOSCOW = timezone(timedelta(hours=3))

MIL_OSI_DISCLAIMER = (
    "Please note: This information is raw content obtained directly from the source. "
    "It represents an accurate account of the source's assertions and does not "
    "necessarily reflect the position of MIL-OSI or its clients."
)


def test_reference_layout(story):
    text = render_wire(story.item())
    lines = text.split("\n")
    assert lines[:5] == [
        story.en_headline,
        "Translation. Region: Russian Federation \u2013",
        "Source: United Nations \u2013 United Nations \u2013",
        "An important disclaimer is at the bottom of this article.",
        "December 12, 2025 Peace and security",
    ]
    assert lines[5:8] == list(story.en_body)
    assert lines[-2] == MIL_OSI_DISCLAIMER
    assert lines[-1] == ""  # the text ends with a newline
    assert text.endswith(MIL_OSI_DISCLAIMER + "\n")


def test_disclaimer_table_matches_the_reference_wording():
    assert DISCLAIMERS["1"].format(publisher="MIL-OSI") == MIL_OSI_DISCLAIMER


def test_header_separators_are_en_dashes(story):
    header = render_wire(story.item()).split("\n")[1:3]
    assert all(line.endswith(" \u2013") for line in header)
    assert header[1].count("\u2013") == 2
    assert "-" not in "".join(header)  # no hyphen-minus stands in for the dash


def test_long_fields_are_never_cut(story):
    region = "Region " + "r" * 193
    name = "Ministry " + "n" * 191
    desk = "Desk " + "d" * 195
    section = "Section " + "s" * 192
    assert {len(region), len(name), len(desk), len(section)} == {200}
    item = replace(story.item(region=region, name=name, desk=desk), section=section)
    lines = render_wire(item).split("\n")
    assert lines[1] == f"Translation. Region: {region} \u2013"
    assert lines[2] == f"Source: {name} \u2013 {desk} \u2013"
    assert lines[4] == f"December 12, 2025 {section}"


def test_english_source_has_no_translation_line(story):
    doc = story.doc(body=story.en_body, title=story.en_headline, language="en",
                    section="Peace and security")
    lines = render_wire(story.compose(doc, None)).split("\n")
    assert lines[1] == "Region: Russian Federation \u2013"
    assert "Translation." not in render_wire(story.compose(doc, None))


def test_official_english_version_is_marked(story):
    doc = story.doc()
    item = story.compose(doc, story.translation(doc, engine="official"))
    assert item.kind == "official"
    assert render_wire(item).split("\n")[1] == (
        "Official English version. Region: Russian Federation \u2013"
    )


def test_local_time_is_printed_with_its_zone(story):
    doc = story.doc(published=datetime(2025, 12, 12, 10, 30, tzinfo=MOSCOW),
                    published_has_time=True)
    lines = render_wire(story.compose(doc, story.translation(doc))).split("\n")
    assert lines[4] == "December 12, 2025 10:30 UTC+03:00 Peace and security"


def test_date_stays_in_the_source_zone():
    # 01:30 in Moscow on the 12th is still the 11th in UTC: the source's date wins.
    early = datetime(2025, 12, 12, 1, 30, tzinfo=MOSCOW)
    assert format_dateline(early, True, None) == "December 12, 2025 01:30 UTC+03:00"
    assert format_dateline(early, False, None) == "December 12, 2025"


@pytest.mark.parametrize(("offset", "expected"), [
    (timedelta(0), "UTC"),
    (timedelta(hours=3), "UTC+03:00"),
    (timedelta(hours=-5, minutes=-30), "UTC-05:30"),
    (timedelta(hours=5, minutes=45), "UTC+05:45"),
])
def test_offsets(offset, expected):
    assert format_offset(offset) == expected


def test_dateline_parts_may_be_missing(story):
    assert format_dateline(datetime(2025, 1, 5, tzinfo=UTC), False, None) == "January 5, 2025"
    # A time with no zone is not printed: it could be any of 26 hours.
    assert format_dateline(datetime(2025, 1, 5, 9, 15), True, "World") == "January 5, 2025 World"
    assert format_dateline(None, False, "World") == "World"
    item = replace(story.item(), published=None, section=None)
    lines = render_wire(item).split("\n")
    assert lines[4] == story.en_body[0]  # no empty dateline line


def test_unknown_kind_is_refused(story):
    with pytest.raises(ValueError, match="unknown kind"):
        render_wire(replace(story.item(), kind="paraphrase"))
