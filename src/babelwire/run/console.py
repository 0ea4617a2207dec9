"""A run on a terminal: progress bars while it works, a summary table after.

Shared by ``babelwire run`` and the demo, so both show a run the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from babelwire.model import Source
from babelwire.run.report import RunReport

#: Called as (phase, done, total) so a terminal can draw progress bars.
ProgressHook = Callable[[str, int, int], None]


@contextmanager
def progress_bars(console: Console) -> Iterator[ProgressHook]:
    """A rich progress bar per phase, drawn only when ``console`` is a terminal."""
    with Progress(
        TextColumn("{task.description:>10}"), BarColumn(), MofNCompleteColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    ) as bars:
        tasks: dict[str, TaskID] = {}

        def hook(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bars.add_task(phase, total=total)
            bars.update(tasks[phase], completed=done, total=total)

        yield hook


def summary_table(report: RunReport, sources: Sequence[Source]) -> Table:
    table = Table(title="babelwire run", show_lines=False, expand=False)
    for column in ("source", "region", "found", "new", "stored", "skipped (why)", "failed (why)"):
        table.add_column(column, overflow="fold")
    for source in sources:
        failed = dict(report.failed.get(source.id, {}))
        if source.id in report.failed_sources:
            failed[report.failed_sources[source.id]] = 1
        table.add_row(
            source.id,
            source.region,
            str(report.found.get(source.id, 0)),
            str(report.new.get(source.id, 0)),
            str(report.stored.get(source.id, 0)),
            _reasons(report.skipped.get(source.id, {})),
            _reasons(failed),
        )
    return table


def _reasons(counts: dict[str, int]) -> str:
    short: dict[str, int] = {}
    for reason, n in counts.items():
        key = short_reason(reason)
        short[key] = short.get(key, 0) + n
    return "\n".join(f"{n} × {reason}" for reason, n in sorted(short.items())) or "0"


_URL = re.compile(r"\s*\(?\bhttps?://\S+")


def short_reason(reason: str) -> str:
    """A reason without its stage prefix and URLs, short enough for a table cell."""
    text = _URL.sub("", reason.split(": ", 1)[-1]).strip(" :;,")
    return text[:80]
