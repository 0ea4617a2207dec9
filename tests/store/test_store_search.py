"""The item query: filters, cursor paging, facets, full-text search and
snippets, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from babelwire.model import Block, BlockKind, Document, Extracted, Item, Source, Stage, document_id
from babelwire.store import Store, pgpage
from babelwire.store.query import CursorError, ItemPage, ItemQuery, ParseError

NOW = datetime(2025, 12, 12, 12, 0, tzinfo=UTC)
MOSCOW = timezone(timedelta(hours=3))
SOURCES = (
    Source(id="un-news-ru", name="United Nations", desk="UN News",
           region="Russian Federation", languages=("ru",)),
    Source(id="mfa-fr", name="Ministère des Affaires étrangères", desk="Presse",
           region="France", languages=("fr",)),
    Source(id="gov-cn", name="State Council", desk="Policies", region="China",
           languages=("zh",)),
)
BY_ID = {source.id: source for source in SOURCES}


@dataclasses.dataclass(frozen=True)
class Story:
    slug: str
    source_id: str
    language: str
    headline: str
    body: tuple[str, ...]
    original_title: str
    original_text: tuple[str, ...]
    section: str | None
    hours_ago: int


STORIES = (
    Story("unami", "un-news-ru", "ru", "UN mission in Iraq to complete its work",
          ("The UN missions will complete their work on 31 December 2025.",
           "The head of the mission spoke about the Security Council."),
          "Миссия ООН в Ираке завершит работу", ("Миссия ООН завершит работу в декабре.",),
          "Peace and security", 1),
    Story("climate", "un-news-ru", "ru", "Climate summit opens in Baku",
          ("The climate summit opened on Monday with a Security Council briefing.",),
          "Климатический саммит открылся", ("Саммит открылся в понедельник.",),
          "Climate", 2),
    Story("visit", "mfa-fr", "fr", "Minister visits Baghdad",
          ("The minister travelled to Baghdad and met his counterpart.",),
          "Visite du ministre à Bagdad", ("Le ministre s'est rendu à Bagdad.",),
          "Diplomacy", 3),
    Story("sanctions", "mfa-fr", "fr", "Statement on sanctions",
          ("France welcomes the Council's decision on trade sanctions.",),
          "Déclaration sur les sanctions", ("La France salue la décision du Conseil.",),
          "Diplomacy", 4),
    Story("trade", "gov-cn", "zh", "State Council issues new trade policy",
          ("The State Council issued a new trade policy for Beijing today.",),
          "国务院发布贸易新政策", ("国务院今天发布了新的贸易政策。",),
          "Economy", 5),
    Story("hostile", "gov-cn", "zh", "Hostile <script>alert(1)</script> notice",
          ("First <script>alert(1)</script> paragraph & <b>bold</b> claims.",),
          "通知", ("<img src=x onerror=alert(1)> 通知",),
          None, 6),
)


def save_story(store: Store, story: Story, *, created: datetime | None = None) -> Item:
    source = BY_ID[story.source_id]
    url = f"http://127.0.0.1:1/{story.source_id}/{story.slug}"
    published = (NOW - timedelta(hours=story.hours_ago + 1)).astimezone(MOSCOW)
    extracted = Extracted(
        title=story.original_title,
        blocks=tuple(Block(BlockKind.PARAGRAPH, text) for text in story.original_text),
        language=story.language, published=published, published_has_time=True,
    )
    doc = Document(id=document_id(source.id, url), source_id=source.id, url=url,
                   stage=Stage.EXTRACTED, extracted=extracted)
    store.save_document(doc)
    first_created = created or NOW - timedelta(hours=story.hours_ago)
    item = Item(
        id=f"item-{story.slug}", document_id=doc.id, version=1, slug=story.slug,
        headline=story.headline, section=story.section, body=story.body, kind="translation",
        source_id=source.id, source_name=source.name, desk=source.desk, region=source.region,
        original_language=story.language, original_headline=story.original_title,
        original_url=url, published=published, published_has_time=True,
        first_created=first_created, version_created=first_created,
        disclaimer="Please note.", disclaimer_version="1", publisher="Test Wire",
    )
    store.save_item(item)
    return item


@pytest.fixture
def wire(store: Store) -> Store:
    store.upsert_sources(SOURCES)
    for story in STORIES:
        save_story(store, story)
    return store


def slugs(page: ItemPage) -> list[str]:
    return [item.slug for item in page.items]


def search(store: Store, text: str, **filters: object) -> list[str]:
    return slugs(store.items(ItemQuery(text=text, **filters)))  # type: ignore[arg-type]


def test_lists_newest_first_with_filters(wire: Store) -> None:
    assert slugs(wire.items(ItemQuery())) == [s.slug for s in STORIES]
    assert slugs(wire.items(ItemQuery(region="France"))) == ["visit", "sanctions"]
    assert slugs(wire.items(ItemQuery(source_id="gov-cn"))) == ["trade", "hostile"]
    assert slugs(wire.items(ItemQuery(language="ru", section="Climate"))) == ["climate"]
    assert slugs(wire.items(ItemQuery(region="France", language="ru"))) == []
    # since/until compare the source's publication time (until is exclusive).
    since, until = NOW - timedelta(hours=4), NOW - timedelta(hours=3)
    assert slugs(wire.items(ItemQuery(since=since, until=until))) == ["visit"]


def test_search_words_phrases_exclusions_and_or(wire: Store) -> None:
    assert search(wire, "mission") == ["unami"]
    assert search(wire, "Missions") == ["unami"]  # stemmed English, any case
    assert search(wire, '"trade policy"') == ["trade"]
    assert search(wire, '"policy trade"') == []
    # "hostile" is found by its source's name, State Council.
    assert search(wire, "council") == ["unami", "climate", "sanctions", "trade", "hostile"]
    assert search(wire, "council -security") == ["sanctions", "trade", "hostile"]
    assert search(wire, 'council -"state council"') == ["unami", "climate", "sanctions"]
    assert search(wire, "Baghdad OR Beijing") == ["visit", "trade"]
    assert search(wire, "summit OR Baghdad council") == ["climate"]
    assert search(wire, "-council") == ["visit"]
    assert search(wire, "United Nations") == ["unami", "climate"]  # the source's name


def test_search_original_text_in_other_scripts(wire: Store) -> None:
    assert search(wire, "миссия") == ["unami"]  # lower case finds "Миссия"
    assert search(wire, "понедельник") == ["climate"]
    assert search(wire, "贸易") == ["trade"]  # inside a run of Han characters
    assert search(wire, "国务院") == ["trade"]
    assert search(wire, "通知 OR 贸易") == ["trade", "hostile"]
    assert search(wire, '"贸 易"') == ["trade"]


def test_field_syntax_filters(wire: Store) -> None:
    assert search(wire, "region:France") == ["visit", "sanctions"]
    assert search(wire, "region:france sanctions") == ["sanctions"]
    assert search(wire, 'section:"Peace and security"') == ["unami"]
    assert search(wire, "language:zh source:gov-cn") == ["trade", "hostile"]
    assert search(wire, "policy region:China") == ["trade"]
    # A typed field and a form filter both apply.
    assert search(wire, "region:France", region="China") == []


def test_snippets_mark_matches_and_escape_everything_else(wire: Store) -> None:
    page = wire.items(ItemQuery(text="paragraph OR notice"))
    assert slugs(page) == ["hostile"]
    snippet = page.snippets["item-hostile"]
    assert "<mark>" in snippet
    assert "&lt;script&gt;" in snippet and "<script" not in snippet
    assert set(re.findall(r"</?[a-z]+", snippet)) <= {"<mark", "</mark"}
    chinese = wire.items(ItemQuery(text="贸易")).snippets["item-trade"]
    assert "<mark>贸易</mark>" in chinese
    assert "\x1f" not in chinese
    # Listing without search text has no snippets.
    assert wire.items(ItemQuery(region="China")).snippets == {}


def test_facets_count_the_whole_filtered_set(wire: Store) -> None:
    everything = wire.items(ItemQuery(limit=1, with_facets=True))
    assert everything.total == 6
    assert everything.facets["region"] == (("China", 2), ("France", 2), ("Russian Federation", 2))
    assert everything.facets["source"] == (("gov-cn", 2), ("mfa-fr", 2), ("un-news-ru", 2))
    assert everything.facets["language"] == (("fr", 2), ("ru", 2), ("zh", 2))
    assert everything.facets["section"] == (
        ("Diplomacy", 2), ("Climate", 1), ("Economy", 1), ("Peace and security", 1),
    )
    found = wire.items(ItemQuery(text="council", limit=1, with_facets=True))
    assert found.total == 5 and len(found.items) == 1
    assert found.facets["region"] == (("China", 2), ("Russian Federation", 2), ("France", 1))
    plain = wire.items(ItemQuery(text="council"))
    assert plain.total is None and plain.facets == {}


def test_cursor_paging_has_no_gaps_or_repeats(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL first tests a window of recent rows, then asks the index:
    # a small window makes pages cross from one way to the other.
    monkeypatch.setattr(pgpage, "RECENT_ROWS", 10)
    store.upsert_sources(SOURCES)
    base = STORIES[0]
    made = []
    for n in range(120):
        story = dataclasses.replace(base, slug=f"filler-{n:03d}", hours_ago=0)
        # Some items share a creation time: the order must still be total.
        made.append(save_story(store, story, created=NOW - timedelta(minutes=n // 3)))
    # All share the source's publication time, which orders the list: the
    # ties go in the order the items reached the store, the last one first.
    expected = [item.slug for item in reversed(made)]
    for text in ("mission", "mission -nothing", None):
        seen: list[str] = []
        cursor = None
        while True:
            page = store.items(ItemQuery(text=text, limit=7, cursor=cursor))
            seen += slugs(page)
            cursor = page.next_cursor
            if cursor is None:
                break
            if len(seen) == 14:  # an item published meanwhile never shifts a page
                save_story(store, dataclasses.replace(base, slug=f"new-{text}", hours_ago=0),
                           created=NOW)
        assert seen == expected
        expected.insert(0, f"new-{text}")


def test_bad_cursors_and_bad_text_are_refused(wire: Store) -> None:
    first = wire.items(ItemQuery(limit=2))
    assert first.next_cursor is not None
    with pytest.raises(CursorError, match="belongs to another list"):
        wire.items(ItemQuery(limit=2, region="France", cursor=first.next_cursor))
    for bad in ("not-a-cursor", "eyJhZnRlciI6IDF9", "W10", "eyJhZnRlciI6MWU5OTl9"):
        with pytest.raises(CursorError, match="is damaged"):
            wire.items(ItemQuery(cursor=bad))
    with pytest.raises(ParseError, match=r"^search: unclosed quote"):
        wire.items(ItemQuery(text='"UN mission'))
    with pytest.raises(ParseError, match="unknown field 'colour:'"):
        wire.items(ItemQuery(text="colour:red"))


def test_kept_facet_counts_match_a_live_count(
    wire: Store, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Facets of a list without text or dates come from item_facet_counts;
    # a date filter that excludes nothing forces a count of the items.
    def both(**filters: object) -> tuple[object, object]:
        kept = wire.items(ItemQuery(limit=1, with_facets=True, **filters))  # type: ignore[arg-type]
        since = datetime(2000, 1, 1, tzinfo=UTC)
        live = wire.items(ItemQuery(limit=1, with_facets=True, since=since, **filters))  # type: ignore[arg-type]
        return (kept.facets, kept.total), (live.facets, live.total)

    first = wire.item("item-visit")
    assert first is not None
    # A new version moves the item to another region and section; an old
    # version saved late changes nothing.
    moved = dataclasses.replace(first, version=2, region="Iraq", section=None)
    wire.save_item(moved)
    wire.save_item(first)
    for filters in ({}, {"region": "France"}, {"source_id": "mfa-fr", "section": "Diplomacy"}):
        kept, live = both(**filters)
        assert kept == live, filters
    kept, _ = both()
    assert ("Iraq", 1) in kept[0]["region"]  # type: ignore[index]
    # The chosen facet keeps the values one may add; the others count nothing.
    nowhere, total = both(region="Nowhere")[0]  # type: ignore[misc]
    assert total == 0
    assert ("Iraq", 1) in nowhere["region"]
    assert {name: nowhere[name] for name in ("source", "language", "section")} == {
        "source": (), "language": (), "section": ()}


def test_facet_filters_take_several_values_in_any_case(wire: Store) -> None:
    assert slugs(wire.items(ItemQuery(region="france"))) == ["visit", "sanctions"]
    assert slugs(wire.items(ItemQuery(language="RU"))) == ["unami", "climate"]
    both = wire.items(ItemQuery(region=("France", "CHINA"), with_facets=True))
    assert slugs(both) == ["visit", "sanctions", "trade", "hostile"]
    assert both.total == 4
    # The chosen facet still lists every region; the others count the choice.
    assert dict(both.facets["region"])["Russian Federation"] == 2
    assert dict(both.facets["source"]) == {"mfa-fr": 2, "gov-cn": 2}
    searched = wire.items(ItemQuery(text="council", region=("france", "china"), with_facets=True))
    assert searched.total == len(searched.items) >= 1
    # A value no item has matches nothing, whatever its case.
    assert slugs(wire.items(ItemQuery(region=("Nowhere",)))) == []
