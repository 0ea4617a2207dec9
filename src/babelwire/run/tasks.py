"""The distributed workers' tasks (Celery): thin wrappers around ``stages``.

Each task calls the functions the in-process runner calls, and stores what
they return with the runner's own code (``Runner`` and ``WireStep``), so
there is one pipeline, run in two ways:

- ``poll``       ``stages.poll_source`` for one source (queue fetch);
- ``fetch``      ``stages.fetch_document`` for one document, then ``extract``;
- ``extract``    ``stages.carry_document`` of a fetched document, which reads
  the page back from the archive (queue cpu; the archive directory is shared);
- ``dedup``      ``runner.mark_duplicates`` over the stored documents (cpu);
- ``stories``    ``stories.assign_new_items`` once the items are stored (cpu);
- ``translate``  one batch through ``WireStep.translate_batch`` (translate);
- ``compose``    ``WireStep.compose`` of one translated document, which calls
  ``stages.compose_document`` (cpu).

A task is idempotent on the document's identity: it reads the document's
stored stage first and does only what is left, and every write is an upsert,
so a task run twice (a worker killed after the work, before the
acknowledgement) converges to the same rows. When a unit is finished the
task marks it done for the scheduler (see ``scheduler``), which waits for
those marks and enqueues again whatever no worker finished within its lease.

Resources are opened once per worker process, on its first task, and the
translator on its first translation. The process counts its requests and
translated words as it goes (``workermetrics``), for its ``/metrics``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeGuard

import redis

from babelwire.compose import ComposeSettings
from babelwire.fetch import AddressPolicy, Archive, Resolver
from babelwire.model import Document, Source, Stage, utc_now
from babelwire.run import stages
from babelwire.run.celeryapp import app
from babelwire.run.ratelimit import KEY_PREFIX, SharedFetcher
from babelwire.run.report import RunReport, WireCounts
from babelwire.run.resources import build_translator, enrich_tables, open_store, private_hosts
from babelwire.run.runner import Runner, enrich_and_store, mark_duplicates
from babelwire.run.stories import assign_new_items
from babelwire.run.wire import WireStep
from babelwire.run.workermetrics import Tally
from babelwire.run.workersettings import WorkerSettings
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.subscribe import deliver_subscriptions
from babelwire.translate.translator import Translator

#: A finished unit's mark is kept this long: far longer than any run.
DONE_TTL_S = 7 * 24 * 3600

#: Retries of a task that raised (the store or the broker was away): with
#: exponential back-off up to ten minutes, then the scheduler's lease takes over.
TASK_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": 2,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker process is started with (set before the pool forks)."""

    settings: Settings
    workers: WorkerSettings
    sources: tuple[Source, ...]
    resolver: Resolver | None = None


@dataclass
class Context:
    """A worker process's open resources; built on its first task."""

    config: WorkerConfig
    store: Store
    archive: Archive
    fetcher: SharedFetcher
    redis: redis.Redis
    by_id: dict[str, Source]
    compose_settings: ComposeSettings
    tally: Tally
    translator: Translator | None = None
    #: One translation at a time per process: the model is loaded once and
    #: its batches already use the whole device.
    translating: threading.Lock = field(default_factory=threading.Lock)

    def runner(self) -> Runner:
        return Runner(self.config.settings, self.store, self.fetcher, self.archive,
                      list(self.by_id.values()))

    def wire(self) -> WireStep:
        return WireStep(self.store, self.translator, self.compose_settings,
                        list(self.by_id.values()), utc_now,
                        enrich=partial(enrich_and_store, self.store, enrich_tables()))


_config: WorkerConfig | None = None
_context: Context | None = None
_opening = threading.Lock()


def setup(config: WorkerConfig) -> None:
    """Record what this worker runs with; resources open lazily in each process."""
    global _config, _context
    _config, _context = config, None


def context() -> Context:
    global _context
    with _opening:
        if _context is None:
            if _config is None:
                raise RuntimeError("worker: tasks.setup() was not called")
            _context = _open(_config)
        return _context


def _open(config: WorkerConfig) -> Context:
    settings = config.settings
    client = redis.Redis.from_url(config.workers.coordination_url)
    archive = Archive(Path(settings.archive_dir))
    policy = AddressPolicy(allow_all_private=settings.allow_private,
                           private_allowed_hosts=private_hosts(config.sources))
    tally = Tally()
    fetcher = SharedFetcher(settings, resolver=config.resolver, policy=policy,
                            archive=archive, redis_client=client,
                            shared_concurrency=config.workers.per_host_concurrency, tally=tally)
    return Context(config, open_store(settings), archive, fetcher, client,
                   {s.id: s for s in config.sources}, ComposeSettings.load(), tally)


def claim_key(run_id: str, unit: str) -> str:
    return f"{KEY_PREFIX}claim:{run_id}:{unit}"


def done_key(run_id: str, unit: str) -> str:
    return f"{KEY_PREFIX}done:{run_id}:{unit}"


def finish(ctx: Context, run_id: str, unit: str) -> None:
    """Mark ``unit`` of run ``run_id`` done, for the scheduler."""
    with ctx.redis.pipeline() as pipe:
        pipe.set(done_key(run_id, unit), 1, ex=DONE_TTL_S)
        pipe.delete(claim_key(run_id, unit))
        pipe.execute()


