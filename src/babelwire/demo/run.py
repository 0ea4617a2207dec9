"""`babelwire demo`: the whole pipeline over the bundled demo world, offline.

The demo world's hosts live under ``.demo.test``; a resolver maps them to the
replay server on 127.0.0.1, and only those hosts may reach a loopback address.
Everything else (the redirects to 10.0.0.5 among the traps) is refused by the
same guard that protects production, before any connection is made.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from babelwire.catalog import Catalog, load_catalog
from babelwire.compose import ComposeSettings
from babelwire.demo import CATALOG_DIR, WORLD_DIR
from babelwire.demo.manifest import Manifest, load_manifest
from babelwire.demo.resolver import DemoResolver, demo_hosts
from babelwire.demo.server import ReplayServer
from babelwire.model import Document, Stage, document_id, utc_now
from babelwire.publish.edit import parse_edit
from babelwire.run.console import progress_bars, summary_table
from babelwire.run.report import RunReport
from babelwire.run.republish import EditError, apply_edit
from babelwire.run.resources import open_store
from babelwire.run.runner import run_sources
from babelwire.run.stories import assign_new_items
from babelwire.settings import Settings
from babelwire.store import Store

#: Skip reasons in the answer key, and the words of our own messages that
#: show the document stopped for that reason.
REASON_MARKERS = {
    "robots": "robots.txt",
    "bot-challenge": "bot challenge",
    "not-found": "error page",
    "private-address": "private address",
}


#: English versions written by an editor for some demo stories.
EDITS_DIR = Path(__file__).parent / "edits"

#: Stages at which a document counts as stored: extracted (perhaps waiting
#: for a translation engine), translated, or published as a wire item.
STORED = frozenset({Stage.EXTRACTED, Stage.TRANSLATED, Stage.PUBLISHED})


def demo_catalog() -> Catalog:
    return load_catalog(CATALOG_DIR)


def apply_demo_edits(settings: Settings, catalog: Catalog) -> list[str]:
    """Publish the editor's English versions shipped with the demo world.

    They show the post-editing path (engine ``human``) and give the UNAMI
    story its reference wire item even where no ru→en model is installed.
    An edit already applied is left alone, so a second run changes nothing.
    """
    sources = {s.id: s for s in catalog.sources}
    lines = []
    with open_store(settings) as store:
        for path in sorted(EDITS_DIR.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            doc = store.document(document_id(data["source"], data["url"]))
            if doc is None:
                continue
            current = store.translation(doc.id)
            if current is not None and "human" in current.engines:
                continue
            try:
                text = parse_edit({k: v for k, v in data.items() if k not in ("source", "url")})
                item = apply_edit(store, doc.id, text, sources=sources,
                                  compose=ComposeSettings.load(), now=utc_now())
            except EditError as exc:
                lines.append(f"editor's version {path.name} not applied: {exc}")
                continue
            lines.append(f"editor's English version applied to {doc.id} "
                         f"(item {item.id}, version {item.version})")
        # The edited items reached the wire after the run's story step.
        assign_new_items(store)
    return lines


def demo_settings(settings: Settings) -> Settings:
    """The demo world is our own server on loopback: no need to wait between requests."""
    return settings.replace(per_host_delay_s=min(settings.per_host_delay_s, 0.05))


@dataclass(frozen=True, slots=True)
class Verdict:
    """How the stored documents compare with the demo world's answer key."""

    expected: int
    matched: int
    problems: tuple[str, ...]


def check_against_manifest(store: Store, manifest: Manifest) -> Verdict:
    docs = {doc.url: doc for doc in store.documents()}
    problems: list[str] = []
    for article in manifest.articles:
        doc = docs.get(article.url)
        problem = _mismatch(article.expected, article.reason, article.duplicate_of, doc, docs)
        if problem:
            problems.append(f"{article.url}: {problem}")
    expected = len(manifest.articles)
    return Verdict(expected, expected - len(problems), tuple(problems))


