from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from babelwire.enrich import EnrichTables
from babelwire.enrich.stories import (
    StoryDoc,
    StoryParams,
    TfidfModel,
    cluster_stories,
    load_text_model,
)
from babelwire.errors import ConfigError

from .storyeval import (
    EVENTS,
    WRITTEN,
    labelled_pairs,
    load_labelled,
    load_written,
    pair_score,
    score,
    stories_of,
    tune,
)

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus"
DAY = datetime(2025, 12, 10, tzinfo=UTC)


def _doc(doc_id: str, keys: set[str], *, days: float = 0, english: str | None = None,
         language: str = "ru") -> StoryDoc:
    return StoryDoc(doc_id, DAY + timedelta(days=days), language, english, frozenset(keys))


FILLER = [_doc(f"f{i}", {f"org:filler{i}", "org:un"}) for i in range(8)]


def test_documents_in_different_languages_sharing_rare_keys_are_one_story() -> None:
    docs = [_doc("ru", {"country:SD", "region:darfur", "org:wfp", "org:un"}),
            _doc("ar", {"country:SD", "country:EG", "org:un"}, days=1, language="ar"),
            *FILLER]
    stories = cluster_stories(docs, TfidfModel())
    assert ("ru", "ar") in {s.document_ids for s in stories} or (
        ("ar", "ru") in {s.document_ids for s in stories})
    assert len(stories) == len(docs) - 1


def test_the_date_window_keeps_a_topic_from_becoming_one_story() -> None:
    docs = [_doc("a", {"country:SD", "org:wfp"}), _doc("b", {"country:SD", "org:wfp"}, days=10),
            *FILLER]
    assert all(len(s.document_ids) == 1 for s in cluster_stories(docs, TfidfModel()))


def test_english_text_similarity_joins_documents_with_few_keys() -> None:
    text = "The central bank cut its policy rate by two points to curb inflation expectations."
    docs = [_doc("en1", {"org:x"}, english=text, language="en"),
            _doc("en2", {"org:y"}, english=text + " Markets rose.", language="en"),
            _doc("en3", {"org:z"}, english="A satellite finished its tests in orbit.",
                 language="en")]
    stories = cluster_stories(docs, TfidfModel(), StoryParams(text_weight=0.7))
    assert ("en1", "en2") in {s.document_ids for s in stories}


def test_story_id_is_the_earliest_member() -> None:
    docs = [_doc("late", {"country:SD", "org:wfp"}, days=1),
            _doc("early", {"country:SD", "org:wfp"})]
    assert cluster_stories(docs, TfidfModel()) == (
        cluster_stories(list(reversed(docs)), TfidfModel()))
    assert cluster_stories(docs, TfidfModel())[0].id == "early"


def test_an_unknown_text_model_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"^enrich: unknown story text model 'e5'"):
        load_text_model("e5")


@pytest.mark.slow
def test_story_quality_on_the_demo_world_halves(tables: EnrichTables) -> None:
    """Pinned floors below the measured values (python -m tests.enrich.storyeval)."""
    labelled = load_labelled(EVENTS, tables, corpus=None, written=None)
    model = TfidfModel()
    halves = {h: [x for x in labelled if x.half == h] for h in ("tune", "test")}
    assert len(labelled) >= 60
    assert tune(halves["tune"], model) == StoryParams()
    for half in ("tune", "test"):
        measured = score(halves[half], model, StoryParams())
        assert measured.precision >= 0.75 and measured.recall >= 0.9, (half, measured)


@pytest.mark.slow
@pytest.mark.parametrize("incremental", [False, True], ids=["batch", "wire"])
def test_story_quality_on_the_labelled_pairs_of_each_half(tables: EnrichTables,
                                                          incremental: bool) -> None:
    """Same-event pairs and hard not-same pairs (python -m tests.enrich.storyeval):
    measured 1.00/1.00 on both halves of the demo world, by both groupings."""
    labelled = load_labelled(EVENTS, tables, corpus=None, written=None)
    total = 0
    for half in ("tune", "test"):
        members = [x for x in labelled if x.half == half]
        pairs = labelled_pairs(members, StoryParams())
        total += len(pairs)
        assert sum(p.same for p in pairs) >= 4, half
        measured = pair_score(pairs, stories_of(members, TfidfModel(), StoryParams(),
                                                incremental=incremental))
        assert measured.precision >= 0.9 and measured.recall >= 0.9, (half, measured)
    assert total >= 60


