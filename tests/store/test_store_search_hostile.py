"""Hostile search text never breaks the query engine, on either backend.

Whatever is typed, ``Store.items`` answers a page or raises ``ParseError``:
no FTS5 syntax error, no tsquery error, no driver error, no crash. The
strategy mixes the engines' own operators and quoting characters with
random text, because those are what a string-pasting compiler would trip on.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from babelwire.model import Block, BlockKind, Document, Extracted, Item, Stage
from babelwire.store import Store
from babelwire.store.query import ItemPage, ItemQuery, ParseError

AT = datetime(2025, 12, 12, tzinfo=UTC)

#: Pieces of every query language in reach: FTS5, tsquery, SQL, our own.
FRAGMENTS = [
    '"', "'", "NEAR", "NEAR(", "*", "^", "(", ")", "\\", ":", "-", "+", "OR", "AND", "NOT",
    "&", "|", "!", "!!", "<->", "<2>", "&&", "||", "%", "_", ";", "--", "/*", "\x00", "\x1f",
    "region:", "source:", "language:", "section:", 'region:"', "colour:", "a:b", "{", "}",
    "miss*", "col:mission", "NEAR(a b, 3)", "title:x", "rank", "bm25", "''", '""', "\u200b",
    "мир", "安全理事会", "café", "🇺🇳", "ٱلْعَرَبِيَّة", "x" * 300, "mission", "council",
]
hostile = st.one_of(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=12).map(
        lambda parts: " ".join(parts)
    ),
    st.lists(st.sampled_from(FRAGMENTS), max_size=20).map("".join),
    st.text(max_size=40),
)


@pytest.fixture
def small_wire(seeded: Store, make_document: object) -> Store:
    extracted = Extracted(
        title="Миссия ООН", blocks=(Block(BlockKind.PARAGRAPH, "Совет * NEAR \" ( ) 安全理事会"),),
        language="ru",
    )
    doc = Document(id="d1", source_id="un-news-ru", url="http://127.0.0.1:1/d1",
                   stage=Stage.EXTRACTED, extracted=extracted)
    seeded.save_document(doc)
    seeded.save_item(Item(
        id="i1", document_id="d1", version=1, slug="s", headline='UN mission "NEAR" (council)',
        section="Peace", body=("The mission * ^ \\ ends.",), kind="translation",
        source_id="un-news-ru", source_name="United Nations", desk="UN", region="Russia",
        original_language="ru", original_headline="Миссия ООН", original_url=doc.url,
        published=None, published_has_time=False, first_created=AT, version_created=AT,
        disclaimer="x", disclaimer_version="1", publisher="p",
    ))
    return seeded


def answer(store: Store, text: str) -> ItemPage | ParseError:
    try:
        return store.items(ItemQuery(text=text, with_facets=True, limit=5))
    except ParseError as error:
        assert str(error).startswith("search: ")
        assert "\n" not in str(error)
        return error


@settings(
    max_examples=150,
    deadline=None,
    # The store is only read, so one per test run serves every example.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=hostile)
def test_hostile_text_is_a_page_or_a_parse_error(small_wire: Store, text: str) -> None:
    result = answer(small_wire, text)
    if isinstance(result, ItemPage):
        for snippet in result.snippets.values():
            assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


@pytest.mark.parametrize(
    "text", ["x" * 10_000, "a " * 1000, '"' * 999, "OR " * 30 + "x", "* ( ) ^"]
)
def test_huge_and_degenerate_queries(small_wire: Store, text: str) -> None:
    assert isinstance(answer(small_wire, text), ParseError)


def test_engine_syntax_is_searched_as_text(small_wire: Store) -> None:
    for text in ("NEAR", "mission*", "(council)", "mission AND council", '"mission" NEAR',
                 "the mission", "\x00mission\x00"):
        result = answer(small_wire, text)
        assert isinstance(result, ItemPage), text
        assert [item.id for item in result.items] == ["i1"], text
    # A 300-word phrase of one repeated word is long, not wrong.
    long_phrase = answer(small_wire, "NEAR(" * 300)
    assert isinstance(long_phrase, ItemPage) and long_phrase.items == ()
    # Control characters only: nothing to search, so the plain list.
    assert isinstance(answer(small_wire, "\x00" * 50), ItemPage)
