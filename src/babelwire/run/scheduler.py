"""The scheduler of the distributed workers: what beat would be, for a run.

One pass does what ``Runner.run_once`` does, phase by phase, with the work
of each phase spread over the workers' queues:

1. poll every due source (queue fetch);
2. fetch and extract every pending document (fetch, then cpu);
3. mark duplicates over what is stored (cpu);
4. translate in batches of ``wire.DOCUMENTS_PER_BATCH`` (translate);
5. compose the item of every translated document (cpu);
6. put every new item into a story (cpu, one unit).

Each phase is a set of units (a source, a document, a batch). A unit is
enqueued with a claim in Redis that lasts ``broker_lease_s``; the task that
finishes it leaves a done mark. The scheduler waits until every unit of the
phase is done, and enqueues again any unit whose claim ran out without a
done mark: a message lost with its broker, or a task whose worker died and
whose redelivery has not come. Running a unit twice is safe (see ``tasks``),
so the phases end with every unit done, whatever died on the way.

``run_forever`` repeats passes over the due sources, ``interval_s`` apart.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import redis
from celery import Celery

from babelwire.model import Source, Stage, utc_now
from babelwire.run.tasks import claim_key, compose_unit, done_key
from babelwire.run.wire import DOCUMENTS_PER_BATCH
from babelwire.store import Store

log = logging.getLogger("babelwire.scheduler")

#: A unit is task name and arguments.
Unit = tuple[str, list[Any]]


@dataclass
class PassCounts:
    """Units of one pass, by phase."""

    units: dict[str, int] = field(default_factory=dict)
    #: Units enqueued again after their lease ran out.
    reissued: int = 0


@dataclass
class Scheduler:
    app: Celery
    store: Store
    redis: redis.Redis
    sources: Sequence[Source]
    lease_s: int
    clock: Callable[[], datetime] = utc_now
    sleep: Callable[[float], None] = time.sleep
    #: How often the done marks are read while a phase runs.
    check_every_s: float = 0.5

    def run_once(self, *, force: bool = False) -> PassCounts:
        run_id = uuid.uuid4().hex[:12]
        counts = PassCounts()
        self.store.upsert_sources(self.sources)
        disabled = self.store.disabled_source_ids()
        ids = [s.id for s in self.sources]
        due = [s.id for s in self.sources
               if s.id not in disabled and (force or self._is_due(s.id))]
        self._phase(run_id, "poll", {f"poll:{sid}": ("babelwire.poll", [run_id, sid])
                                     for sid in due}, counts)
        pending = self.store.pending(source_ids=ids)
        self._phase(run_id, "documents", {f"doc:{d.id}": ("babelwire.fetch", [run_id, d.id])
                                          for d in pending}, counts)
        self._phase(run_id, "dedup", {"dedup": ("babelwire.dedup", [run_id])}, counts)
        self._phase(run_id, "translate", self._batches(run_id, set(ids)), counts)
        self._phase(run_id, "compose", {
            compose_unit(doc_id): ("babelwire.compose", [run_id, doc_id])
            for doc_id in self._waiting(Stage.TRANSLATED, set(ids))}, counts)
        self._phase(run_id, "stories", {"stories": ("babelwire.stories", [run_id])}, counts)
        self._phase(run_id, "deliver", {"deliver": ("babelwire.deliver", [run_id])}, counts)
        return counts

    def run_forever(self, *, interval_s: float) -> None:
        while True:
            counts = self.run_once()
            log.info("scheduler: pass done: %s", counts.units)
            self.sleep(interval_s)

    def _is_due(self, source_id: str) -> bool:
        next_due = self.store.health(source_id).next_due_at
        return next_due is None or next_due <= self.clock()

    def _waiting(self, stage: Stage, wanted: set[str]) -> list[str]:
        """Originals of ``wanted`` sources at ``stage``, in the wire step's order."""
        return [doc.id for doc in self.store.documents(stage=stage)
                if doc.source_id in wanted and doc.extracted is not None
                and not doc.duplicate_of]

    def _batches(self, run_id: str, wanted: set[str]) -> dict[str, Unit]:
        """The documents to translate, in the wire step's order and batch size."""
        todo = self._waiting(Stage.EXTRACTED, wanted)
        units: dict[str, Unit] = {}
        for start in range(0, len(todo), DOCUMENTS_PER_BATCH):
            unit = f"batch:{start // DOCUMENTS_PER_BATCH}"
            units[unit] = ("babelwire.translate",
                           [run_id, unit, todo[start : start + DOCUMENTS_PER_BATCH]])
        return units

    def _phase(self, run_id: str, phase: str, units: Mapping[str, Unit],
               counts: PassCounts) -> None:
        counts.units[phase] = len(units)
        left = dict(units)
        first = True
        while left:
            with self.redis.pipeline() as pipe:
                for unit in left:
                    pipe.exists(done_key(run_id, unit))
                finished = pipe.execute()
            left = {u: task for (u, task), done in zip(left.items(), finished, strict=True)
                    if not done}
            for unit, (name, args) in left.items():
                # NX: a unit whose claim still runs is someone's work in progress.
                if self.redis.set(claim_key(run_id, unit), 1, nx=True, ex=self.lease_s):
                    if not first:
                        counts.reissued += 1
                        log.warning("scheduler: %s was not finished within %d s; "
                                    "enqueued again", unit, self.lease_s)
                    self.app.send_task(name, args=args)
            first = False
            if left:
                self.sleep(self.check_every_s)