def _mismatch(
    expected: str, reason: str | None, duplicate_of: str | None,
    doc: Document | None, docs: dict[str, Document],
) -> str | None:
    if doc is None:
        return "never discovered"
    if expected == "skipped":
        marker = REASON_MARKERS.get(reason or "", reason or "")
        if doc.stage != Stage.SKIPPED or marker not in (doc.reason or ""):
            return f"expected skipped ({reason}), got {doc.stage.value}: {doc.reason}"
        return None
    if doc.stage not in STORED:
        return f"expected stored, got {doc.stage.value}: {doc.reason}"
    if expected == "duplicate":
        first = docs.get(duplicate_of or "")
        if first is None or doc.duplicate_of != first.id:
            return f"expected a duplicate of {duplicate_of}"
    return None


def run_demo(settings: Settings, *, console: Console, serve_s: float = 0.0) -> Verdict:
    catalog = demo_catalog()
    manifest = load_manifest(WORLD_DIR)
    settings = demo_settings(settings)
    started = time.monotonic()
    with ReplayServer(WORLD_DIR) as server:
        resolver = DemoResolver.for_world(WORLD_DIR, server.port)
        console.print(f"demo world: {len(demo_hosts(WORLD_DIR))} sites on 127.0.0.1:{server.port}")
        with progress_bars(Console(stderr=True)) as progress:
            report = run_sources(settings, catalog.sources, force=True, resolver=resolver,
                                 progress=progress)
        edited = apply_demo_edits(settings, catalog)
        elapsed_s = time.monotonic() - started
        console.print(summary_table(report, catalog.sources))
        store = open_store(settings)
        try:
            verdict = check_against_manifest(store, manifest)
            stats = store.stats()
            waiting = Counter(doc.reason or "waiting" for doc in store.documents_waiting())
        finally:
            store.close()
        _print_outcome(console, settings, verdict, stats, elapsed_s)
        _print_wire(console, report, waiting)
        for line in edited:
            console.print(line, markup=False, highlight=False)
        _print_next(console, settings)
        if serve_s > 0:
            console.print(f"demo world stays online for {serve_s:.0f} s")
            time.sleep(serve_s)
    return verdict


def _print_outcome(console: Console, settings: Settings, verdict: Verdict,
                   stats: dict, elapsed_s: float) -> None:
    table = Table(title="documents by stage")
    table.add_column("stage")
    table.add_column("count", justify="right")
    for stage, count in sorted(Counter(stats["by_stage"]).items()):
        table.add_row(stage, str(count))
    console.print(table)
    if verdict.problems:
        console.print(f"[red]{len(verdict.problems)} of {verdict.expected} demo pages "
                      "did not end as the answer key says:[/]")
        for line in verdict.problems:
            console.print(f"  {line}", markup=False)
    else:
        console.print(f"[green]all {verdict.expected} demo pages ended as designed "
                      f"(stored, skipped with their reason, or marked duplicate) "
                      f"in {elapsed_s:.1f} s[/]")


def _print_next(console: Console, settings: Settings) -> None:
    console.print("\nwhere to look next:")
    console.print("  babelwire serve            (the wire in your browser: http://127.0.0.1:8000/)")
    console.print("  babelwire export --format wire --source demo-un-news-ru")
    console.print("  babelwire status")
    console.print("  babelwire documents --language ru --json")
    console.print("  babelwire models install ru   (when online: translates what is waiting)")
    console.print(f"  database  {settings.database_url}")
    console.print(f"  archive   {Path(settings.archive_dir).resolve()}")


def _print_wire(console: Console, report: RunReport, waiting: Counter[str]) -> None:
    wire = report.wire
    if wire is not None:
        console.print(f"\nwire: {wire.translated} translated, {wire.published} published, "
                      f"{wire.duplicates} duplicates left out, {sum(waiting.values())} waiting")
    for reason, count in sorted(waiting.items()):
        console.print(f"  {count} waiting: {reason}", markup=False, highlight=False)
