"""Near-duplicate detection: copies of one story with different page furniture."""

from __future__ import annotations

from datetime import UTC, datetime

from babelwire.dedup import find_duplicates, shingles, similarity
from babelwire.model import Block, BlockKind, Document, Extracted, Stage

STATEMENT = [
    "The Ministry of Economy and the Central Bank announce that from 1 January 2026 a new "
    "stage of the monetary and exchange programme will come into force.",
    "In this new stage the limits of the exchange band will no longer move at a fixed "
    "monthly rate and will follow the latest monthly change of the consumer price index.",
    "The Central Bank will also start a programme to accumulate international reserves, "
    "buying foreign currency in the market according to the demand for money.",
    "The regulations will be published in the coming days in the Official Gazette and on "
    "the website of the Central Bank.",
]


def doc(doc_id: str, paragraphs: list[str], day: int | None) -> Document:
    published = datetime(2025, 12, day, tzinfo=UTC) if day else None
    extracted = Extracted(
        title=doc_id,
        blocks=tuple(Block(BlockKind.PARAGRAPH, p) for p in paragraphs),
        language="en",
        published=published,
    )
    return Document(id=doc_id, source_id="s", url=f"http://x.test/{doc_id}",
                    stage=Stage.EXTRACTED, extracted=extracted)


def test_copy_with_other_furniture_points_at_the_earliest_original() -> None:
    bank = doc("bank", ["Press releases", *STATEMENT], day=11)
    ministry = doc("ministry", ["Economy", "A standfirst of its own.", *STATEMENT,
                                "Press contact: communications office."], day=12)
    unrelated = doc("other", ["The ministry opened a new consulate in the north of the "
                              "country to serve citizens living abroad, the spokesperson "
                              "said on Thursday after the ceremony in the capital."] * 2,
                    day=10)
    assert find_duplicates([ministry, unrelated, bank]) == {
        "bank": None, "ministry": "bank", "other": None}


def test_the_answer_does_not_depend_on_input_order() -> None:
    docs = [doc(f"d{i}", STATEMENT, day=i + 1) for i in range(4)]
    expected = {"d0": None, "d1": "d0", "d2": "d0", "d3": "d0"}
    assert find_duplicates(docs) == expected
    assert find_duplicates(list(reversed(docs))) == expected


def test_undated_copies_come_after_dated_ones_and_short_texts_never_match() -> None:
    undated, dated = doc("a", STATEMENT, day=None), doc("z", STATEMENT, day=5)
    assert find_duplicates([undated, dated]) == {"a": "z", "z": None}
    short = [doc("s1", ["Statement by the spokesperson."], 1),
             doc("s2", ["Statement by the spokesperson."], 2)]
    assert find_duplicates(short) == {"s1": None, "s2": None}


def test_similarity_is_jaccard_of_word_shingles() -> None:
    a = shingles("one two three four five")
    assert a == frozenset({"one two three four", "two three four five"})
    assert similarity(a, a) == 1.0
    assert similarity(a, shingles("one two three four six")) == 1 / 3
    assert similarity(a, frozenset()) == 0.0
