from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from babelwire.enrich import EnrichTables
from babelwire.enrich.embedding import EmbeddingModel
from babelwire.enrich.stories import (
    StoryDoc,
    StoryParams,
    TfidfModel,
    cluster_stories,
    load_text_model,
)
from babelwire.enrich.storysettings import StorySettings
from babelwire.errors import ConfigError

from .storyeval import (
    EVENTS,
    ONE_THRESHOLD,
    WRITTEN,
    Labelled,
    Score,
    labelled_pairs,
    load_labelled,
    load_written,
    pair_score,
    score,
    stories_of,
    tune,
)

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus"
EMBEDDER = EmbeddingModel()
#: TF-IDF and keys alone, tuned so on the tune half: the wire's before the embeddings.
TFIDF_ALONE = StoryParams(threshold=0.4)
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
    """Pinned floors below the measured values (python -m tests.enrich.storyeval):
    precision 1.00 on both halves, recall 1.00 on the tune half and 0.50 on
    the test half, where the headlines of two of the Sudan story's reports
    (a donors' meeting in Paris, an aid convoy in Darfur) embed apart; with
    TF-IDF and keys alone, 1.00 and 1.00."""
    labelled = load_labelled(EVENTS, tables, corpus=None, written=None)
    model = TfidfModel()
    halves = {h: [x for x in labelled if x.half == h] for h in ("tune", "test")}
    assert len(labelled) >= 60
    for half, recall in (("tune", 0.9), ("test", 0.45)):
        measured = score(halves[half], model, StoryParams(), embedder=EMBEDDER)
        assert measured.precision >= 0.75 and measured.recall >= recall, (half, measured)


@pytest.mark.slow
@pytest.mark.parametrize("incremental", [False, True], ids=["batch", "wire"])
def test_story_quality_on_the_labelled_pairs_of_each_half(tables: EnrichTables,
                                                          incremental: bool) -> None:
    """Same-event pairs and hard not-same pairs (python -m tests.enrich.storyeval):
    measured 1.00/1.00 on the tune half of the demo world and 1.00/0.50 on
    its test half, by both groupings (1.00/1.00 on both with TF-IDF and keys
    alone)."""
    labelled = load_labelled(EVENTS, tables, corpus=None, written=None)
    total = 0
    for half, recall in (("tune", 0.9), ("test", 0.45)):
        members = [x for x in labelled if x.half == half]
        pairs = labelled_pairs(members, StoryParams())
        total += len(pairs)
        assert sum(p.same for p in pairs) >= 4, half
        measured = pair_score(pairs, stories_of(members, TfidfModel(), StoryParams(),
                                                incremental=incremental, embedder=EMBEDDER))
        assert measured.precision >= 0.9 and measured.recall >= recall, (half, measured)
    assert total >= 60


@pytest.mark.corpus
@pytest.mark.slow
def test_story_quality_with_the_corpus_pages(tables: EnrichTables) -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    labelled = load_labelled(EVENTS, tables, corpus=CORPUS, written=None)
    corpus = [x for x in labelled if x.event.startswith("corpus:")]
    assert len(corpus) > 90
    # Measured 0.89 and 0.67: the demo's Sudan story loses its test half's
    # two pairs (see above).
    measured = score(labelled, TfidfModel(), StoryParams(), embedder=EMBEDDER)
    assert measured.precision >= 0.6 and measured.recall >= 0.6, measured


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
    """Untranslated: pinned floors below the measured values with the wire's
    parameters (python -m tests.enrich.storyeval): recall 1.00 on both
    halves; precision 0.52 on the tune half and 0.43 on the test half,
    because two events of one city a day apart share every key, and the
    embeddings alone, weighed so that the demo's loosely told story (an
    aid convoy, a donors' meeting, new funds) stays one, join most of them."""
    labelled = load_labelled(EVENTS, tables, corpus=None)
    floors = {"tune": 0.45, "test": 0.4}
    for half, floor in floors.items():
        members = [x for x in labelled if x.half == half and x.event.startswith("written:")]
        pairs = labelled_pairs(members, StoryParams())
        measured = pair_score(pairs, stories_of(members, TfidfModel(), StoryParams(),
                                                incremental=incremental, embedder=EMBEDDER))
        assert measured.precision >= floor and measured.recall >= 0.95, (half, measured)


