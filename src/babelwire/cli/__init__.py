"""The ``babelwire`` command: one sub-command per operation.

Commands live in small modules grouped by what they operate on; this module
only assembles them. Every command reads settings once, builds its resources
through ``babelwire.wiring`` and exits non-zero with a one-line message when a
``BabelwireError`` reaches it.
"""

from __future__ import annotations

import sys

import typer

from babelwire.cli import documents, ingest, publish
from babelwire.cli import sources as sources_cli
from babelwire.errors import BabelwireError

app = typer.Typer(
    name="babelwire",
    help="An open-source OSINT newswire: official sources, translated, with provenance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ingest.register(app)
documents.register(app)
publish.register(app)
app.add_typer(sources_cli.app, name="sources", help="List, add, lint and check catalog sources.")


def _optional_subapps() -> None:
    """Sub-commands whose modules need optional extras are added when present."""
    try:
        from babelwire.cli import models as models_cli
    except ImportError:
        return
    app.add_typer(models_cli.app, name="models", help="Install and list translation models.")


def _optional_commands() -> None:
    try:
        from babelwire.cli.translate import translate_cmd
    except ImportError:
        return
    app.command("translate", help="Translate text into English and print quality flags.")(
        translate_cmd
    )


_optional_subapps()
_optional_commands()


def main() -> None:
    try:
        app()
    except BabelwireError as exc:
        print(f"babelwire: {exc}", file=sys.stderr)
        sys.exit(1)
