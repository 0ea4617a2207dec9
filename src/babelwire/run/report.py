"""What one run did, per source, and the exit status it gives.

The runner fills a :class:`RunReport` as results come in; the CLI and the
demo print it (``console.py``), and ``babelwire run --once`` exits with
:func:`exit_status` so a scheduler can tell a clean run from a partial one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

#: Every source was polled and every document went as far as it could.
EXIT_OK = 0
#: The run finished, but some sources or documents failed; each failure is
#: recorded on its source or document (``babelwire status``, the sources page).
EXIT_PARTIAL = 3


@dataclass
class WireCounts:
    """The translate-and-compose half of a run."""

    translated: int = 0
    published: int = 0
    waiting: int = 0
    duplicates: int = 0
    #: Documents a stage raised on (stored as ``failed`` with the reason).
    failed: int = 0
    #: Why documents wait (no engine for a pair, compose refused), with counts.
    waiting_reasons: Counter[str] = field(default_factory=Counter)


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
    #: Sources whose poll read nothing or broke, with the recorded reason.
    failed_sources: dict[str, str] = field(default_factory=dict)
    #: Addresses per source that the cap on fetches left for the next poll.
    left: dict[str, int] = field(default_factory=dict)
    wire: WireCounts | None = None

    def count(self, table: dict[str, int], source_id: str, n: int = 1) -> None:
        table[source_id] = table.get(source_id, 0) + n

    def reason(self, table: dict[str, dict[str, int]], source_id: str, reason: str) -> None:
        per_source = table.setdefault(source_id, {})
        per_source[reason] = per_source.get(reason, 0) + 1

    @property
    def partial(self) -> bool:
        """True when any source or document failed in this run."""
        wire_failed = self.wire is not None and self.wire.failed > 0
        return bool(self.failed_sources or self.failed or wire_failed)


def exit_status(report: RunReport) -> int:
    return EXIT_PARTIAL if report.partial else EXIT_OK
