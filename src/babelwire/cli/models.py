"""``babelwire models``: install, list and remove translation models.

Models are Argos Translate packages kept in the ``translate_models_dir``
setting's folder. ``install LANG`` needs the internet (the package index and
the package); where there is none, the error says how to install a file
downloaded elsewhere with ``install-file``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn
from rich.table import Table

from babelwire.errors import ModelError
from babelwire.settings import Settings
from babelwire.translate import models
from babelwire.translate.settings import TranslateSettings

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="models", help="Install and list translation models.")

out = Console()
err = Console(stderr=True)

ModelsDir = Annotated[
    Path | None,
    typer.Option("--models-dir", help="Model folder (default: the translate_models_dir setting)."),
]
IndexUrl = Annotated[
    str | None,
    typer.Option(
        "--index-url",
        help="Argos package index, a JSON list of package metadata "
        "(default: the translate_model_index_url setting).",
    ),
]


def _models_dir(option: Path | None) -> Path:
    return option if option is not None else Path(TranslateSettings.load().models_dir)


def _index_url(option: str | None) -> str:
    return option if option is not None else TranslateSettings.load().model_index_url


def _fail(exc: ModelError) -> typer.Exit:
    """One line on stderr, exit status 1: the error already says what to do."""
    print(str(exc), file=sys.stderr)
    return typer.Exit(1)


@contextmanager
def _client() -> Iterator[httpx.Client]:
    settings = Settings.load()
    timeout = httpx.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s)
    headers = {"User-Agent": settings.user_agent}
    with httpx.Client(timeout=timeout, headers=headers, follow_redirects=True) as client:
        yield client


def _size(size_bytes: int) -> str:
    return f"{size_bytes / 1024**2:.1f} MiB"


@app.command("list")
def list_cmd(
    models_dir: ModelsDir = None,
    available: Annotated[
        bool, typer.Option("--available", help="Also list what the package index offers.")
    ] = False,
    index_url: IndexUrl = None,
) -> None:
    """Installed models (pair, version, size, path); with --available, the index too."""
    folder = _models_dir(models_dir)
    index_url = _index_url(index_url)
    installed = models.installed_packages(folder)
    table = Table(title=f"installed models in {folder}")
    for column in ("pair", "version", "size", "path"):
        table.add_column(column, overflow="fold")
    for package in installed:
        pair = f"{package.from_code}→{package.to_code}"
        table.add_row(pair, package.version, _size(package.size_bytes), str(package.path))
    out.print(table if installed else f"no models installed in {folder}")
    if not available:
        return
    try:
        with _client() as client:
            offers = models.read_index(client, index_url)
    except ModelError as exc:
        raise _fail(exc) from None
    have = {(p.pair, p.version) for p in installed}
    index_table = Table(title=f"available from {index_url}")
    for column in ("pair", "languages", "version", "installed"):
        index_table.add_column(column, overflow="fold")
    for offer in sorted(offers, key=lambda e: (e.from_code, e.to_code)):
        offered = ((offer.from_code, offer.to_code), offer.version)
        index_table.add_row(
            f"{offer.from_code}→{offer.to_code}",
            f"{offer.from_name} → {offer.to_name}",
            offer.version,
            "yes" if offered in have else "",
        )
    out.print(index_table)


@app.command("install")
def install_cmd(
    lang: Annotated[str, typer.Argument(help="Source language (ISO 639-1), e.g. es.")],
    target: Annotated[str, typer.Option("--to", help="Target language.")] = "en",
    models_dir: ModelsDir = None,
    index_url: IndexUrl = None,
) -> None:
    """Download the newest LANG→en package from the index and install it."""
    folder = _models_dir(models_dir)
    index_url = _index_url(index_url)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    ) as bars:  # fmt: skip
        task = bars.add_task(f"{lang}→{target}", total=None)

        def progress(received: int, expected: int | None) -> None:
            bars.update(task, completed=received, total=expected)

        try:
            with _client() as client:
                package = models.install_language(
                    client, index_url, folder, lang, target, progress=progress
                )
        except ModelError as exc:
            raise _fail(exc) from None
    out.print(
        f"installed {package.from_code}→{package.to_code} {package.version} in {package.path}"
    )


@app.command("install-file")
def install_file_cmd(
    path: Annotated[Path, typer.Argument(help="A .argosmodel file.")],
    models_dir: ModelsDir = None,
) -> None:
    """Validate a downloaded .argosmodel file and install it."""
    try:
        package = models.install_file(path, _models_dir(models_dir))
    except ModelError as exc:
        raise _fail(exc) from None
    out.print(
        f"installed {package.from_code}→{package.to_code} {package.version} in {package.path}"
    )


@app.command("remove")
def remove_cmd(
    lang: Annotated[str, typer.Argument(help="Source language whose model goes.")],
    target: Annotated[str, typer.Option("--to", help="Target language.")] = "en",
    models_dir: ModelsDir = None,
) -> None:
    """Remove the installed LANG→en model (every version)."""
    folder = _models_dir(models_dir)
    removed = models.remove_language(folder, lang, target)
    if not removed:
        print(f"models: no {lang}→{target} model installed in {folder}", file=sys.stderr)
        raise typer.Exit(1)
    for package in removed:
        out.print(f"removed {package.from_code}→{package.to_code} {package.version}")
