"""``babelwire translate --from ru [FILE]``: translate text and show how it went.

Paragraphs are separated by blank lines. The English goes to standard output,
paragraph by paragraph; the quality flags of each flagged paragraph and the
engines used go to standard error, so that the English can be piped on while
the diagnosis stays on the terminal. With ``--json`` every sentence is one
JSON object on standard output instead (source, output, engine, model, flags).

FILE ``-`` or no FILE reads standard input. The text must be UTF-8: a file
that is missing, binary or in another encoding is refused with one line that
says so, never guessed at.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from babelwire.errors import BabelwireError, ConfigError
from babelwire.model import SegmentTranslation

STDIN = "-"


def register(app: typer.Typer) -> None:
    app.command("translate")(translate_cmd)


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


def decode_text(data: bytes, where: str) -> str:
    """``data`` as UTF-8 text, or ConfigError naming ``where`` and the first bad byte."""
    if b"\x00" in data:
        raise ConfigError(f"translate: {where} is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"translate: {where} is not UTF-8 text (byte {exc.start}: "
            f"{data[exc.start:exc.start + 1]!r}); convert it first, e.g. with iconv"
        ) from None


def read_input(file: str | None) -> str:
    """The text of ``file``, or of standard input for None and ``-``."""
    if file is None or file == STDIN:
        stream: Any = sys.stdin
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode()
        return decode_text(data, "standard input")
    path = Path(file)
    if path.is_dir():
        raise ConfigError(f"translate: {file} is a directory, not a text file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"translate: cannot read {file}: {exc.strerror or exc}") from None
    return decode_text(data, file)


def _engine_line(segments: list[SegmentTranslation]) -> str:
    used = dict.fromkeys(
        f"{s.engine} ({s.model} {s.model_version})" if s.model else s.engine for s in segments
    )
    return "engine: " + (", ".join(used) or "none (no text)")


def sentences_of(paragraphs: list[str], lang: str) -> list[tuple[int, str]]:
    """(paragraph number, sentence) for every sentence, protected spans kept whole."""
    from babelwire.translate.protect import find_spans
    from babelwire.translate.sentences import split_sentences

    found: list[tuple[int, str]] = []
    for number, paragraph in enumerate(paragraphs, start=1):
        spans = [(s.start, s.end) for s in find_spans(paragraph)]
        for start, end in split_sentences(paragraph, lang, spans):
            found.append((number, paragraph[start:end]))
    return found


def sentence_json(paragraph: int, segment: SegmentTranslation) -> str:
    return json.dumps({
        "paragraph": paragraph,
        "source": segment.source_text,
        "output": segment.text,
        "engine": segment.engine,
        "model": f"{segment.model} {segment.model_version}".strip(),
        "flags": list(segment.flags),
    }, ensure_ascii=False)


FromLang = Annotated[str, typer.Option("--from", help="Language of the text: ru, zh, es...")]
InputFile = Annotated[
    str | None,
    typer.Argument(help="Text file (UTF-8); standard input if omitted or '-'.", show_default=False),
]
GlossaryFile = Annotated[Path | None, typer.Option("--glossary", help="A glossary TOML file.")]
AsJson = Annotated[bool, typer.Option(
    "--json", help="One JSON object per sentence: source, output, engine, model, flags.")]


def translate_cmd(
    from_lang: FromLang, file: InputFile = None, glossary: GlossaryFile = None,
    as_json: AsJson = False,
) -> None:
    """Translate text into English and print quality flags.

    Reads FILE, or standard input when FILE is '-' or left out; the text must
    be UTF-8 (a binary file or another encoding is refused with one line).
    Paragraphs are separated by blank lines. The English goes to standard
    output paragraph by paragraph; each flagged paragraph's quality flags and
    the engines used go to standard error. With --json, standard output has
    one JSON object per sentence instead: paragraph, source, output, engine,
    model and flags. Exit status 1 when the text cannot be read or no engine
    can translate it.
    """
    from babelwire.translate.glossary import load_glossary
    from babelwire.translate.settings import TranslateSettings
    from babelwire.translate.translator import Translator, normalize_lang

    try:
        paragraphs = split_paragraphs(read_input(file))
        translator = Translator.from_settings(TranslateSettings.load())
        terms = load_glossary(glossary) if glossary is not None else None
        if as_json:
            units = sentences_of(paragraphs, normalize_lang(from_lang))
            segments = translator.translate_segments([s for _, s in units], from_lang,
                                                     glossary=terms)
            for (number, _), segment in zip(units, segments, strict=True):
                typer.echo(sentence_json(number, segment))
            return
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
