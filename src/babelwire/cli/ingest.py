"""Commands that move documents: init, run, reprocess, demo, settings."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from babelwire import log, runner, wiring
from babelwire.errors import ConfigError
from babelwire.fetch import Resolver
from babelwire.model import Source
from babelwire.settings import Settings, markdown_table, parse_duration_s
from babelwire.wirestep import WireStep

console = Console(stderr=True)
#: Pipes and logs get a fixed, generous width instead of rich's 80 columns.
out = Console() if sys.stdout.isatty() else Console(width=140)


def load_settings(**overrides: object) -> Settings:
    settings = Settings.load(None, **{k: v for k, v in overrides.items() if v is not None})
    log.configure(settings.log_level, settings.log_format)
    return settings


def private_hosts(sources: Sequence[Source]) -> frozenset[str]:
    """Hosts that catalog sources explicitly allow on private addresses."""
    return frozenset().union(*(s.hosts for s in sources if s.allow_private))


@contextmanager
def progress_hook() -> Iterator[runner.ProgressHook]:
    """A rich progress bar per phase, drawn on stderr only when it is a terminal."""
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


def summary_table(report: runner.RunReport, sources: Sequence[Source]) -> Table:
    table = Table(title="babelwire run", show_lines=False, expand=False)
    for column in ("source", "region", "found", "new", "stored", "skipped (why)", "failed (why)"):
        table.add_column(column, overflow="fold")
    for source in sources:
        table.add_row(
            source.id,
            source.region,
            str(report.found.get(source.id, 0)),
            str(report.new.get(source.id, 0)),
            str(report.stored.get(source.id, 0)),
            _reasons(report.skipped.get(source.id, {})),
            _reasons(report.failed.get(source.id, {})),
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


def run_sources(settings: Settings, sources: Sequence[Source], *, force: bool,
                resolver: Resolver | None = None) -> runner.RunReport:
    with wiring.resources(settings, resolver=resolver,
                          private_allowed_hosts=private_hosts(sources)) as res, \
            progress_hook() as hook:
        wire = WireStep(res.store, res.translator, res.compose, sources, runner.utc_now)
        run = runner.Runner(settings, res.store, res.fetcher, res.archive, sources,
                            progress=hook, wire=wire)
        return run.run_once(force=force)


def register(app: typer.Typer) -> None:
    @app.command()
    def init() -> None:
        """Create (or upgrade) the database and the archive directory."""
        settings = load_settings()
        store = wiring.open_store(settings)
        catalog = wiring.load_sources(settings)
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
        """Poll due sources and carry new documents through the pipeline."""
        settings = load_settings()
        catalog = wiring.load_sources(settings)
        for problem in catalog.problems:
            console.print(f"[yellow]{problem}[/]")
        chosen = [s for s in catalog.sources if not source or s.id in source]
        if source and not chosen:
            raise ConfigError(f"run: no source with id {', '.join(source)} in the catalog")
        if every and once:
            raise ConfigError("run: choose --once or --every, not both")
        interval_s = parse_duration_s(every) if every else None
        while True:
            started = time.monotonic()
            report = run_sources(settings, chosen, force=force)
            out.print(summary_table(report, chosen))
            if interval_s is None:
                return
            time.sleep(max(1.0, interval_s - (time.monotonic() - started)))

    @app.command()
    def reprocess() -> None:
        """Rebuild every document from the WARC archive, without fetching."""
        settings = load_settings()
        sources = wiring.known_sources(settings)
        with wiring.resources(settings) as res:
            counts = runner.reprocess(res.store, res.archive, sources)
        out.print(json.dumps(counts))

    @app.command()
    def demo(
        serve_s: Annotated[float, typer.Option(
            help="Keep the demo world online this many seconds after the run.")] = 0.0,
    ) -> None:
        """Run the whole pipeline over the bundled demo world, offline."""
        from babelwire.demo.run import run_demo

        run_demo(load_settings(), console=out, serve_s=serve_s)

    @app.command("settings")
    def show_settings(
        markdown: Annotated[bool, typer.Option(help="Print the Markdown reference.")] = False,
    ) -> None:
        """Show every setting with its current value."""
        if markdown:
            out.print(markdown_table(), markup=False, highlight=False, soft_wrap=True)
            return
        settings = load_settings()
        for name in settings.__slots__:
            out.print(f"{name} = {getattr(settings, name)!r}", markup=False, highlight=False)
