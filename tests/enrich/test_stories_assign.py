"""Stories kept as items arrive: the step, its store and breaking detection.

Runs on both backends (the ``store`` fixture); the wire is the four-language
Sudan story of ``STORY_WIRE`` in ``tests/publish/seeding.py`` and two other items.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from babelwire.enrich import EnrichTables
from babelwire.enrich.stories import (
    Arrival,
    BreakingRule,
    Member,
    StoryDoc,
    TfidfModel,
    assign_stories,
    is_breaking,
)
from babelwire.enrich.storysettings import StorySettings
from babelwire.errors import ConfigError
from babelwire.run.stories import assign_new_items
from babelwire.store import Store
from babelwire.store.stories import NewMember


def _load_seeding() -> ModuleType:
    # By path: this folder is a package of its own (--import-mode=importlib),
    # so ``..publish`` is out of reach of a relative import.
    path = Path(__file__).parents[1] / "publish" / "seeding.py"
    spec = importlib.util.spec_from_file_location("story_test_seeding", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


SEEDING = _load_seeding()
S = SEEDING.STORY_WIRE
DAY = datetime(2025, 12, 10, tzinfo=UTC)


def _story_of(store: Store, items: dict) -> dict[str, str]:
    found = store.stories.of_documents([item.document_id for item in items.values()])
    return {slug: found[item.document_id].id for slug, item in items.items()}


def test_one_event_in_four_languages_is_one_story(store: Store, tables: EnrichTables) -> None:
    items = S.seed(store)
    assert assign_new_items(store, tables=tables) == len(items)
    story_of = _story_of(store, items)
    sudan = {story_of[r.slug] for r in SEEDING.SUDAN}
    assert len(sudan) == 1
    assert len({story_of[r.slug] for r in SEEDING.OTHERS} | sudan) == 3
    story = store.stories.story(sudan.pop())
    assert story is not None
    # Named after its first member, seen first.
    assert story.id == items["wfp-convoy"].document_id
    assert (story.member_count, story.source_count, story.language_count) == (4, 4, 4)
    assert story.language_counts == {"ar": 1, "en": 1, "fr": 1, "ru": 1}
    assert story.first_seen_at == min(m.seen_at for m in store.stories.members(story.id))


def test_a_rerun_adds_nothing_and_changes_nothing(store: Store, tables: EnrichTables) -> None:
    S.seed(store)
    assign_new_items(store, tables=tables)
    before = store.dump()
    assert assign_new_items(store, tables=tables) == 0
    assert store.dump() == before


def test_items_arriving_one_by_one_give_the_stories_of_one_batch(
    store: Store, tables: EnrichTables, tmp_path: Path
) -> None:
    """Oldest first, one run each: the same stories as all at once."""
    store.upsert_sources(S.sources)
    for report in sorted(SEEDING.SUDAN + SEEDING.OTHERS, key=lambda r: -r.hours_ago):
        S.save(store, report)
        assign_new_items(store, tables=tables)
    one_by_one = {m: s.id for m, s in store.stories.of_documents(
        [S.document(r).id for r in SEEDING.SUDAN + SEEDING.OTHERS]).items()}
    with Store.open(f"sqlite:///{tmp_path / 'batch.db'}") as batch:
        batch.migrate()
        S.seed(batch)
        assign_new_items(batch, tables=tables)
        at_once = {m: s.id for m, s in batch.stories.of_documents(list(one_by_one)).items()}
    assert one_by_one == at_once


def test_merged_stories_keep_one_row_and_the_old_id_still_finds_the_story(
    store: Store, tables: EnrichTables
) -> None:
    store.upsert_sources(S.sources)
    early, late = SEEDING.SUDAN[0], SEEDING.SUDAN[3]
    # Two reports with nothing in common but the event's keys after a bridge:
    # stored as two stories first, then joined by the item that names both.
    first = S.save(store, early)
    store.stories.add_members([_member(first, first.document_id)])
    second = S.save(store, late)
    store.stories.add_members([_member(second, second.document_id)])
    store.stories.add_members([], {second.document_id: first.document_id})
    assert store.stories.story(second.document_id) is None
    found = store.stories.find(second.document_id)
    assert found is not None and found.id == first.document_id
    assert found.member_count == 2 and found.source_count == 2


def _member(item: Any, story_id: str) -> NewMember:
    return NewMember(item.document_id, story_id, item.id, item.source_id,
                     item.original_language, item.published, None, ())


def test_a_reprocessed_item_keeps_its_story(store: Store, tables: EnrichTables) -> None:
    items = S.seed(store)
    assign_new_items(store, tables=tables)
    before = _story_of(store, items)
    S.seed(store)  # composed again: a new version of every item
    assert assign_new_items(store, tables=tables) == 0
    assert _story_of(store, items) == before


def _doc(doc_id: str, keys: set[str], hours: float) -> StoryDoc:
    return StoryDoc(doc_id, DAY + timedelta(hours=hours), "ru", None, frozenset(keys))


def test_a_new_document_joins_the_story_it_scores_highest_with() -> None:
    members = [Member(_doc("a", {"country:SD", "org:wfp"}, 0), "story-a"),
               Member(_doc("b", {"country:IQ", "city:98182"}, 1), "story-b"),
               *(Member(_doc(f"f{i}", {f"org:f{i}"}, 2), f"f{i}") for i in range(6))]
    new = [_doc("n", {"country:SD", "org:wfp", "region:darfur"}, 3),
           _doc("m", {"country:JP"}, 4)]
    plan = assign_stories(new, members, TfidfModel())
    assigned = {a.document_id: a for a in plan.assignments}
    assert assigned["n"].story_id == "story-a" and assigned["n"].score is not None
    assert assigned["m"].story_id == "m" and assigned["m"].score is None
    assert plan.merged == {}


def test_a_new_document_can_join_a_story_started_in_the_same_batch() -> None:
    new = [_doc("late", {"country:SD", "org:wfp"}, 5), _doc("early", {"country:SD", "org:wfp"}, 1),
           *(_doc(f"f{i}", {f"org:f{i}"}, 2) for i in range(6))]
    plan = assign_stories(new, [], TfidfModel())
    assigned = {a.document_id: a.story_id for a in plan.assignments}
    assert assigned["late"] == assigned["early"] == "early"


def test_a_document_that_bridges_two_stories_makes_them_one_named_after_the_older() -> None:
    members = [Member(_doc("a", {"country:SD", "org:wfp"}, 0), "a"),
               Member(_doc("b", {"region:darfur", "org:unicef"}, 1), "b"),
               *(Member(_doc(f"f{i}", {f"org:f{i}"}, 2), f"f{i}") for i in range(6))]
    bridge = _doc("n", {"country:SD", "org:wfp", "region:darfur", "org:unicef"}, 3)
    plan = assign_stories([bridge], members, TfidfModel())
    assert plan.assignments[0].story_id == "a"
    assert plan.merged == {"b": "a"}


RULE = BreakingRule(window_s=3600, min_members=3, min_sources=2, min_languages=2)
NOW = datetime(2025, 12, 11, 12, 0, tzinfo=UTC)


def _arrivals(*specs: tuple[float, str, str]) -> list[Arrival]:
    return [Arrival(NOW - timedelta(minutes=m), s, lang) for m, s, lang in specs]


def test_three_sources_in_two_languages_within_the_window_are_breaking() -> None:
    assert is_breaking(_arrivals((5, "a", "ru"), (20, "b", "fr"), (50, "c", "fr")), NOW, RULE)


@pytest.mark.parametrize("specs", [
    ((5, "a", "ru"), (20, "b", "fr"), (70, "c", "fr")),   # one joined before the window
    ((5, "a", "ru"), (20, "a", "fr"), (50, "a", "ar")),   # one source
    ((5, "a", "fr"), (20, "b", "fr"), (50, "c", "fr")),   # one language
])
def test_slow_or_narrow_growth_is_not_breaking(specs: tuple[tuple[float, str, str], ...]) -> None:
    assert not is_breaking(_arrivals(*specs), NOW, RULE)


def test_breaking_settings_are_checked_against_their_ranges() -> None:
    assert StorySettings.load({"BABELWIRE_STORY_BREAKING_WINDOW_S": "2h"}).breaking == (
        BreakingRule(window_s=7200))
    with pytest.raises(ConfigError, match="story_breaking_min_members"):
        StorySettings.load({}, breaking_min_members=1)


class _Recording:
    """An embedder that remembers what it was given (every pair unrelated)."""

    name = "recording"

    def __init__(self) -> None:
        self.texts: list[str] = []

    def similarities(self, texts: Any) -> list[list[float]]:
        return self.similarity_rows(texts, range(len(texts)))

    def similarity_rows(self, texts: Any, rows: Any) -> list[list[float]]:
        self.texts.extend(texts)
        return [[0.0] * len(texts) for _ in rows]


def test_the_step_embeds_the_originals_of_new_and_stored_items(
    store: Store, tables: EnrichTables
) -> None:
    """The Russian report's own headline reaches the embedder, as a new item
    and again as a stored member beside the next one."""
    store.upsert_sources(S.sources)
    russian, later = SEEDING.SUDAN[0], SEEDING.SUDAN[1]
    embedder = _Recording()
    S.save(store, russian)
    assign_new_items(store, tables=tables, embedder=embedder)
    assert any(t.startswith(russian.original_title) for t in embedder.texts)
    embedder.texts.clear()
    S.save(store, later)
    assign_new_items(store, tables=tables, embedder=embedder)
    assert any(t.startswith(russian.original_title) for t in embedder.texts)
