"""Search past its limits, at a small scale on both backends: relevance
among the newest matches, estimated facet counts, and the windows that
PostgreSQL reads before falling back to every row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from babelwire.model import Document, Extracted, Item, Source, Stage, document_id
from babelwire.store import Store, facetsample, pgpage, search
from babelwire.store.query import CursorError, ItemQuery, QueryError
from babelwire.store.search import SearchLimits
from babelwire.store.seqspan import SeqSpan

START = datetime(2025, 1, 1, tzinfo=UTC)
SOURCES = (
    Source(id="north", name="North Ministry", desk="Press", region="Norway", languages=("en",)),
    Source(id="south", name="South Ministry", desk="Press", region="Chile", languages=("es",)),
)


def make_item(
    k: int, headline: str, body: str, source: Source, hours: int
) -> tuple[Document, Item]:
    url = f"http://127.0.0.1:1/{source.id}/{k}"
    created = START + timedelta(hours=hours)
    doc = Document(id=document_id(source.id, url), source_id=source.id, url=url,
                   stage=Stage.EXTRACTED,
                   extracted=Extracted(title=headline, blocks=(), language="en",
                                       published=created, published_has_time=True))
    item = Item(
        id=f"item-{k}", document_id=doc.id, version=1, slug=f"item-{k}", headline=headline,
        section=None, body=(body,), kind="translation", source_id=source.id,
        source_name=source.name, desk=source.desk, region=source.region,
        original_language=source.languages[0], original_headline=headline, original_url=url,
        published=created, published_has_time=True, first_created=created,
        version_created=created, disclaimer="Please note.", disclaimer_version="1",
        publisher="Test Wire",
    )
    return doc, item


def fill(store: Store, texts: list[tuple[str, str]]) -> None:
    """Items 0..n-1, one hour apart (item k is the (k+1)-th oldest),
    alternating between the two sources."""
    store.upsert_sources(SOURCES)
    pairs = [make_item(k, headline, body, SOURCES[k % 2], k)
             for k, (headline, body) in enumerate(texts)]
    store.save_documents(doc for doc, _ in pairs)
    store.save_items(item for _, item in pairs)


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> object:
    def set_limits(**values: int | None) -> None:
        monkeypatch.setattr(search, "DEFAULT_LIMITS", SearchLimits(**values))  # type: ignore[arg-type]

    return set_limits


def slugs(page: object) -> list[str]:
    return [item.slug for item in page.items]  # type: ignore[attr-defined]


def test_relevance_puts_the_best_match_first_whatever_its_age(store: Store) -> None:
    fill(store, [
        ("Harbour report", "The harbour harbour harbour of the north."),  # oldest, best
        ("Weather", "Rain today; the harbour was quiet."),
        ("Markets", "Prices rose."),
        ("Roads", "A new road near the harbour."),  # newest
    ])
    by_date = store.items(ItemQuery(text="harbour"))
    assert slugs(by_date) == ["item-3", "item-1", "item-0"]
    ranked = store.items(ItemQuery(text="harbour", order="relevance"))
    assert slugs(ranked)[0] == "item-0"
    assert sorted(slugs(ranked)) == ["item-0", "item-1", "item-3"]
    # Without search text there is nothing to score: newest first.
    assert slugs(store.items(ItemQuery(order="relevance", limit=2))) == ["item-3", "item-2"]


def test_relevance_scores_only_the_newest_matches_when_there_are_many(
    store: Store, limits: object
) -> None:
    fill(store, [
        ("Harbour harbour harbour", "harbour harbour"),  # best, but oldest
        ("Harbour", "once"), ("Harbour", "once"), ("Harbour", "once"),
    ])
    limits(rank_window=3, facet_cap=100)  # type: ignore[operator]
    ranked = store.items(ItemQuery(text="harbour", order="relevance"))
    assert sorted(slugs(ranked)) == ["item-1", "item-2", "item-3"]
    # A window larger than the match set scores every match.
    limits(rank_window=50, facet_cap=100)  # type: ignore[operator]
    assert slugs(store.items(ItemQuery(text="harbour", order="relevance")))[0] == "item-0"


def test_relevance_pages_follow_one_ranking(store: Store, limits: object) -> None:
    fill(store, [(f"Harbour {'news ' * (k % 4)}", "harbour " * (1 + k % 5)) for k in range(13)])
    limits(rank_window=10, facet_cap=100)  # type: ignore[operator]
    whole = slugs(store.items(ItemQuery(text="harbour", order="relevance", limit=50)))
    assert len(whole) == 10
    seen: list[str] = []
    cursor = None
    while True:
        page = store.items(ItemQuery(text="harbour", order="relevance", limit=3, cursor=cursor))
        seen += slugs(page)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == whole
    # A relevance cursor is not a newest-first one, and the reverse.
    second = store.items(ItemQuery(text="harbour", order="relevance", limit=3))
    with pytest.raises(CursorError):
        store.items(ItemQuery(text="harbour", limit=3, cursor=second.next_cursor))


def test_an_unknown_order_is_one_clear_error(store: Store) -> None:
    with pytest.raises(QueryError, match="unknown order 'oldest'"):
        store.items(ItemQuery(text="harbour", order="oldest"))


def test_facets_past_the_cap_are_estimates_and_say_so(store: Store, limits: object) -> None:
    fill(store, [("Harbour", "news") for _ in range(40)] + [("Lighthouse", "story")])
    exact = store.items(ItemQuery(text="harbour", with_facets=True))
    assert exact.total == 40 and not exact.approximate
    assert dict(exact.facets["region"]) == {"Chile": 20, "Norway": 20}
    limits(rank_window=100, facet_cap=10)  # type: ignore[operator]
    # (A page that holds every match counts them exactly: this one does not.)
    estimated = store.items(ItemQuery(text="harbour", with_facets=True, limit=5))
    assert estimated.approximate
    assert estimated.total is not None and 30 <= estimated.total <= 55
    regions = dict(estimated.facets["region"])
    assert set(regions) == {"Chile", "Norway"} and abs(regions["Chile"] - regions["Norway"]) <= 5
    # The page itself is exact: the cap bounds only the counting.
    assert slugs(estimated) == slugs(exact)[:5]
    # Few matches: counted exactly, even with the small cap.
    few = store.items(ItemQuery(text="lighthouse", with_facets=True))
    assert few.total == 1 and not few.approximate


def test_filter_only_lists_are_capped_too(store: Store, limits: object) -> None:
    fill(store, [("Harbour", "news") for _ in range(40)])
    limits(rank_window=100, facet_cap=10)  # type: ignore[operator]
    since = START + timedelta(hours=1)
    page = store.items(ItemQuery(region="norway", since=since, with_facets=True))
    assert page.approximate and page.total is not None and 12 <= page.total <= 30
    # Facet values only: read from the kept counts, exact.
    kept = store.items(ItemQuery(region="norway", with_facets=True))
    assert kept.total == 20 and not kept.approximate


def test_a_lone_old_match_is_found_past_every_window(store: Store, limits: object) -> None:
    fill(store, [("Lighthouse keeper", "retires")] + [("Harbour", "news") for _ in range(60)])
    limits(rank_window=4, facet_cap=4)  # type: ignore[operator]
    for order in ("newest", "relevance"):
        page = store.items(ItemQuery(text="lighthouse", order=order, with_facets=True))
        assert slugs(page) == ["item-0"] and page.total == 1 and not page.approximate
    assert slugs(store.items(ItemQuery(text='"lighthouse keeper"'))) == ["item-0"]
    # A page that needs rows from several windows, with a cursor.
    first = store.items(ItemQuery(text="harbour OR lighthouse", limit=59))
    rest = store.items(ItemQuery(text="harbour OR lighthouse", limit=59,
                                 cursor=first.next_cursor))
    assert slugs(rest) == ["item-1", "item-0"]


def test_estimates_round_to_two_significant_digits() -> None:
    assert [facetsample.about(n) for n in (7, 99.6, 123, 12_345, 987_654)] == [
        7, 100, 120, 12_000, 990_000]


def test_seq_span_estimates_where_the_newest_rows_start() -> None:
    span = SeqSpan(oldest=1000, newest=1999, item_count=100)
    assert span.bound(10) == 1900
    assert span.bound(100) is None and span.bound(500) is None
    assert span.bound(10, below=1500) == 1400
    assert span.share(1900) == pytest.approx(0.1)
    assert span.share(None) == 1.0


def test_a_rare_phrase_pages_through_bounded_windows(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store, [("Harbour keeper", "news")]
         + [("Harbour news", "the keeper of the harbour") for _ in range(40)])
    # PostgreSQL reads at most 8 rows per phrase page here; SQLite's index
    # checks positions itself and finds the phrase at once.
    monkeypatch.setattr(pgpage, "PHRASE_WINDOW_ROWS", 8)
    seen: list[str] = []
    cursor = None
    for _ in range(20):
        page = store.items(ItemQuery(text='"harbour keeper"', limit=5, cursor=cursor))
        seen += slugs(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == ["item-0"] and cursor is None


def test_a_phrase_in_old_items_only_is_found_and_counted(
    store: Store, limits: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store, [("Harbour keeper", "retires"), ("Harbour keeper", "again")]
         + [("Harbour news", "the keeper of the harbour") for _ in range(40)])
    limits(rank_window=4, facet_cap=4)  # type: ignore[operator]
    # SQLite's phrase window holds none of them.
    monkeypatch.setattr(facetsample, "SQLITE_PHRASE_ROWS", 10)
    for order in ("newest", "relevance"):
        page = store.items(ItemQuery(text='"harbour keeper"', order=order, with_facets=True))
        # The page holds every match: its counts are exact, whatever the windows.
        assert sorted(slugs(page)) == ["item-0", "item-1"]
        assert page.total == 2 and not page.approximate
        assert dict(page.facets["region"]) == {"Norway": 1, "Chile": 1}


def test_phrase_facets_read_a_window_of_the_newest_items(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store, [("Harbour keeper", "retires")]
         + [("Harbour news", "the keeper of the harbour") for _ in range(40)]
         + [("Harbour keeper", "news") for _ in range(6)])
    monkeypatch.setattr(facetsample, "SQLITE_PHRASE_ROWS", 10)
    monkeypatch.setattr(pgpage, "PHRASE_WINDOW_ROWS", 10)
    monkeypatch.setattr(pgpage, "PHRASE_FACET_ROWS", 10)
    page = store.items(ItemQuery(text='"harbour keeper"', limit=3, with_facets=True))
    assert slugs(page) == ["item-46", "item-45", "item-44"]
    # Counted over the newest items only, and said to be estimates.
    assert page.approximate and page.total is not None and page.total >= 3
    # Paging on still reaches the oldest match.
    seen = slugs(page)
    for _ in range(20):
        if page.next_cursor is None:
            break
        page = store.items(ItemQuery(text='"harbour keeper"', limit=3, with_facets=True,
                                     cursor=page.next_cursor))
        seen += slugs(page)
    assert seen == [f"item-{k}" for k in range(46, 40, -1)] + ["item-0"]
    # A lone old match: found (PostgreSQL pages on below its row bound), and
    # counted exactly when the page holds it.
    lone = store.items(ItemQuery(text='"harbour keeper" retires', with_facets=True))
    for _ in range(20):
        if lone.items or lone.next_cursor is None:
            break
        lone = store.items(ItemQuery(text='"harbour keeper" retires', with_facets=True,
                                     cursor=lone.next_cursor))
    assert slugs(lone) == ["item-0"]
    if store.backend == "sqlite":
        assert lone.total == 1 and not lone.approximate


def test_a_window_is_read_by_its_seq_range_unless_the_word_is_rare() -> None:
    span = SeqSpan(oldest=0, newest=999_999, item_count=1_000_000)
    # Nothing read yet: the match rate is unknown, the range is used.
    assert pgpage.by_key_range(8000, 0, 0, span)
    # 10 matches in 8,000 rows: about 1,250 in the wire, far fewer than the
    # 400,000 rows of the next window; 1,000 in 8,000: 125,000, not.
    assert not pgpage.by_key_range(400_000, 8000, 10, span)
    assert pgpage.by_key_range(400_000, 8000, 1000, span)
    assert pgpage.by_key_range(400_000, 8000, 10, None)


@pytest.fixture
def statements(store: Store) -> Iterator[list[str]]:
    """The SQL the store runs, as it runs it."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    engine = store._engine
    sa.event.listen(engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(engine, "before_cursor_execute", record)


def _text_matches(statements: list[str]) -> int:
    """Statements that test the search text (FTS5 MATCH or ``@@``), but
    for those that make the page's snippets."""
    return sum((" MATCH " in text or "@@" in text)
               and "snippet(" not in text and "ts_headline" not in text for text in statements)


def test_a_relevance_search_counts_its_facets_over_the_matches_it_ranked(
    store: Store, limits: object, statements: list[str]
) -> None:
    fill(store, [("Harbour", "news") for _ in range(40)])
    # The 10 newest matches are ranked; the facets are theirs, scaled up.
    limits(rank_window=10, facet_cap=100)  # type: ignore[operator]
    statements.clear()
    page = store.items(ItemQuery(text="harbour", order="relevance", with_facets=True, limit=5))
    assert page.approximate and page.total is not None and 20 <= page.total <= 80
    assert set(dict(page.facets["region"])) == {"Chile", "Norway"}
    # The text was matched once, for the ranking (snippets aside).
    assert _text_matches(statements) == 1
    # Every match ranked: exact counts, whatever the cap of the facet windows,
    # and the same as a list by date counts.
    limits(rank_window=100, facet_cap=1)  # type: ignore[operator]
    ranked = store.items(ItemQuery(text="harbour", order="relevance", with_facets=True, limit=5))
    assert ranked.total == 40 and not ranked.approximate
    limits(rank_window=100, facet_cap=100)  # type: ignore[operator]
    by_date = store.items(ItemQuery(text="harbour", with_facets=True, limit=5))
    assert ranked.facets == by_date.facets and by_date.total == 40


def test_a_relevance_window_smaller_than_a_page_says_its_counts_are_estimates(
    store: Store, limits: object
) -> None:
    fill(store, [("Harbour", "news") for _ in range(40)])
    limits(rank_window=3, facet_cap=100)  # type: ignore[operator]
    page = store.items(ItemQuery(text="harbour", order="relevance", with_facets=True, limit=20))
    # The page holds the 3 matches ranked, not every match.
    assert len(page.items) == 3 and page.approximate
    assert page.total is not None and page.total > 3


def test_a_common_word_gives_the_same_results_tested_row_by_row(
    store: Store, limits: object, statements: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store, [("Harbour news" if k % 3 else "Lighthouse", f"story {k}") for k in range(90)])
    limits(rank_window=4, facet_cap=12)  # type: ignore[operator]
    # "lighthouse": the facets' first window holds 8 of the 12 matches they
    # count, and the next one is read as the rate of those 8 says.
    queries = [ItemQuery(text="harbour", with_facets=True, limit=3),
               ItemQuery(text="lighthouse", with_facets=True, limit=3),
               ItemQuery(text="harbour OR lighthouse", with_facets=True, limit=40),
               ItemQuery(text="lighthouse", order="relevance", with_facets=True, limit=3)]

    def answers() -> list[tuple[object, ...]]:
        pages = [store.items(query) for query in queries]
        return [(slugs(page), page.facets, page.total, page.approximate) for page in pages]

    # Never, then always, tested row by row once the first window gave a rate.
    monkeypatch.setattr(pgpage, "ROW_TEST_RATIO", 10**9)
    looked_up = answers()
    statements.clear()
    monkeypatch.setattr(pgpage, "ROW_TEST_RATIO", 0)
    assert answers() == looked_up
    if store.backend == "postgresql":
        fenced = [text for text in statements if "@@" in text and "OFFSET" in text]
        assert fenced, "no window was tested row by row"
