"""``babelwire translate --from ru [FILE]``: translate text and show how it went.

Paragraphs are separated by blank lines. The English goes to standard output,
paragraph by paragraph; the quality flags of each flagged paragraph and the
engines used go to standard error, so that the English can be piped on while
the diagnosis stays on the terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from babelwire.errors import BabelwireError
from babelwire.model import SegmentTranslation
from babelwire.translate.glossary import load_glossary
from babelwire.translate.settings import TranslateSettings
from babelwire.translate.translator import Translator


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each stripped; single line breaks are kept."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs


def _engine_line(segments: list[SegmentTranslation]) -> str:
    used = dict.fromkeys(
        f"{s.engine} ({s.model} {s.model_version})" if s.model else s.engine for s in segments
    )
    return "engine: " + (", ".join(used) or "none (no text)")


FromLang = Annotated[str, typer.Option("--from", help="Language of the text: ru, zh, es...")]
InputFile = Annotated[
    Path | None, typer.Argument(help="Text file (UTF-8); standard input if omitted.")
]
GlossaryFile = Annotated[Path | None, typer.Option("--glossary", help="A glossary TOML file.")]


def translate_cmd(
    from_lang: FromLang, file: InputFile = None, glossary: GlossaryFile = None
) -> None:
    """Translate text into English and print the quality flags per paragraph."""
    text = file.read_text(encoding="utf-8") if file is not None else sys.stdin.read()
    paragraphs = split_paragraphs(text)
    try:
        translator = Translator.from_settings(TranslateSettings.load())
        terms = load_glossary(glossary) if glossary is not None else None
        segments = translator.translate_segments(paragraphs, from_lang, glossary=terms)
    except BabelwireError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    for number, segment in enumerate(segments, start=1):
        if number > 1:
            typer.echo("")
        typer.echo(segment.text)
        if segment.flags:
            typer.echo(f"paragraph {number}: flags: {', '.join(segment.flags)}", err=True)
    typer.echo(_engine_line(segments), err=True)
