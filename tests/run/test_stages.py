"""The stage sequence: order, failures recorded per document, restart after a crash."""

from __future__ import annotations

from typing import Any

import pytest

from babelwire.errors import Drop, NoEngine
from babelwire.model import Document, Stage
from babelwire.run import stages
from babelwire.store import Store


def _recording(events: list[tuple[str, str]], name: str, real: Any,
               key: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        events.append((name, key(*args, **kwargs)))
        return real(*args, **kwargs)

    return wrapper


def test_stages_run_in_order_for_every_document(
    world: Any, store: Store, make_runner: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = make_runner([world.add_source("good", articles=3)])
    events: list[tuple[str, str]] = []
    monkeypatch.setattr(stages, "discover", _recording(
        events, "discover", stages.discover, lambda fetched, *a, **k: "source"))
    monkeypatch.setattr(stages, "fetch_document", _recording(
        events, "fetch", stages.fetch_document, lambda doc, *a: doc.url))
    monkeypatch.setattr(stages, "extract_document", _recording(
        events, "extract", stages.extract_document, lambda doc, *a: doc.url))
    monkeypatch.setattr(stages, "translation_request", _recording(
        events, "translate", stages.translation_request, lambda doc, *a: doc.url))
    monkeypatch.setattr(stages, "compose_document", _recording(
        events, "compose", stages.compose_document, lambda doc, *a, **k: doc.url))
    saved: dict[str, list[Stage]] = {}
    real_save = store.save_document

    def save(doc: Document) -> None:
        saved.setdefault(doc.url, []).append(doc.stage)
        real_save(doc)

    monkeypatch.setattr(store, "save_document", save)
    runner.run_once(force=True)

    assert events[0] == ("discover", "source")
    urls = {url for name, url in events if name != "discover"}
    assert len(urls) == 3
    for url in urls:
        assert [name for name, seen in events if seen == url] == [
            "fetch", "extract", "translate", "compose"]
        assert saved[url] == [Stage.FETCHED, Stage.EXTRACTED, Stage.TRANSLATED,
                              Stage.PUBLISHED]


def test_a_stage_failing_on_one_document_is_recorded_on_it_and_the_rest_go_on(
    world: Any, store: Store, make_runner: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = make_runner([world.add_source("good", articles=3)])
    real = stages.extract_fetched

    def extract(fetched: Any, **kwargs: Any) -> Any:
        if fetched.url.endswith("article-1.html"):
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
        return real(fetched, **kwargs)

    monkeypatch.setattr(stages, "extract_fetched", extract)
    report = runner.run_once(force=True)
    docs = {d.url.rsplit("/", 1)[1]: d for d in store.documents(source_id="good")}
    broken = docs.pop("article-1.html")
    assert broken.stage == Stage.FAILED
    assert broken.reason == ("extract: UnicodeDecodeError: 'utf-8' codec can't decode "
                             "byte 0xff in position 0: invalid start byte")
    assert broken.warc_record_id  # fetched and archived before extract failed
    assert {d.stage for d in docs.values()} == {Stage.PUBLISHED}
    assert report.failed == {"good": {broken.reason: 1}}


def test_failure_reason_names_the_stage_the_type_and_one_line() -> None:
    assert stages.failure_reason("compose", KeyError("x")) == "compose: KeyError: 'x'"
    assert stages.failure_reason("store", RuntimeError("a\nb")) == "store: RuntimeError: a"
    assert stages.failure_reason("fetch", ValueError()) == "fetch: ValueError"
    assert stages.failure_reason("extract", ValueError("y" * 1000)).endswith("y" * 300)
    # Our own errors already say stage, what and where.
    assert stages.failure_reason("translate", NoEngine("ru", "en")).startswith(
        "translate: no engine for ru→en")


def test_a_drop_skips_and_anything_else_fails() -> None:
    doc = Document(id="d", source_id="s", url="http://s.test/a", stage=Stage.FETCHED)
    skipped = stages.stopped(doc, Drop("not an article", stage="extract"), stage="extract")
    assert (skipped.stage, skipped.reason) == (Stage.SKIPPED, "extract: not an article")
    failed = stages.stopped(doc, OverflowError("too big"), stage="extract")
    assert (failed.stage, failed.reason) == (Stage.FAILED, "extract: OverflowError: too big")


def _outcome(store: Store) -> list[tuple[Any, ...]]:
    docs = sorted(store.documents(), key=lambda d: d.url)
    items = [store.item_for_document(d.id) for d in docs]
    return [(d.url, d.stage, d.reason, d.content_hash, d.duplicate_of,
             item and (item.version, item.headline, item.body))
            for d, item in zip(docs, items, strict=True)]


class Crash(BaseException):
    """Stands for the process dying: nothing in the runner may catch it."""


def test_a_run_that_crashes_mid_way_then_restarts_ends_as_an_uninterrupted_run(
    world: Any, store: Store, make_runner: Any, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    source = world.add_source("good", articles=4)
    with Store.open(f"sqlite:///{tmp_path / 'calm.db'}") as calm:
        calm.migrate()
        uninterrupted = _runner_on(make_runner([source]), calm)
        uninterrupted.run_once(force=True)
        expected = _outcome(calm)

    real_save = store.save_document
    crashed_on: list[str] = []

    def save(doc: Document) -> None:
        # Die while storing the second extracted document: it stays at fetched.
        if doc.stage == Stage.EXTRACTED and len(crashed_on) == 1:
            crashed_on.append(doc.url)
            raise Crash
        if doc.stage == Stage.EXTRACTED:
            crashed_on.append(doc.url)
        real_save(doc)

    monkeypatch.setattr(store, "save_document", save)
    with pytest.raises(Crash):
        make_runner([source]).run_once(force=True)
    monkeypatch.setattr(store, "save_document", real_save)
    assert any(d.stage == Stage.FETCHED for d in store.documents())

    archived_before = len(world.hits)
    make_runner([source]).run_once(force=True)
    assert _outcome(store) == expected
    # The page fetched before the crash is read from the archive, not asked again.
    refetched = [h for h in world.hits[archived_before:] if h.endswith(".html")]
    assert crashed_on[1].rsplit("/", 2)[-2:] not in [h.rsplit("/", 2)[-2:] for h in refetched]


def _runner_on(runner: Any, store: Store) -> Any:
    """``runner`` writing to ``store`` instead of the fixture's."""
    runner.store = store
    assert runner.wire is not None
    runner.wire.store = store
    return runner