@pytest.mark.slow
def test_the_wire_defaults_are_those_tuned_on_the_tune_half(tables: EnrichTables) -> None:
    """Tuned as on a wire (written pages translated, the demo's waiting for an
    engine but for English originals), the embeddings' own weight on the
    pages untranslated; on the tune half only. The settings' defaults are
    the same."""
    labelled = load_labelled(EVENTS, tables, corpus=None, translated=True)
    tune_half = [x for x in labelled if x.half == "tune"]
    untranslated = [x for x in load_labelled(EVENTS, tables, corpus=None) if x.half == "tune"]
    assert tune(tune_half, TfidfModel(), untranslated=untranslated,
                embedder=EMBEDDER) == StoryParams()
    assert tune(tune_half, TfidfModel()) == TFIDF_ALONE
    assert StorySettings().params == StoryParams()


@pytest.mark.slow
@pytest.mark.parametrize("incremental", [False, True], ids=["batch", "wire"])
def test_the_wire_defaults_keep_the_test_halfs_events_apart_and_together(
    tables: EnrichTables, incremental: bool,
) -> None:
    """The never-tuned test half, with the wire's defaults
    (python -m tests.enrich.storyeval): the written pairs, translated, at
    precision 1.00 and recall 0.94; the demo's pairs, most without English
    text, at 1.00 and 0.50 (two reports of its Sudan story whose headlines
    embed apart). TF-IDF and keys alone, tuned so, score the
    written pairs at precision 0.72 (one link, at 0.403, joins Dhaka's ferry
    and factory fire). One threshold for every pair (0.15, text weight 0.3,
    the defaults before that) joins every hard written pair (precision
    0.43): two events of one city a day apart share every key."""
    labelled = load_labelled(EVENTS, tables, corpus=None, translated=True)
    test_half = [x for x in labelled if x.half == "test"]
    written = [x for x in test_half if x.event.startswith("written:")]
    demo = [x for x in test_half if not x.event.startswith("written:")]

    def measured(members: list[Labelled], params: StoryParams,
                 embedder: EmbeddingModel | None = EMBEDDER) -> Score:
        return pair_score(labelled_pairs(members, params),
                          stories_of(members, TfidfModel(), params, incremental=incremental,
                                     embedder=embedder))

    on_written = measured(written, StoryParams())
    assert on_written.precision >= 0.95 and on_written.recall >= 0.9, on_written
    on_demo = measured(demo, StoryParams())
    assert on_demo.true_pos + on_demo.false_neg >= 4, on_demo
    assert on_demo.precision >= 0.95 and on_demo.recall >= 0.45, on_demo
    assert measured(written, TFIDF_ALONE, None).precision < 0.8
    assert measured(written, ONE_THRESHOLD, None).precision < 0.6


def test_keys_alone_cannot_tell_two_events_of_one_city_apart_english_text_can() -> None:
    """Both reports name Dhaka and Bangladesh only: with English text on both
    sides the words keep them apart; with one waiting for its translation,
    the keys are all there is and they are one story."""
    keys = {"country:BD", "city:1185241"}
    ferry = "A ferry capsized on the Buriganga river; dozens of passengers are missing."
    fire = "A fire gutted a garment factory in an industrial district; workers escaped."
    assert len(cluster_stories([_doc("ferry", keys, english=ferry, language="en"),
                                _doc("fire", keys, english=fire, language="en", days=1),
                                *FILLER], TfidfModel())) == len(FILLER) + 2
    assert len(cluster_stories([_doc("ferry", keys, english=ferry, language="en"),
                                _doc("fire", keys, language="zh", days=1),
                                *FILLER], TfidfModel())) == len(FILLER) + 1


def test_two_reports_of_one_event_alone_on_a_new_wire_are_one_story() -> None:
    """Every word the two share is in every text compared: counted over these
    two alone, their rarity would be nil and the text would say nothing."""
    keys = {"country:SD", "region:darfur"}
    docs = [_doc("a", keys, language="en",
                 english="A World Food Programme convoy reached Darfur with food."),
            _doc("b", keys, language="en", days=0.5,
                 english="The food convoy of the World Food Programme arrived in Darfur.")]
    assert len(cluster_stories(docs, TfidfModel())) == 1
