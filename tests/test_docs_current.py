"""The generated reference pages match the code (regenerate with `make docs`)."""

from pathlib import Path

from babelwire.cli.reference import cli_markdown, settings_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_cli_reference_is_current() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == cli_markdown()


def test_settings_reference_is_current() -> None:
    assert (DOCS / "settings.md").read_text(encoding="utf-8") == settings_markdown()
