"""Running fuzz targets: cases, failures, the slowest case, crashing inputs kept.

Each case runs its target once. An exception out of the target is a failure,
and so, in ``make fuzz``, is a case that runs longer than ``slow_s`` (2 s):
that is the fuzz target's contract, checked here and not in the test suite,
whose bounded run passes ``slow_s=None``. A case's time is the CPU time of the
thread that runs it: on a shared machine the wall clock also counts the time
spent waiting for a core, which says nothing about the parser. A case still running after
``stuck_s`` is interrupted and counted as slow. The first input of each
distinct failure is written to ``data/`` as a regression fixture.
"""

from __future__ import annotations

import hashlib
import signal
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

from .targets import REGRESSIONS, TARGETS, inputs, seeds

_WARM: set[str] = set()


class CaseStuck(Exception):
    """A case ran past ``stuck_s`` and was interrupted."""


@dataclass(slots=True)
class Failure:
    target: str
    kind: str
    where: str
    message: str
    fixture: str | None


@dataclass(slots=True)
class TargetReport:
    target: str
    cases: int = 0
    slowest_s: float = 0.0
    slowest_digest: str = ""
    wall_s: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    #: Failures of a kind already seen (same type, same place), counted only.
    repeats: int = 0


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def run_target(
    target: str,
    cases: int,
    *,
    random_seed: int = 0,
    slow_s: float | None = 2.0,
    stuck_s: float = 60.0,
    keep_fixtures: bool = True,
    fixtures: Path = REGRESSIONS,
) -> TargetReport:
    """Run ``cases`` generated inputs through ``target``; never raises for a failing case."""
    entry = TARGETS[target]
    report = TargetReport(target)
    seen: set[tuple[str, str]] = set()

    def record(data: bytes, kind: str, where: str, message: str) -> None:
        if (kind, where) in seen:
            report.repeats += 1
            return
        seen.add((kind, where))
        name = None
        if keep_fixtures:
            fixtures.mkdir(parents=True, exist_ok=True)
            name = f"{target}-{digest(data)}.bin"
            (fixtures / name).write_bytes(data)
        report.failures.append(Failure(target, kind, where, message[:300], name))

    @seed(random_seed)
    @settings(
        max_examples=cases,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(inputs(target))
    def one_case(data: bytes) -> None:
        report.cases += 1
        started = time.thread_time()
        try:
            with _interrupt_after(stuck_s):
                entry(data)
        except CaseStuck:
            record(data, "stuck", f"over {stuck_s:g} s", "interrupted")
        except Exception as exc:  # the point of fuzzing: every escape is a finding
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            record(data, type(exc).__name__, where, str(exc))
        elapsed = time.thread_time() - started
        if elapsed > report.slowest_s:
            report.slowest_s, report.slowest_digest = elapsed, digest(data)
        if slow_s is not None and elapsed > slow_s:
            record(data, "slow", f"over {slow_s:g} s", f"{elapsed:.2f} s")

    started = time.perf_counter()
    _warm_up(target)
    one_case()
    report.wall_s = time.perf_counter() - started
    return report


def _warm_up(target: str) -> None:
    """Run the seeds once per process, uncounted: a running service has its models loaded.

    The language detector loads a model the first time it meets a language
    (seconds each); that cost belongs to start-up, not to the case that
    happens to come first.
    """
    if target in _WARM:
        return
    _WARM.add(target)
    for data in seeds(target):
        try:
            TARGETS[target](data)
        except Exception:  # a failing seed fails again, counted, among the cases
            continue


@contextmanager
def _interrupt_after(seconds: float) -> Iterator[None]:
    """Raise CaseStuck in the main thread after ``seconds`` (SIGALRM; POSIX only)."""

    def stuck(_signum: int, _frame: object) -> None:
        raise CaseStuck

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
