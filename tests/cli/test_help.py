"""Every command answers --help, and the root listing says what each one does."""

from __future__ import annotations

import pytest
import typer

from babelwire.cli import COMMANDS, LazyGroup, app

from .conftest import Babelwire


def _all_paths() -> list[tuple[str, ...]]:
    root = typer.main.get_command(app)
    assert isinstance(root, LazyGroup)
    root.load_all()
    paths: list[tuple[str, ...]] = [()]
    for name, command in root.commands.items():
        paths.append((name,))
        for sub_name in getattr(command, "commands", {}):
            paths.append((name, sub_name))
    return paths


def test_the_root_help_loads_no_command_module(babelwire: Babelwire) -> None:
    ran = babelwire("--help")
    assert ran.code == 0, ran.stderr
    for name, (_, summary) in COMMANDS.items():
        assert name in ran.stdout
        assert summary.split()[0] in ran.stdout
    assert "Traceback" not in ran.stderr


def test_every_summary_is_the_commands_own_help() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, LazyGroup)
    root.load_all()
    for name, (_, summary) in COMMANDS.items():
        help_text = root.commands[name].help or ""
        assert help_text.strip().splitlines()[0] == summary, name


@pytest.mark.parametrize("path", _all_paths(), ids=lambda p: " ".join(p) or "babelwire")
def test_every_command_has_help(babelwire: Babelwire, path: tuple[str, ...]) -> None:
    ran = babelwire(*path, "--help")
    assert ran.code == 0, ran.stderr
    assert "Usage:" in ran.stdout
    assert ran.stderr == ""


def test_no_arguments_prints_the_help(babelwire: Babelwire) -> None:
    ran = babelwire()
    assert "Usage:" in ran.stdout + ran.stderr
    assert "Traceback" not in ran.stdout + ran.stderr
