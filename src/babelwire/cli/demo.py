"""The ``demo`` command: the whole pipeline over the bundled demo world, offline."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

#: Pipes and logs get a fixed, generous width instead of rich's 80 columns.
out = Console() if sys.stdout.isatty() else Console(width=140)


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        serve_s: Annotated[float, typer.Option(
            help="Keep the demo world online this many seconds after the run.")] = 0.0,
    ) -> None:
        """Run the whole pipeline over the bundled demo world, offline."""
        from babelwire.cli import load_settings
        from babelwire.demo.run import run_demo

        run_demo(load_settings(), console=out, serve_s=serve_s)
