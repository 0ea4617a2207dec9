"""Commands that publish: serve, export, edit.

Settings are read once here (``Settings`` for the store and catalog,
``PublishSettings`` for the web surfaces and the admin token,
``ComposeSettings`` for re-composing edited items) and passed down.
"""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from babelwire.cli import load_settings
from babelwire.cli.documents import open_existing_store
from babelwire.compose import ComposeSettings
from babelwire.publish.context import utc_now
from babelwire.publish.edit import EditError, apply_edit, parse_edit
from babelwire.publish.export import FORMATS, export
from babelwire.publish.filters import FilterError, read_filters
from babelwire.publish.settings import PublishSettings
from babelwire.run import resources as wiring
from babelwire.store.query import ParseError


def _say(message: str) -> None:
    """One unwrapped line on stderr (a long error must stay greppable)."""
    typer.echo(f"babelwire: {message}", err=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    _say(message)
    return typer.Exit(code)


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    ) -> None:
        """Serve the web UI, the feeds and the JSON API."""
        import uvicorn

        from babelwire.publish.app import create_app

        settings = load_settings()
        publish = PublishSettings.load()
        with wiring.open_store(settings) as store:
            sources = wiring.known_sources(settings, store)
        app_ = create_app(lambda: wiring.open_store(settings), settings=publish,
                          sources=sources, compose=ComposeSettings.load(),
                          catalog_dir=Path(settings.catalog_dir),
                          archive_dir=Path(settings.archive_dir))
        writing = "on" if publish.writing_enabled else "off (no BABELWIRE_ADMIN_TOKEN)"
        _say(f"serving on http://{host}:{port}/ (API writing {writing})")
        _say(f"links start with {publish.base_url} (publish_base_url)" if publish.base_url else
             "links start with the address each request came to (publish_base_url is empty)")
        uvicorn.run(app_, host=host, port=port, log_level="warning")

    @app.command("export")
    def export_cmd(
        fmt: Annotated[str, typer.Option("--format", help=f"One of {', '.join(FORMATS)}.")],
        region: Annotated[str | None, typer.Option(help="Region as printed.")] = None,
        source: Annotated[str | None, typer.Option(help="Source id.")] = None,
        language: Annotated[str | None, typer.Option(help="Original language.")] = None,
        section: Annotated[str | None, typer.Option(help="Section as printed.")] = None,
        query: Annotated[str | None, typer.Option(help="Search text (search syntax).")] = None,
        limit: Annotated[int, typer.Option(help="Most items to export; 0 for all.")] = 0,
        output: Annotated[Path | None, typer.Option(help="File to write; stdout if absent.")]
        = None,
    ) -> None:
        """Export items: wire text (blank line between items), ninjs (JSON Lines), RSS or Atom."""
        if fmt not in FORMATS:
            raise _fail(f"export: unknown format {fmt!r} (use {', '.join(FORMATS)})")
        try:
            filters = read_filters({k: v for k, v in {
                "region": region, "source": source, "language": language,
                "section": section, "q": query}.items() if v})
        except FilterError as exc:
            raise _fail(str(exc)) from None
        if output is not None and not output.parent.is_dir():
            raise _fail(f"export: cannot write {output}: no directory {output.parent}")
        settings = load_settings()
        with ExitStack() as stack:
            store = stack.enter_context(open_existing_store(settings, "export"))
            try:
                stream: BinaryIO = (stack.enter_context(output.open("wb")) if output
                                    else sys.stdout.buffer)
            except OSError as exc:
                raise _fail(f"export: cannot write {output}: {exc.strerror or exc}") from None
            try:
                count = export(store, filters, fmt, stream, settings=PublishSettings.load(),
                               limit=limit or None)
            except ParseError as exc:
                raise _fail(str(exc)) from None
        _say(f"exported {count} item(s)")

    @app.command()
    def edit(
        doc_id: Annotated[str, typer.Argument(help="Document id.")],
        translation: Annotated[Path, typer.Option(
            "--translation", help='JSON file: {"headline", "section", "body": [...]}.')],
    ) -> None:
        """Post-edit a document's translation; its item is re-published as a new version."""
        try:
            data = json.loads(translation.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise _fail(f"edit: cannot read {translation}: {exc}") from None
        settings = load_settings()
        with open_existing_store(settings, "edit") as store:
            sources = {s.id: s for s in wiring.known_sources(settings, store)}
            try:
                item = apply_edit(store, doc_id, parse_edit(data), sources=sources,
                                  compose=ComposeSettings.load(), now=utc_now())
            except EditError as exc:
                raise _fail(str(exc), 1) from None
        base = PublishSettings.load().root_url
        print(f"{item.id} version {item.version}: {base}/items/{item.id}/{item.slug}")