# -- tasks ----------------------------------------------------------------------


@app.task(name="babelwire.poll", **TASK_OPTIONS)
def poll(run_id: str, source_id: str) -> None:
    ctx = context()
    source = ctx.by_id[source_id]
    settings = ctx.config.settings
    done: Future[stages.PollResult] = Future()
    try:
        done.set_result(stages.poll_source(
            source, ctx.fetcher, ctx.store.fetch_state, now=utc_now,
            max_entries=settings.max_entries_per_feed,
            failure_backoff_max_s=settings.failure_backoff_max_s,
            max_fetches=settings.max_fetches_per_poll,
            queued=ctx.store.queued_urls(source.id),
            max_decompressed_bytes=settings.max_decompressed_bytes,
        ))
    except Exception as exc:  # recorded on the source, as the runner records it
        done.set_exception(exc)
    ctx.runner()._store_poll(source, done, RunReport())
    finish(ctx, run_id, f"poll:{source_id}")


@app.task(name="babelwire.fetch", **TASK_OPTIONS)
def fetch(run_id: str, doc_id: str) -> None:
    ctx = context()
    doc = ctx.store.document(doc_id)
    if doc is None or doc.stage not in (Stage.DISCOVERED, Stage.FAILED, Stage.FETCHED):
        finish(ctx, run_id, f"doc:{doc_id}")  # carried forward already
        return
    if not (doc.stage == Stage.FETCHED and doc.warc_file and doc.warc_offset is not None):
        try:
            fetched, _ = stages.fetch_document(doc, ctx.fetcher)
        except Exception as exc:  # one broken page must not stop the run
            fetched = stages.stopped(doc, exc, stage="fetch")
        doc = ctx.runner()._save_states(doc, [fetched])
    if doc.stage == Stage.FETCHED:
        extract.delay(run_id, doc_id)
    else:
        finish(ctx, run_id, f"doc:{doc_id}")


@app.task(name="babelwire.extract", **TASK_OPTIONS)
def extract(run_id: str, doc_id: str) -> None:
    ctx = context()
    doc = ctx.store.document(doc_id)
    if doc is not None and doc.stage == Stage.FETCHED:
        states = stages.carry_document(doc, ctx.by_id[doc.source_id], ctx.fetcher,
                                       ctx.archive)
        ctx.runner()._save_states(doc, states)
    finish(ctx, run_id, f"doc:{doc_id}")


@app.task(name="babelwire.dedup", **TASK_OPTIONS)
def dedup(run_id: str) -> None:
    ctx = context()
    mark_duplicates(ctx.store)
    finish(ctx, run_id, "dedup")


@app.task(name="babelwire.stories", **TASK_OPTIONS)
def stories(run_id: str) -> None:
    ctx = context()
    assign_new_items(ctx.store)
    finish(ctx, run_id, "stories")


@app.task(name="babelwire.translate", **TASK_OPTIONS)
def translate(run_id: str, unit: str, doc_ids: Sequence[str]) -> None:
    """Translate a batch; each document's item is the compose task's work."""
    ctx = context()
    docs = [doc for doc in map(ctx.store.document, doc_ids)
            if _waiting(doc, Stage.EXTRACTED)]
    with ctx.translating:
        if ctx.translator is None:
            ctx.translator = build_translator(ctx.store)
        started_at, started_s = utc_now(), time.monotonic()
        ctx.wire().translate_batch(docs, ctx.by_id, WireCounts())
        took_s = time.monotonic() - started_s
    # Only what this batch wrote: an older translation of a document the
    # translator failed on this time is not this batch's work.
    fresh = [t for t in map(ctx.store.translation, (d.id for d in docs))
             if t is not None and t.translated_at >= started_at]
    ctx.tally.translated(fresh, took_s)
    finish(ctx, run_id, unit)


@app.task(name="babelwire.compose", **TASK_OPTIONS)
def compose(run_id: str, doc_id: str) -> None:
    """Compose the item of one translated document; a published one is left as is."""
    ctx = context()
    doc = ctx.store.document(doc_id)
    if _waiting(doc, Stage.TRANSLATED):
        translation = ctx.store.translation(doc_id)
        if translation is not None:
            ctx.wire().compose(doc, ctx.by_id[doc.source_id], translation, WireCounts())
    finish(ctx, run_id, compose_unit(doc_id))


def compose_unit(doc_id: str) -> str:
    return f"compose:{doc_id}"


def _waiting(doc: Document | None, stage: Stage) -> TypeGuard[Document]:
    """At ``stage``, an original (not a duplicate) with its text extracted.

    A task run again finds its documents past ``stage`` and leaves them.
    """
    return (doc is not None and doc.stage == stage and doc.extracted is not None
            and not doc.duplicate_of)


@app.task(name="babelwire.deliver", **TASK_OPTIONS)
def deliver(run_id: str | None = None) -> None:
    """Subscriptions' deliveries after publication (``subscribe/deliver.py``);
    their leases keep two workers from sending the same batch. With a
    ``run_id`` the unit "deliver" is marked done, as a scheduler phase."""
    ctx = context()
    deliver_subscriptions(ctx.store, ctx.config.settings, resolver=ctx.config.resolver)
    if run_id is not None:
        finish(ctx, run_id, "deliver")
