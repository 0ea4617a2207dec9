"""The references generated from the code: docs/cli.md, docs/settings.md and
``babelwire settings``.

``python -m babelwire.cli.reference docs/`` rewrites both files;
``tests/test_docs_current.py`` fails when they drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer.main

from babelwire.settings import markdown_table, parts, read_part

CLI_HEADER = """# CLI reference

Every operation is a `babelwire` sub-command. This page is generated from the
commands themselves (`make docs`); `babelwire COMMAND --help` prints the same.
"""

SETTINGS_HEADER = """# Settings

Every setting is read once at start-up from a `BABELWIRE_*` environment
variable; stages receive the values they need and never read the environment
themselves. This page is generated from the settings registry (`make docs`);
`babelwire settings` prints the current values (secrets only as set or empty).

Before any command runs, every `BABELWIRE_*` variable is checked: a value of
the wrong type, outside its range (bounds are inclusive), not a finite number,
or not one of the allowed values stops the command with one line naming the
variable. A `BABELWIRE_*` variable that no setting uses is an error too, with
the closest known name proposed: a misspelt name would otherwise leave its
setting at the default without a word. Only the test and bench harnesses'
own `BABELWIRE_TEST_*` and `BABELWIRE_BENCH_*` variables are left alone.
Allowed values are matched without regard to case.
"""


def _command_md(name: str, command: Any) -> list[str]:
    lines = [f"## `babelwire {name}`", ""]
    if command.help:
        lines += [command.help.strip(), ""]
    params = [p for p in command.params if p.name != "help"]
    if params:
        lines += ["| argument or option | what it does |", "| --- | --- |"]
        for param in params:
            if param.param_type_name == "option":
                label = ", ".join(f"`{o}`" for o in param.opts)
                help_text = param.help or ""
            else:
                label = f"`{(param.name or '').upper()}`"
                help_text = getattr(param, "help", "") or ""
            lines.append(f"| {label} | {help_text.replace('|', '/')} |")
        lines.append("")
    return lines


def _walk(prefix: str, command: Any) -> list[str]:
    # Typer vendors its own click, so commands are told apart by shape.
    if hasattr(command, "commands"):
        lines: list[str] = []
        if prefix and command.help:
            lines += [f"## `babelwire {prefix}`", "", command.help.strip(), ""]
        for sub_name in sorted(command.commands):
            sub = command.commands[sub_name]
            lines += _walk(f"{prefix} {sub_name}".strip(), sub)
        return lines
    return _command_md(prefix, command)


def cli_markdown() -> str:
    from babelwire.cli import LazyGroup, app

    root = typer.main.get_command(app)
    assert isinstance(root, LazyGroup)
    root.load_all()
    return CLI_HEADER + "\n" + "\n".join(_walk("", root)).rstrip() + "\n"


def settings_markdown() -> str:
    from babelwire.cli import register_parts

    register_parts()
    return SETTINGS_HEADER + "\n" + markdown_table().rstrip() + "\n"


def register(app: typer.Typer) -> None:
    @app.command("settings")
    def show_settings(
        markdown: Annotated[bool, typer.Option(help="Print the Markdown reference.")] = False,
    ) -> None:
        """Show every setting with its current value."""
        from babelwire.cli import register_parts

        register_parts()
        if markdown:
            typer.echo(markdown_table())
            return
        for part in parts():
            values = read_part(part, None, {})
            typer.echo(f"# {part.title}")
            for row in part.rows:
                value = values[part.field(row)]
                # A secret is shown as set or not, never printed.
                shown = ("(set)" if value else "(empty)") if row.secret else repr(value)
                typer.echo(f"{row.name} = {shown}")


def write(directory: Path) -> None:
    (directory / "cli.md").write_text(cli_markdown(), encoding="utf-8")
    (directory / "settings.md").write_text(settings_markdown(), encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
