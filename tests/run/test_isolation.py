"""Whatever one source or one document raises stops only that source or document.

A source whose every stage in turn raises an arbitrary exception is polled
beside a healthy one; the healthy one is stored and published completely, and
the failure is recorded with its stage, the exception's type and one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from babelwire.model import Document, Item, Stage
from babelwire.run import stages
from babelwire.run.report import EXIT_OK, EXIT_PARTIAL, exit_status
from babelwire.store import Store


def _raise_for_bad(real: Callable[..., Any], exc: Exception,
                   is_bad: Callable[..., bool]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if is_bad(*args, **kwargs):
            raise exc
        return real(*args, **kwargs)

    return wrapper


def _doc_is_bad(doc: Document, *args: Any, **kwargs: Any) -> bool:
    return doc.source_id == "bad"


#: stage -> (exception raised, where it is injected)
INJECTED: dict[str, Exception] = {
    "discover": OverflowError("date value out of range"),
    "fetch": KeyError("content-length"),
    "extract": ValueError("Exceeds the limit (4300 digits) for integer string conversion"),
    "translate": MemoryError("no room for the batch"),
    "compose": ZeroDivisionError("division by zero"),
    "store": RuntimeError("disk I/O error\nsecond line that is never shown"),
}


def _inject(stage: str, monkeypatch: pytest.MonkeyPatch, store: Store, runner: Any) -> None:
    exc = INJECTED[stage]
    if stage == "discover":
        monkeypatch.setattr(stages, "discover", _raise_for_bad(
            stages.discover, exc, lambda fetched, source, *a, **k: source.id == "bad"))
    elif stage == "fetch":
        monkeypatch.setattr(stages, "fetch_document",
                            _raise_for_bad(stages.fetch_document, exc, _doc_is_bad))
    elif stage == "extract":
        monkeypatch.setattr(stages, "extract_fetched", _raise_for_bad(
            stages.extract_fetched, exc, lambda fetched, **k: "/bad/" in fetched.url))
    elif stage == "translate":
        translator = runner.wire.translator
        monkeypatch.setattr(translator, "translate_documents", _raise_for_bad(
            translator.translate_documents, exc,
            lambda requests: any(store.document(r.document_id).source_id == "bad"
                                 for r in requests)))
    elif stage == "compose":
        monkeypatch.setattr(stages, "compose_item",
                            _raise_for_bad(stages.compose_item, exc, _doc_is_bad))
    elif stage == "store":
        monkeypatch.setattr(store, "save_item", _raise_for_bad(
            store.save_item, exc, lambda item: item.source_id == "bad"))


def _items(store: Store, source_id: str) -> list[Item]:
    return [item for doc in store.documents(source_id=source_id)
            if (item := store.item_for_document(doc.id)) is not None]


@pytest.mark.parametrize("stage", list(INJECTED))
def test_a_stage_raising_on_one_source_leaves_the_other_complete(
    stage: str, world: Any, store: Store, make_runner: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good, bad = world.add_source("good"), world.add_source("bad")
    runner = make_runner([good, bad])
    _inject(stage, monkeypatch, store, runner)

    report = runner.run_once(force=True)

    healthy = list(store.documents(source_id="good"))
    assert len(healthy) == 2
    assert {doc.stage for doc in healthy} == {Stage.PUBLISHED}, [d.reason for d in healthy]
    assert len(_items(store, "good")) == 2
    exc = INJECTED[stage]
    expected = f"{stage}: {type(exc).__name__}: {str(exc).splitlines()[0]}"
    if stage == "discover":
        assert store.health("bad").last_error == expected
        assert store.health("bad").consecutive_failures == 1
        assert report.failed_sources["bad"] == expected
    else:
        failed = list(store.documents(source_id="bad"))
        assert [(d.stage, d.reason) for d in failed] == [(Stage.FAILED, expected)] * 2
    assert "second line" not in expected
    assert exit_status(report) == EXIT_PARTIAL
    assert store.health("good").consecutive_failures == 0


def test_a_clean_run_exits_0(world: Any, store: Store, make_runner: Any) -> None:
    report = make_runner([world.add_source("good")]).run_once(force=True)
    assert exit_status(report) == EXIT_OK
    assert report.wire is not None and report.wire.published == 2


def test_a_batch_the_translator_raises_on_is_translated_one_document_at_a_time(
    world: Any, store: Store, make_runner: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three documents of one source in one batch; one of them makes the engine raise."""
    source = world.add_source("good", articles=3)
    runner = make_runner([source])
    translator = runner.wire.translator  # type: ignore[union-attr]
    real = translator.translate_documents
    poisoned = {"article-1"}

    def translate(requests: list[Any]) -> list[Any]:
        if any(store.document(r.document_id).url.rsplit("/", 1)[1].startswith(tuple(poisoned))
               for r in requests):
            raise IndexError("list index out of range")
        return real(requests)

    monkeypatch.setattr(translator, "translate_documents", translate)
    report = runner.run_once(force=True)
    by_name = {d.url.rsplit("/", 1)[1]: d for d in store.documents(source_id="good")}
    assert by_name["article-1.html"].stage == Stage.FAILED
    assert by_name["article-1.html"].reason == "translate: IndexError: list index out of range"
    assert by_name["article-0.html"].stage == by_name["article-2.html"].stage == Stage.PUBLISHED
    assert report.wire is not None and report.wire.failed == 1


def test_a_failure_is_shown_by_status_and_the_sources_api(
    world: Any, store: Store, make_runner: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fastapi.testclient import TestClient

    from babelwire.publish.app import create_app
    from babelwire.publish.settings import PublishSettings

    good, bad = world.add_source("good"), world.add_source("bad")
    runner = make_runner([good, bad])
    _inject("discover", monkeypatch, store, runner)
    runner.run_once(force=True)

    app = create_app(lambda: store, settings=PublishSettings.load({}), sources=[good, bad])
    with TestClient(app) as client:
        rows = {row["id"]: row for row in client.get("/api/v1/sources").json()["sources"]}
        page = client.get("/sources").text
    reason = "discover: OverflowError: date value out of range"
    assert rows["bad"]["last_error"] == reason and rows["bad"]["consecutive_failures"] == 1
    assert rows["good"]["last_error"] is None
    assert reason in page


def test_a_poll_whose_entries_were_not_stored_reads_its_feed_again(
    world: Any, store: Store, make_runner: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A process killed after storing a feed's validators (its ETag) but
    before its entries would lose them: the next poll is answered 304. So the
    entries are stored first, and a poll cut short between the two reads
    the feed again."""
    world.etags = True
    source = world.add_source("good")
    runner = make_runner([source])
    real = store.add_discovered

    def killed(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the process died here")

    monkeypatch.setattr(store, "add_discovered", killed)
    runner.run_once(force=True)
    assert list(store.documents(source_id="good")) == []
    monkeypatch.setattr(store, "add_discovered", real)
    runner.run_once(force=True)
    docs = list(store.documents(source_id="good"))
    assert len(docs) == 2 and {doc.stage for doc in docs} == {Stage.PUBLISHED}
    # Polled once more, the feed (now answered 304) adds nothing.
    runner.run_once(force=True)
    assert len(list(store.documents(source_id="good"))) == 2
