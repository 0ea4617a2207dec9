"""The in-process runner: one machine, threads, no services.

The runner owns the loop and the store; ``stages.py`` does the work.
Network-bound work (polls, page fetches) runs in a thread pool, while every
database write happens on the calling thread, which keeps SQLite to a single
writer. A document is written after each stage, so a crash at any moment
loses at most the work in flight, which the next run redoes from the stage
that was stored.

Whatever one source or one document raises is recorded on it (stage,
exception type, one line) and the run goes on with the others; the report
says whether anything failed (:func:`~babelwire.run.report.exit_status`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from babelwire.dedup import find_duplicates
from babelwire.enrich import EnrichTables
from babelwire.fetch import Archive, Fetcher, Resolver
from babelwire.model import Document, Source, Stage, Translation, utc_now
from babelwire.run import stages
from babelwire.run.console import ProgressHook
from babelwire.run.frontier import failure_backoff_s
from babelwire.run.report import RunReport
from babelwire.run.resources import private_hosts, resources
from babelwire.run.stories import assign_new_items
from babelwire.run.wire import WireStep
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.subscribe import deliver_subscriptions

log = logging.getLogger("babelwire.runner")


def run_sources(settings: Settings, sources: Sequence[Source], *, force: bool,
                resolver: Resolver | None = None,
                progress: ProgressHook | None = None) -> RunReport:
    """One whole run over ``sources``: poll, fetch, extract, translate, compose."""
    with resources(settings, resolver=resolver,
                   private_allowed_hosts=private_hosts(sources)) as res:
        wire = WireStep(res.store, res.translator, res.compose, sources, utc_now,
                        enrich=partial(enrich_and_store, res.store, res.enrich))
        run = Runner(settings, res.store, res.fetcher, res.archive, sources,
                     progress=progress, wire=wire)
        report = run.run_once(force=force)
        # After publication: subscriptions send what this run put on the wire.
        deliver_subscriptions(res.store, settings, resolver=resolver)
        return report


@dataclass
class Runner:
    settings: Settings
    store: Store
    fetcher: Fetcher
    archive: Archive
    sources: Sequence[Source]
    clock: Callable[[], datetime] = utc_now
    #: Called as (phase, done, total) so the CLI can draw progress bars.
    progress: ProgressHook | None = None
    #: Translation and composition; None runs the ingest half only.
    wire: WireStep | None = None

    def run_once(self, *, force: bool = False) -> RunReport:
        """Poll every due source, then carry every pending document forward."""
        report = RunReport()
        self.store.upsert_sources(self.sources)
        disabled = self.store.disabled_source_ids()
        due = [s for s in self.sources
               if s.id not in disabled and (force or self._is_due(s))]
        self._poll(due, report)
        self._process(report)
        mark_duplicates(self.store)
        if self.wire is not None:
            report.wire = self.wire.run(source_ids=[s.id for s in self.sources])
        assign_new_items(self.store)
        return report

    # -- polling -----------------------------------------------------------

    def _is_due(self, source: Source) -> bool:
        next_due = self.store.health(source.id).next_due_at
        return next_due is None or next_due <= self.clock()

    def _poll(self, sources: Sequence[Source], report: RunReport) -> None:
        def poll(source: Source) -> stages.PollResult:
            return stages.poll_source(
                source,
                self.fetcher,
                self.store.fetch_state,
                now=self.clock,
                max_entries=self.settings.max_entries_per_feed,
                failure_backoff_max_s=self.settings.failure_backoff_max_s,
                max_fetches=self.settings.max_fetches_per_poll,
                queued=self.store.queued_urls(source.id),
                max_decompressed_bytes=self.settings.max_decompressed_bytes,
            )

        with self._pool() as pool:
            futures = {pool.submit(poll, source): source for source in sources}
            for done, future in enumerate(as_completed(futures), 1):
                source = futures[future]
                try:
                    self._store_poll(source, future, report)
                except Exception as exc:  # the store refused: record it, go on
                    self._source_failed(source, stages.failure_reason("store", exc), report)
                self._tick("poll", done, len(futures))

    def _store_poll(
        self, source: Source, future: Future[stages.PollResult], report: RunReport
    ) -> None:
        try:
            result = future.result()
        except Exception as exc:  # poll_source isolates each address; this is the rest
            self._source_failed(source, stages.failure_reason("poll", exc), report)
            return
        now = self.clock()
        # Entries before the validators (ETag, Last-Modified) of the pages
        # they came from: a process killed between the two would otherwise
        # hear "304 Not Modified" on the next poll and never see them.
        new = self.store.add_discovered(result.entries)
        for state in result.states:
            self.store.save_fetch_state(state)
        report.count(report.polled, source.id, result.read)
        report.count(report.found, source.id, len(result.entries))
        report.count(report.new, source.id, new)
        if result.left:
            report.count(report.left, source.id, len(result.left))
            log.info("poll: fetch cap of %d reached; %d addresses left for the next poll",
                     self.settings.max_fetches_per_poll, len(result.left),
                     extra={"source": source.id})
        for error in result.errors:
            log.warning("%s", error, extra={"source": source.id})
            report.poll_errors.setdefault(source.id, []).append(error)
        failures = [s.consecutive_failures for s in result.states if s.consecutive_failures]
        if result.ok:
            next_due = min(s.next_due_at for s in result.states if s.next_due_at)
            self.store.record_source_success(source.id, now, next_due)
            return
        wait_s = failure_backoff_s(
            source, max(failures, default=1), self.settings.failure_backoff_max_s
        )
        reason = "; ".join(result.errors) or "poll: nothing could be read"
        self.store.record_source_failure(source.id, reason, now, now + timedelta(seconds=wait_s))
        report.failed_sources[source.id] = reason

    def _source_failed(self, source: Source, reason: str, report: RunReport) -> None:
        log.error("%s", reason, extra={"source": source.id})
        report.poll_errors.setdefault(source.id, []).append(reason)
        report.failed_sources[source.id] = reason
        now = self.clock()
        try:
            self.store.record_source_failure(source.id, reason, now, now)
        except Exception:  # the store is what failed; the log keeps the reason
            log.exception("store: cannot record the failure of %s", source.id)

    # -- documents ---------------------------------------------------------

    def _process(self, report: RunReport) -> None:
        by_id = {s.id: s for s in self.sources}
        pending = self.store.pending(source_ids=list(by_id))
        with self._pool() as pool:
            futures = {
                pool.submit(stages.carry_document, doc, by_id[doc.source_id], self.fetcher,
                            self.archive): doc
                for doc in pending
            }
            for done, future in enumerate(as_completed(futures), 1):
                last = self._save_states(futures[future], future.result())
                self._count_outcome(last, report)
                self._tick("documents", done, len(futures))

    def _save_states(self, doc: Document, states: list[Document]) -> Document:
        """Write each state in order; a write the store refuses fails the document."""
        try:
            for saved in states:
                self.store.save_document(saved)
        except Exception as exc:
            failed = stages.stopped(states[-1] if states else doc, exc, stage="store")
            log.error("%s", failed.reason, extra={"document": doc.id})
            try:
                self.store.save_document(failed)
            except Exception:  # the store is what failed; the log keeps the reason
                log.exception("store: cannot record the failure of %s", doc.id)
            return failed
        return states[-1]

    def _count_outcome(self, doc: Document, report: RunReport) -> None:
        if doc.stage == Stage.EXTRACTED:
            report.count(report.stored, doc.source_id)
        elif doc.stage == Stage.SKIPPED:
            report.reason(report.skipped, doc.source_id, doc.reason or "skipped")
        else:
            report.reason(report.failed, doc.source_id, doc.reason or "failed")

    # -- plumbing ----------------------------------------------------------

    @contextmanager
    def _pool(self) -> Iterator[ThreadPoolExecutor]:
        with ThreadPoolExecutor(max_workers=self.settings.workers) as pool:
            yield pool

    def _tick(self, phase: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(phase, done, total)


#: How many of the newest stored documents are compared for copies. Copies
#: of one story appear within days of each other; a window keeps the
#: comparison cheap however large the archive grows.
DEDUP_WINDOW = 5000


#: Stages whose documents have text to compare: extracted (perhaps waiting
#: for an engine), translated, or already published.
WITH_TEXT = (Stage.EXTRACTED, Stage.TRANSLATED, Stage.PUBLISHED)


def enrich_and_store(store: Store, tables: EnrichTables, doc: Document,
                     translation: Translation | None) -> bool:
    """Enrich one document and store what was found; whether it was enriched.

    Called before compose by both runners (``WireStep.enrich``). Enrichment
    is optional data: whatever the stage or the store raises is recorded on
    the document's enrichment (stage, type, first line) and logged, and the
    document goes on to be published. A document already enriched from the
    same text and translation is left as it is.
    """
    key = stages.enrichment_key(doc, translation)
    try:
        if store.enrichment_keys([doc.id]).get(doc.id) == key:
            return True
        found = stages.enrich_document(doc, translation, tables)
        store.save_enrichment(found, input_key=key)
        return True
    except Exception as exc:  # one document's enrichment must never stop its item
        reason = stages.failure_reason("enrich", exc)
        log.warning("%s", reason, extra={"document": doc.id})
        try:
            store.record_enrichment_failure(doc.id, reason, input_key=key)
        except Exception:  # the store is what failed; the log keeps the reason
            log.exception("store: cannot record the enrichment failure of %s", doc.id)
        return False


def mark_duplicates(store: Store) -> int:
    """Decide over every document with text, so the answer never depends on
    how far each copy has travelled when the run ends."""
    recent = [doc for stage in WITH_TEXT
              for doc in store.documents(stage=stage, limit=DEDUP_WINDOW)]
    return store.set_duplicates(find_duplicates(recent))
