"""Commands that move documents: init, run, reprocess."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from babelwire.cli import load_settings
from babelwire.errors import ConfigError
from babelwire.run import console as run_console
from babelwire.run.report import exit_status
from babelwire.run.reprocess import reprocess as reprocess_archive
from babelwire.run.resources import known_sources, load_sources, open_store, resources
from babelwire.run.runner import run_sources
from babelwire.settings import parse_duration_s

console = Console(stderr=True)
#: Pipes and logs get a fixed, generous width instead of rich's 80 columns.
out = Console() if sys.stdout.isatty() else Console(width=140)


def _interval_s(every: str) -> int:
    """The --every duration in seconds; a pass every zero or fewer seconds is a typo."""
    try:
        interval_s = parse_duration_s(every)
    except ConfigError as exc:
        raise ConfigError(f"run: --every {every!r}: {exc}") from None
    if interval_s <= 0:
        raise ConfigError(f"run: --every {every!r}: give a positive duration such as 15m")
    return interval_s


def register(app: typer.Typer) -> None:
    @app.command()
    def init() -> None:
        """Create (or upgrade) the database and the archive directory."""
        settings = load_settings()
        store = open_store(settings)
        catalog = load_sources(settings)
        store.upsert_sources(catalog.sources)
        store.close()
        Path(settings.archive_dir).mkdir(parents=True, exist_ok=True)
        out.print(f"database ready: {settings.database_url}")
        out.print(f"archive: {Path(settings.archive_dir).resolve()}")
        out.print(f"catalog: {len(catalog.sources)} sources, {len(catalog.problems)} problems")

    @app.command()
    def run(
        once: Annotated[bool, typer.Option("--once", help="Run one pass and exit.")] = False,
        every: Annotated[str | None, typer.Option(
            "--every", help="Run a pass every DURATION (e.g. 15m) until stopped.")] = None,
        source: Annotated[list[str] | None, typer.Option(
            "--source", help="Only this source id (repeatable).")] = None,
        force: Annotated[bool, typer.Option(
            "--force", help="Poll sources even when they are not due.")] = False,
    ) -> None:
        """Poll due sources and carry new documents through the pipeline.

        Whatever one source or one document raises is recorded on it (stage,
        exception type, reason: see `babelwire status`) and the run goes on.
        Exit status of a single pass (--once, or no --every): 0 when every
        polled source and every document went through, 3 when some failed,
        1 for an error that stopped the run.
        """
        settings = load_settings()
        catalog = load_sources(settings)
        for problem in catalog.problems:
            console.print(f"[yellow]{problem}[/]")
        chosen = [s for s in catalog.sources if not source or s.id in source]
        if source and not chosen:
            raise ConfigError(f"run: no source with id {', '.join(source)} in the catalog")
        if every and once:
            raise ConfigError("run: choose --once or --every, not both")
        interval_s = _interval_s(every) if every is not None else None
        while True:
            started = time.monotonic()
            with run_console.progress_bars(console) as progress:
                report = run_sources(settings, chosen, force=force, progress=progress)
            out.print(run_console.summary_table(report, chosen))
            if interval_s is None:
                raise typer.Exit(exit_status(report))
            time.sleep(max(1.0, interval_s - (time.monotonic() - started)))

    @app.command()
    def reprocess() -> None:
        """Rebuild every document from the WARC archive, without fetching."""
        settings = load_settings()
        with resources(settings) as res:
            sources = known_sources(settings, res.store)
            counts = reprocess_archive(res.store, res.archive, sources)
        out.print(json.dumps(counts))
