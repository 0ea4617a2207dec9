"""The compose task: its own task on the cpu queue, delivered late and retried,
calling the runner's own compose stage, and idempotent on the document."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import redis

from babelwire.model import (
    Document,
    Fetched,
    SegmentTranslation,
    Source,
    Stage,
    Translation,
    document_id,
)
from babelwire.run import stages, tasks
from babelwire.run.celeryapp import ROUTES
from babelwire.run.workersettings import WorkerSettings
from babelwire.settings import Settings
from babelwire.store import Store

SOURCE = Source(id="ministry", name="Ministry", desk="Press office", region="Testland",
                languages=("en",), homepage="http://127.0.0.1:1/", allow_private=True)
URL = "http://127.0.0.1:1/news/1.html"
PAGE = (b"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Budget "
        b"talks end</title></head><body><article><h1>Budget talks end</h1>"
        b"<time datetime='2025-12-12T10:00:00Z'>12 December 2025</time>"
        + b"<p>The council and the minister agreed the budget on Tuesday, officials "
          b"said, and the treaty will help farmers before the summit next year.</p>" * 4
        + b"</article></body></html>")


def test_compose_is_a_late_acknowledged_retried_task_on_the_cpu_queue() -> None:
    assert ROUTES["babelwire.compose"] == "cpu"
    task = tasks.compose
    assert task.acks_late and task.reject_on_worker_lost
    assert task.autoretry_for == (Exception,) and task.retry_backoff
    assert task.max_retries is not None and task.max_retries > 0


@pytest.fixture
def worker(tmp_path: Path, redis_url: str) -> Iterator[tasks.Context]:
    """One worker process's context over a SQLite store of its own."""
    yield from open_worker(f"sqlite:///{tmp_path / 'wire.db'}", tmp_path, redis_url)


def open_worker(database_url: str, tmp_path: Path, redis_url: str) -> Iterator[tasks.Context]:
    settings = Settings.load({}, database_url=database_url,
                             archive_dir=str(tmp_path / "archive"))
    tasks.setup(tasks.WorkerConfig(settings, WorkerSettings(url=redis_url), (SOURCE,)))
    ctx = tasks.context()
    try:
        yield ctx
    finally:
        ctx.store.close()
        ctx.fetcher.close()
        tasks.setup(tasks.WorkerConfig(settings, WorkerSettings(url=redis_url), ()))


def translated(store: Store, url: str = URL) -> Document:
    """An English document as translation leaves it: at TRANSLATED, its copy stored."""
    now = datetime(2025, 12, 12, 11, 0, tzinfo=UTC)
    fetched = Fetched(url=url, final_url=url, status=200, headers=(), body=PAGE,
                      fetched_at=now, content_type="text/html", charset="utf-8")
    doc = Document(id=document_id(SOURCE.id, url), source_id=SOURCE.id, url=url,
                   stage=Stage.DISCOVERED)
    doc = replace(stages.extract_document(doc, fetched, SOURCE), stage=Stage.TRANSLATED)
    assert doc.extracted is not None

    def copy(text: str) -> SegmentTranslation:
        return SegmentTranslation(source_text=text, text=text, engine="none", model="",
                                  model_version="")

    store.upsert_sources([SOURCE])
    store.save_document(doc)
    store.save_translation(Translation(
        document_id=doc.id, source_language="en", target_language="en",
        headline=copy(doc.extracted.title or ""), section=None,
        body=tuple(copy(b.text) for b in doc.extracted.blocks), translated_at=now))
    return doc


def test_compose_twice_publishes_one_item_once_through_the_runners_stage(
    worker: tasks.Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = translated(worker.store)
    calls: list[str] = []
    compose_document = stages.compose_document

    def spy(doc: Document, *args: Any, **kwargs: Any) -> Any:
        calls.append(doc.id)
        return compose_document(doc, *args, **kwargs)

    monkeypatch.setattr(stages, "compose_document", spy)
    tasks.compose.run("r1", doc.id)
    first = worker.store.dump()
    # Run again, as after a worker killed before its acknowledgement: the
    # document is published already, so nothing is composed or written.
    tasks.compose.run("r1", doc.id)
    assert worker.store.dump() == first
    assert calls == [doc.id]
    stored = worker.store.document(doc.id)
    assert stored is not None and stored.stage == Stage.PUBLISHED
    item = worker.store.item_for_document(doc.id)
    assert item is not None and item.version == 1
    assert redis.Redis.from_url(worker.config.workers.url).exists(
        tasks.done_key("r1", tasks.compose_unit(doc.id)))


def test_compose_killed_after_the_item_was_written_ends_the_same(
    worker: tasks.Context,
) -> None:
    doc = translated(worker.store)
    tasks.compose.run("r2", doc.id)
    once = worker.store.dump()
    # Stands for a worker killed between writing the item and the document's
    # stage: the task comes back and finds the document still translated.
    worker.store.save_document(replace(doc, stage=Stage.TRANSLATED))
    tasks.compose.run("r2", doc.id)
    again = worker.store.dump()
    assert again == once
    item = worker.store.item_for_document(doc.id)
    assert item is not None and item.version == 1


def test_items_composed_at_once_by_many_threads_are_all_published(
    tmp_path: Path, redis_url: str, postgres_url: str
) -> None:
    # A worker's threads (and other workers) compose at once; the store
    # numbers items as one writer would, so two saved together collided.
    worker = open_worker(postgres_url, tmp_path, redis_url)
    ctx = next(worker)
    try:
        ctx.store.migrate()
        docs = [translated(ctx.store, f"http://127.0.0.1:1/news/{n}.html") for n in range(24)]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda d: tasks.compose.run("r3", d.id), docs))
        stages_now = {d.id: ctx.store.document(d.id) for d in docs}
        assert {(d.stage, d.reason) for d in stages_now.values() if d is not None} \
            == {(Stage.PUBLISHED, None)}
    finally:
        worker.close()
