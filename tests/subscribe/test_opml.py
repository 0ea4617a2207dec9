"""OPML: the wire's feeds out; sources in, with hostile files as fixtures."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from babelwire.errors import CatalogError
from babelwire.model import Source
from babelwire.subscribe.opml import (
    MAX_FEEDS,
    MAX_OPML_BYTES,
    import_sources,
    read_opml,
    source_id_for,
    wire_feeds,
    write_opml,
)

FIXTURES = Path(__file__).with_name("fixtures")
NOW = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
SOURCES = [
    Source(id="mfa-fr", name="Ministère", desk="Press", region="France", languages=("fr",),
           feeds=("https://d.example/rss",)),
    Source(id="un-news-ru", name="United Nations", desk="UN News",
           region="Russian Federation", languages=("ru", "en"), feeds=("https://u.example/",)),
]


def test_export_lists_every_feed_by_source_region_language_and_subscription() -> None:
    groups = wire_feeds("https://wire.example", SOURCES, ["sahel", "paris"])
    body = write_opml("Test Wire: every feed", groups, NOW)
    root = etree.fromstring(body)
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Test Wire: every feed"
    assert root.findtext("head/dateCreated") == "Fri, 04 Dec 2026 08:00:00 GMT"
    folders = {f.get("text"): [o.get("xmlUrl") for o in f] for f in root.iterfind("body/outline")}
    assert folders == {
        "Sources": ["https://wire.example/feeds/atom?source=mfa-fr",
                    "https://wire.example/feeds/atom?source=un-news-ru"],
        "Regions": ["https://wire.example/feeds/atom?region=France",
                    "https://wire.example/feeds/atom?region=Russian+Federation"],
        "Languages": ["https://wire.example/feeds/atom?language=en",
                      "https://wire.example/feeds/atom?language=fr",
                      "https://wire.example/feeds/atom?language=ru"],
        "Subscriptions": ["https://wire.example/feeds/subscriptions/paris.atom",
                          "https://wire.example/feeds/subscriptions/sahel.atom"],
    }
    first = root.find("body/outline/outline")
    assert first is not None and first.get("text") == "Ministère – Press"
    assert first.get("htmlUrl") == "https://wire.example/?source=mfa-fr"


def test_an_exported_list_reads_back() -> None:
    body = write_opml("t", wire_feeds("https://wire.example", SOURCES, ["sahel"]), NOW)
    assert len(read_opml(body, "export.opml")) == 2 + 2 + 3 + 1


def test_import_adds_good_outlines_and_names_each_bad_one(tmp_path: Path) -> None:
    feeds = read_opml((FIXTURES / "feeds.opml").read_bytes(), "feeds.opml")
    assert [f.place for f in feeds] == [
        "outline 2 (Ministry of Examples)", "outline 3 (Ведомство примеров)",
        "outline 4 (Intranet)", "outline 5 (Scripted)", "outline 6 (African Union)"]
    report = import_sources(feeds, tmp_path, label="feeds.opml", region="Russian Federation",
                            language="ru", file_name="imported.toml")
    assert report.added == ["ministry-of-examples", "vedomstvo-example-ru"]
    assert len(report.problems) == 3
    intranet, scripted, taken = report.problems
    assert intranet.startswith("opml: feeds.opml: outline 4 (Intranet): feeds[0]: ")
    assert "private address 10.0.0.5" in intranet
    assert scripted.startswith("opml: feeds.opml: outline 5 (Scripted): feeds[0]: not an abs")
    assert taken.startswith("opml: feeds.opml: outline 6 (African Union): id: id "
                            "'african-union' is taken")
    catalog = tomllib.loads((tmp_path / "imported.toml").read_text(encoding="utf-8"))
    first, second = catalog["source"]
    assert first == {"id": "ministry-of-examples", "name": "Ministry of Examples",
                     "region": "France", "languages": ["fr"],
                     "homepage": "https://www.example.gouv.fr/",
                     "feeds": ["https://www.example.gouv.fr/rss.xml"]}
    assert second["region"] == "Russian Federation" and second["languages"] == ["ru"]


def test_import_without_region_or_language_names_what_is_missing(tmp_path: Path) -> None:
    feeds = read_opml((FIXTURES / "feeds.opml").read_bytes(), "feeds.opml")
    report = import_sources(feeds[1:2], tmp_path, label="feeds.opml", region=None,
                            language=None, file_name="imported.toml")
    assert report.added == []
    assert report.problems == [
        "opml: feeds.opml: outline 3 (Ведомство примеров): no region or languages: give "
        "--region/--language or region/language attributes"]


@pytest.mark.parametrize(("fixture", "fault"), [
    ("xxe.opml", "has a DOCTYPE or an entity declaration"),
    ("billion_laughs.opml", "has a DOCTYPE or an entity declaration"),
    ("not_opml.xml", "the root element is <rss>, not <opml>"),
    ("truncated.opml", "not well-formed XML"),
])
def test_a_hostile_or_broken_file_is_one_line_and_nothing_is_read(fixture: str,
                                                                  fault: str) -> None:
    with pytest.raises(CatalogError) as caught:
        read_opml((FIXTURES / fixture).read_bytes(), fixture)
    assert f"{fixture}: file: {fault}" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_huge_file_is_refused_before_parsing() -> None:
    outline = b'<outline text="x" xmlUrl="https://x.example/rss"/>'
    huge = b'<opml version="2.0"><body>' + outline * (MAX_OPML_BYTES // len(outline) + 1)
    with pytest.raises(CatalogError, match="larger than 2,000,000 bytes"):
        read_opml(huge + b"</body></opml>", "huge.opml")


def test_too_many_feeds_are_refused() -> None:
    outline = b'<outline xmlUrl="https://x.example/rss"/>'
    body = b'<opml version="2.0"><body>' + outline * (MAX_FEEDS + 1) + b"</body></opml>"
    with pytest.raises(CatalogError, match=f"more than {MAX_FEEDS} feeds"):
        read_opml(body, "many.opml")


def test_source_ids_come_from_titles_or_hosts() -> None:
    feeds = read_opml(b'<opml><body><outline text="UN News (ru)" xmlUrl="https://a.example/r"/>'
                      b'<outline xmlUrl="https://b.example/r"/>'
                      b'<outline text="\xe5\x9b\xbd\xe5\x8a\xa1\xe9\x99\xa2" '
                      b'xmlUrl="https://c.example/r"/></body></opml>', "ids.opml")
    assert [source_id_for(f) for f in feeds] == ["un-news-ru", "b-example",
                                                 "c-example"]