@pytest.mark.corpus
@pytest.mark.slow
def test_story_quality_with_the_corpus_pages(tables: EnrichTables) -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    labelled = load_labelled(EVENTS, tables, corpus=CORPUS, written=None)
    corpus = [x for x in labelled if x.event.startswith("corpus:")]
    assert len(corpus) > 90
    measured = score(labelled, TfidfModel(), StoryParams())
    assert measured.precision >= 0.6 and measured.recall >= 0.9, measured


@pytest.mark.slow
def test_the_written_pages_give_many_same_event_and_hard_pairs_in_each_half(
    tables: EnrichTables,
) -> None:
    written = load_written(WRITTEN, tables)
    assert all(x.doc.keys for x in written)  # every page names a place the gazetteer knows
    assert len({x.doc.language for x in written}) == 6
    for half in ("tune", "test"):
        members = [x for x in written if x.half == half]
        # One event is in one half: its pairs are all judged.
        assert not {x.event for x in members} & {x.event for x in written if x.half != half}
        pairs = labelled_pairs(members, StoryParams())
        same = [p for p in pairs if p.same]
        hard = [p for p in pairs if not p.same]
        assert len(same) >= 40 and len(hard) >= 40, (half, len(same), len(hard))
        # The hard pairs are of one country or city (see story_pages.toml).
        assert all(any(k.startswith(("country:", "city:")) for k in p.shared) for p in hard)


@pytest.mark.slow
@pytest.mark.parametrize("incremental", [False, True], ids=["batch", "wire"])
def test_story_quality_on_the_written_pairs_of_each_half(tables: EnrichTables,
                                                         incremental: bool) -> None:
    """Pinned floors below the measured values with the wire's parameters
    (python -m tests.enrich.storyeval): recall 1.00 on both halves; precision
    0.49 on the tune half and 0.43 on the test half, because two events of
    one city a day apart share every key, and only English text (no
    translation here) tells them apart."""
    labelled = load_labelled(EVENTS, tables, corpus=None)
    floors = {"tune": 0.45, "test": 0.4}
    for half, floor in floors.items():
        members = [x for x in labelled if x.half == half and x.event.startswith("written:")]
        pairs = labelled_pairs(members, StoryParams())
        measured = pair_score(pairs, stories_of(members, TfidfModel(), StoryParams(),
                                                incremental=incremental))
        assert measured.precision >= floor and measured.recall >= 0.95, (half, measured)


@pytest.mark.slow
def test_translated_as_on_the_wire_the_tuned_grouping_keeps_the_test_half_apart(
    tables: EnrichTables,
) -> None:
    """With the English a wire's translation gives each written page, the
    parameters tuned on the tune half (threshold 0.4, text weight 0.7) score
    the never-tuned test half's written pairs at precision 1.00, recall 0.88
    (python -m tests.enrich.storyeval); the wire's own parameters join every
    hard pair there (precision 0.43)."""
    labelled = load_labelled(EVENTS, tables, corpus=None, translated=True)
    halves = {h: [x for x in labelled if x.half == h] for h in ("tune", "test")}
    params = tune(halves["tune"], TfidfModel())
    assert params == StoryParams(text_weight=0.7, threshold=0.4)
    written = [x for x in halves["test"] if x.event.startswith("written:")]
    pairs = labelled_pairs(written, params)
    for incremental in (False, True):
        measured = pair_score(pairs, stories_of(written, TfidfModel(), params,
                                                incremental=incremental))
        assert measured.precision >= 0.95 and measured.recall >= 0.85, measured
