"""Commands that read: status, documents, extract.

They never create anything: a SQLite path that does not exist is an error,
not a new empty database (a mistyped BABELWIRE_DATABASE_URL would otherwise
leave directories and an empty store behind and report zero documents).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from babelwire.catalog.languages import language_problem
from babelwire.cli import load_settings
from babelwire.errors import BabelwireError, ConfigError, Drop
from babelwire.extract import extract
from babelwire.fetch import AddressPolicy, Fetcher, decide_charset
from babelwire.model import Document, Extracted, Stage
from babelwire.run import resources as wiring
from babelwire.settings import Settings
from babelwire.store import Store

out = Console()


def sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite URL, or None for other databases and in-memory ones."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(database_url)
    except ArgumentError:
        return None  # the store says what is wrong with it
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def open_existing_store(settings: Settings, command: str) -> Store:
    """The store for a command that only reads or edits what is there."""
    path = sqlite_file(settings.database_url)
    if path is not None and not path.is_file():
        raise ConfigError(
            f"{command}: no database at {path} "
            "(run `babelwire init` first, or set BABELWIRE_DATABASE_URL)"
        )
    return wiring.open_store(settings)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def document_row(doc: Document) -> dict[str, Any]:
    ex = doc.extracted
    return {
        "id": doc.id,
        "source": doc.source_id,
        "url": doc.url,
        "language": ex.language if ex else None,
        "title": (ex.title if ex else None) or doc.entry_title,
        "published": _iso(ex.published if ex else doc.entry_published),
        "section": ex.section if ex else None,
        "stage": doc.stage.value,
        "reason": doc.reason,
        "duplicate_of": doc.duplicate_of,
    }


def extracted_json(ex: Extracted, url: str | None) -> dict[str, Any]:
    return {
        "url": url,
        "title": ex.title,
        "text": ex.text,
        "language": ex.language,
        "declared_language": ex.declared_language,
        "published": _iso(ex.published),
        "published_has_time": ex.published_has_time,
        "section": ex.section,
        "byline": ex.byline,
        "canonical_url": ex.canonical_url,
        "blocks": [{"kind": b.kind.value, "text": b.text} for b in ex.blocks],
    }


def _extract_one(item: str, base_url: str | None, fetcher: Fetcher | None) -> dict[str, Any]:
    url: str | None
    try:
        if item.startswith(("http://", "https://")):
            if fetcher is None:
                raise BabelwireError("extract: no HTTP client")
            fetched = fetcher.get(item)
            text, url = fetched.text, fetched.final_url
        else:
            body = Path(item).read_bytes()
            codec, _ = decide_charset(body, None)
            text, url = body.decode(codec, errors="replace"), base_url
        return extracted_json(extract(text, url=url), url) | {"input": item}
    except Drop as exc:
        return {"input": item, "error": str(exc)}
    except BabelwireError as exc:
        return {"input": item, "error": f"extract: {item}: {str(exc).removeprefix('extract: ')}"}
    except OSError as exc:
        return {"input": item, "error": f"extract: {item}: {exc.strerror or exc}"}


def register(app: typer.Typer) -> None:
    @app.command()
    def status(
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Counts of documents by stage, language and source, and source health."""
        store = open_existing_store(load_settings(), "status")
        try:
            stats = store.stats()
            health = store.all_health()
            queued = store.queued_counts()
            failed = store.skip_reasons(Stage.FAILED)
        finally:
            store.close()
        stats["sources"] = {
            h.source_id: {
                "last_success_at": _iso(h.last_success_at),
                "last_error": h.last_error,
                "consecutive_failures": h.consecutive_failures,
                "next_due_at": _iso(h.next_due_at),
                "verified": h.verified,
                "left_for_next_poll": queued.get(h.source_id, 0),
                "failed_documents": failed.get(h.source_id, {}),
            }
            for h in health
        }
        if as_json:
            print(json.dumps(stats, ensure_ascii=False, indent=2))
            return
        out.print(f"documents: {stats['documents']}")
        out.print("by stage: " + ", ".join(f"{k} {v}" for k, v in stats["by_stage"].items()))
        table = Table(title="sources")
        for column in ("source", "docs", "last success", "failures", "last error", "next due",
                       "left for next poll"):
            table.add_column(column, overflow="fold")
        for h in health:
            table.add_row(h.source_id, str(stats["by_source"].get(h.source_id, 0)),
                          _iso(h.last_success_at) or "never", str(h.consecutive_failures),
                          h.last_error or "", _iso(h.next_due_at) or "now",
                          str(queued.get(h.source_id, 0)))
        out.print(table)
        for source_id, reasons in failed.items():
            for reason, n in reasons.items():
                out.print(f"failed: {source_id}: {n} × {reason}", markup=False, highlight=False)

    @app.command("documents")
    def list_documents(
        source: Annotated[str | None, typer.Option(help="Source id.")] = None,
        stage: Annotated[Stage | None, typer.Option(help="Stage.")] = None,
        language: Annotated[str | None, typer.Option(help="ISO 639-1 code.")] = None,
        limit: Annotated[int | None, typer.Option(help="At most this many.", min=1)] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    ) -> None:
        """List stored documents, newest first."""
        problem = language_problem(language) if language is not None else None
        if problem:
            raise ConfigError(f"documents: --language: {problem}")
        store = open_existing_store(load_settings(), "documents")
        try:
            for doc in store.documents(source_id=source, stage=stage, language=language,
                                       limit=limit):
                row = document_row(doc)
                if as_json:
                    print(json.dumps(row, ensure_ascii=False))
                else:
                    out.print(f"{row['id']}  {row['stage']:9} {row['source']:24} "
                              f"{row['language'] or '--'}  {row['title'] or row['url']}",
                              markup=False, highlight=False)
        finally:
            store.close()

    @app.command("extract")
    def extract_cmd(
        inputs: Annotated[list[str], typer.Argument(help="Files or http(s) URLs.")],
        url: Annotated[str | None, typer.Option(
            "--url", help="The address the files were fetched from (resolves links).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per input.")] = True,
    ) -> None:
        """Extract title, text, language, date and section from pages.

        Every input gets its line, an error line when it fails; the exit
        status is 1 when any input failed.
        """
        settings = load_settings()
        needs_http = any(i.startswith(("http://", "https://")) for i in inputs)
        fetcher = Fetcher(settings, policy=AddressPolicy(False, frozenset())) if needs_http \
            else None
        failed = 0
        try:
            for item in inputs:
                result = _extract_one(item, url, fetcher)
                failed += "error" in result
                if as_json:
                    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
                else:
                    out.print(result.get("title") or result.get("error"), markup=False)
                    out.print(result.get("text", ""), markup=False)
        finally:
            if fetcher:
                fetcher.close()
        if failed:
            typer.echo(f"babelwire: extract: {failed} of {len(inputs)} input(s) failed", err=True)
            raise typer.Exit(1)
