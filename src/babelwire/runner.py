"""The in-process runner: one machine, threads, no services.

The runner owns the loop and the store; the stage functions in
``pipeline.py`` do the work. Network-bound work (polls, page fetches) runs in a
thread pool, while every database write happens on the calling thread, which
keeps SQLite to a single writer. A document is written after each stage, so a
crash at any moment loses at most the work in flight, which the next run
redoes from the stage that was stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from babelwire import pipeline
from babelwire.dedup import find_duplicates
from babelwire.errors import BabelwireError
from babelwire.fetch import Archive, Fetcher, fetched_from_archive
from babelwire.model import Document, Source, Stage
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.wirestep import WireCounts, WireStep

log = logging.getLogger("babelwire.runner")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class RunReport:
    """Counts per source for one run, printed by the CLI's summary table."""

    polled: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    new: dict[str, int] = field(default_factory=dict)
    stored: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, dict[str, int]] = field(default_factory=dict)
    failed: dict[str, dict[str, int]] = field(default_factory=dict)
    poll_errors: dict[str, list[str]] = field(default_factory=dict)
    wire: WireCounts | None = None

    def count(self, table: dict[str, int], source_id: str, n: int = 1) -> None:
        table[source_id] = table.get(source_id, 0) + n

    def reason(self, table: dict[str, dict[str, int]], source_id: str, reason: str) -> None:
        per_source = table.setdefault(source_id, {})
        per_source[reason] = per_source.get(reason, 0) + 1


ProgressHook = Callable[[str, int, int], None]


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
        return report

    # -- polling -----------------------------------------------------------

    def _is_due(self, source: Source) -> bool:
        next_due = self.store.health(source.id).next_due_at
        return next_due is None or next_due <= self.clock()

    def _poll(self, sources: Sequence[Source], report: RunReport) -> None:
        def poll(source: Source) -> pipeline.PollResult:
            return pipeline.poll_source(
                source,
                self.fetcher,
                self.store.fetch_state,
                now=self.clock,
                max_entries=self.settings.max_entries_per_feed,
                failure_backoff_max_s=self.settings.failure_backoff_max_s,
            )

        with self._pool() as pool:
            futures = {pool.submit(poll, source): source for source in sources}
            for done, future in enumerate(as_completed(futures), 1):
                source = futures[future]
                self._store_poll(source, future, report)
                self._tick("poll", done, len(futures))

    def _store_poll(
        self, source: Source, future: Future[pipeline.PollResult], report: RunReport
    ) -> None:
        now = self.clock()
        try:
            result = future.result()
        except BabelwireError as exc:
            log.error("%s", exc, extra={"source": source.id})
            self.store.record_source_failure(source.id, str(exc), now, now)
            report.poll_errors.setdefault(source.id, []).append(str(exc))
            return
        for state in result.states:
            self.store.save_fetch_state(state)
        new = self.store.add_discovered(result.entries)
        report.count(report.polled, source.id, result.read)
        report.count(report.found, source.id, len(result.entries))
        report.count(report.new, source.id, new)
        for error in result.errors:
            log.warning("%s", error, extra={"source": source.id})
            report.poll_errors.setdefault(source.id, []).append(error)
        failures = [s.consecutive_failures for s in result.states if s.consecutive_failures]
        if result.ok:
            next_due = min(s.next_due_at for s in result.states if s.next_due_at)
            self.store.record_source_success(source.id, now, next_due)
        else:
            wait_s = pipeline.failure_backoff_s(
                source, max(failures, default=1), self.settings.failure_backoff_max_s
            )
            self.store.record_source_failure(
                source.id, "; ".join(result.errors) or "poll: nothing could be read",
                now, now + timedelta(seconds=wait_s),
            )

    # -- documents ---------------------------------------------------------

    def _process(self, report: RunReport) -> None:
        by_id = {s.id: s for s in self.sources}
        pending = self.store.pending(source_ids=list(by_id))
        with self._pool() as pool:
            futures = {
                pool.submit(self._carry, doc, by_id[doc.source_id]): doc for doc in pending
            }
            for done, future in enumerate(as_completed(futures), 1):
                states = future.result()
                for saved in states:
                    self.store.save_document(saved)
                self._count_outcome(states[-1], report)
                self._tick("documents", done, len(futures))

    def _carry(self, doc: Document, source: Source) -> list[Document]:
        """Run one document through the remaining stages; return each stored state.

        Runs on a worker thread and touches no database: the caller writes
        the returned states in order.
        """
        states: list[Document] = []
        try:
            if doc.stage == Stage.FETCHED and doc.warc_file and doc.warc_offset is not None:
                # Fetched before a crash: the archive has the page, don't ask again.
                fetched = fetched_from_archive(self.archive, doc.warc_file, doc.warc_offset)
                current = doc
            else:
                current, fetched = pipeline.fetch_document(doc, self.fetcher)
                states.append(current)
            states.append(pipeline.extract_document(current, fetched, source))
        except BabelwireError as exc:  # Drop included: it stops one item
            states.append(pipeline.stopped(states[-1] if states else doc, exc))
        except Exception as exc:  # one broken page must not stop the run
            log.exception("unexpected error on %s", doc.url)
            states.append(pipeline.stopped(states[-1] if states else doc, exc))
        return states

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


def reprocess(store: Store, archive: Archive, sources: Sequence[Source]) -> dict[str, int]:
    """Rebuild documents from the WARC archive without fetching anything."""
    by_id = {s.id: s for s in sources}
    counts = {"rebuilt": 0, "skipped": 0, "missing": 0}
    for doc in list(store.documents()):
        source = by_id.get(doc.source_id)
        if source is None or not doc.warc_file or doc.warc_offset is None:
            counts["missing"] += 1
            continue
        fetched = fetched_from_archive(archive, doc.warc_file, doc.warc_offset)
        try:
            rebuilt = pipeline.extract_document(doc, fetched, source)
        except BabelwireError as exc:  # Drop included: it stops one item
            rebuilt = pipeline.stopped(doc, exc)
            counts["skipped"] += 1
        else:
            counts["rebuilt"] += 1
        store.save_document(rebuilt)
    mark_duplicates(store)
    return counts


#: How many of the newest stored documents are compared for copies. Copies
#: of one story appear within days of each other; a window keeps the
#: comparison cheap however large the archive grows.
DEDUP_WINDOW = 5000


#: Stages whose documents have text to compare: extracted (perhaps waiting
#: for an engine), translated, or already published.
WITH_TEXT = (Stage.EXTRACTED, Stage.TRANSLATED, Stage.PUBLISHED)


def mark_duplicates(store: Store) -> int:
    """Decide over every document with text, so the answer never depends on
    how far each copy has travelled when the run ends."""
    recent = [doc for stage in WITH_TEXT
              for doc in store.documents(stage=stage, limit=DEDUP_WINDOW)]
    return store.set_duplicates(find_duplicates(recent))
