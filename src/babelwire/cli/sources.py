"""``babelwire sources …``: list, show, add, lint and live-check catalog sources."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from babelwire.catalog import (
    CATEGORIES,
    UnknownSourceError,
    add_source,
    bundled_dir,
    check_source_fields,
    load_catalog,
)
from babelwire.catalog.check import check_source
from babelwire.catalog.writer import DEFAULT_FILE_NAME
from babelwire.model import Source, utc_now
from babelwire.run import resources as wiring
from babelwire.settings import Settings

app = typer.Typer(
    help="List, show, add, lint and live-check the sources in the catalog.",
    no_args_is_help=True,
)

def register(root: typer.Typer) -> None:
    root.add_typer(app, name="sources", help="List, add, lint and check catalog sources.")


#: Where ``sources add`` writes when neither --dir nor BABELWIRE_CATALOG_DIR is set.
DEFAULT_USER_DIR = Path("catalog")


def user_dir(settings: Settings) -> Path:
    return Path(settings.catalog_dir) if settings.catalog_dir else DEFAULT_USER_DIR


def source_json(source: Source) -> dict[str, Any]:
    """A source as plain JSON values (tuples become lists)."""
    return json.loads(json.dumps(asdict(source)))


def _settings(ctx: typer.Context) -> Settings:
    # The root app may hand its Settings down; alone, read the environment.
    found = ctx.find_object(Settings)
    return found if found is not None else Settings.load()


def _err(text: str) -> None:
    typer.echo(text, err=True)


@app.command("list")
def list_sources(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    region: Annotated[str | None, typer.Option(help="Only this region (any case).")] = None,
    language: Annotated[str | None, typer.Option(help="Only sources in this language.")] = None,
    category: Annotated[
        str | None, typer.Option(help=f"Only this category: {', '.join(CATEGORIES)}.")
    ] = None,
) -> None:
    """List the catalog's sources."""
    catalog = wiring.load_sources(_settings(ctx))
    for problem in catalog.problems:
        _err(str(problem))
    chosen = catalog.matching(region=region, language=language, category=category)
    if as_json:
        for source in chosen:
            typer.echo(json.dumps(source_json(source), ensure_ascii=False))
        return
    table = Table(title=f"{len(chosen)} of {len(catalog.sources)} sources")
    for column in ("id", "name", "region", "lang", "category", "polls"):
        # fold, never ellipsis: names and regions are printed whole everywhere.
        table.add_column(column, overflow="fold")
    for s in chosen:
        table.add_row(s.id, s.name, s.region, " ".join(s.languages), s.category, _polls(s))
    Console(highlight=False).print(table)


@app.command()
def show(
    ctx: typer.Context,
    source_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show every field of one source."""
    catalog = wiring.load_sources(_settings(ctx))
    try:
        source = catalog.get(source_id)
    except UnknownSourceError as exc:
        _err(str(exc))
        raise typer.Exit(1) from None
    fields = source_json(source)
    if as_json:
        typer.echo(json.dumps(fields, ensure_ascii=False, indent=2))
        return
    for key, value in fields.items():
        if key == "listings":
            for item in value:
                date = f" (date: {item['date_selector']})" if item["date_selector"] else ""
                typer.echo(f"listing: {item['url']} links: {item['link_selector']}{date}")
        elif isinstance(value, list):
            typer.echo(f"{key}: {', '.join(value) if value else '-'}")
        else:
            typer.echo(f"{key}: {value if value not in (None, '') else '-'}")


@app.command()
def add(
    ctx: typer.Context,
    source_id: Annotated[str, typer.Option("--id", help="Unique id, e.g. un-news-ru.")],
    name: Annotated[str, typer.Option(help="Printed after 'Source:'.")],
    region: Annotated[str, typer.Option(help="Printed after 'Region:'.")],
    language: Annotated[list[str], typer.Option(help="ISO 639-1 code (repeatable).")],
    feed: Annotated[list[str] | None, typer.Option(help="Feed URL (repeatable).")] = None,
    sitemap: Annotated[list[str] | None, typer.Option(help="Sitemap URL (repeatable).")] = None,
    listing: Annotated[str | None, typer.Option(help="Listing page URL.")] = None,
    link_selector: Annotated[str | None, typer.Option(help="CSS selector of its links.")] = None,
    desk: Annotated[str | None, typer.Option(help="Printed after the name.")] = None,
    category: Annotated[str | None, typer.Option(help=", ".join(CATEGORIES))] = None,
    homepage: Annotated[str | None, typer.Option()] = None,
    poll_interval: Annotated[str | None, typer.Option(help="e.g. 15m, 2h.")] = None,
    notes: Annotated[str | None, typer.Option()] = None,
    file: Annotated[str, typer.Option(help="Catalog file name.")] = DEFAULT_FILE_NAME,
    directory: Annotated[
        Path | None,
        typer.Option(
            "--dir", help=("Catalog directory (default: BABELWIRE_CATALOG_DIR, else ./catalog).")
        ),
    ] = None,
) -> None:
    """Validate a new source and append it to a catalog file."""
    target_dir = directory or user_dir(_settings(ctx))
    fields: dict[str, Any] = {
        "id": source_id,
        "name": name,
        "desk": desk,
        "region": region,
        "languages": language,
        "category": category,
        "homepage": homepage,
        "feeds": feed or None,
        "sitemaps": sitemap or None,
        "poll_interval": poll_interval,
        "notes": notes,
    }
    if listing or link_selector:
        pairs = {"url": listing, "link_selector": link_selector}
        fields["listings"] = [{k: v for k, v in pairs.items() if v is not None}]
    fields = {k: v for k, v in fields.items() if v is not None}
    problems = check_source_fields(target_dir, fields, file_name=file)
    for problem in problems:
        _err(str(problem))
    if problems:
        raise typer.Exit(1)
    path = add_source(target_dir, fields, file_name=file)
    typer.echo(f"added {source_id} to {path}")


@app.command()
def lint(
    ctx: typer.Context,
    dirs: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[DIR]...",
            help="Directories to check with the bundled catalog "
            "(default: BABELWIRE_CATALOG_DIR, if set).",
        ),
    ] = None,
) -> None:
    """Check catalog files; print every problem, exit 1 if there is one."""
    if dirs:
        catalog = load_catalog(*_distinct([bundled_dir(), *dirs]))
    else:
        catalog = wiring.load_sources(_settings(ctx))
    for problem in catalog.problems:
        typer.echo(str(problem))
    if catalog.problems:
        raise typer.Exit(1)
    typer.echo(f"ok: {len(catalog.sources)} sources in {len(catalog.files)} files")


@app.command()
def check(
    ctx: typer.Context,
    source_ids: Annotated[
        list[str] | None, typer.Argument(metavar="[ID]...", help="Sources to check (default: all).")
    ] = None,
    timeout_s: Annotated[
        float | None, typer.Option("--timeout-s", help="Seconds one request may take.")
    ] = None,
) -> None:
    """Fetch each source's feeds, sitemaps and listings; mark it verified if all work."""
    settings = _settings(ctx)
    catalog = wiring.load_sources(settings)
    try:
        chosen = [catalog.get(i) for i in source_ids] if source_ids else list(catalog.sources)
    except UnknownSourceError as exc:
        _err(str(exc))
        raise typer.Exit(1) from None
    if timeout_s is not None:
        settings = settings.replace(
            total_timeout_s=timeout_s,
            connect_timeout_s=min(settings.connect_timeout_s, timeout_s),
            read_timeout_s=min(settings.read_timeout_s, timeout_s),
        )
    failed = _run_check(settings, chosen)
    typer.echo(f"{len(chosen) - failed} of {len(chosen)} sources verified")
    if failed:
        raise typer.Exit(1)


def _polls(source: Source) -> str:
    """What a poll reads, e.g. "2 feeds, 1 listing"."""
    counts = (
        ("feed", len(source.feeds)),
        ("sitemap", len(source.sitemaps)),
        ("listing", len(source.listings)),
    )
    return ", ".join(f"{n} {what}{'s' if n > 1 else ''}" for what, n in counts if n)


def _distinct(dirs: list[Path]) -> list[Path]:
    """Each directory once: the bundled one named again would duplicate every id."""
    seen: dict[Path, Path] = {}
    for directory in dirs:
        seen.setdefault(directory.resolve(), directory)
    return list(seen.values())


def _run_check(settings: Settings, chosen: list[Source]) -> int:
    """Check each source live, record the verdict, print one line per URL.

    Returns how many sources failed.
    """
    allowed = frozenset().union(*(s.hosts for s in chosen if s.allow_private))
    failed = 0
    with wiring.resources(settings, private_allowed_hosts=allowed) as res:
        # mark_verified needs the row; upserting keeps health and operator state.
        res.store.upsert_sources(chosen)
        for source in chosen:
            result = check_source(
                source,
                res.fetcher,
                now=utc_now,
                max_entries=settings.max_entries_per_feed,
                max_decompressed_bytes=settings.max_decompressed_bytes,
            )
            for url in result.urls:
                verdict = "ok" if url.ok else "FAILED"
                typer.echo(f"{verdict:<6} {source.id} {url.kind} {url.url}: {url.detail}")
            res.store.mark_verified(source.id, result.ok, result.checked_at)
            failed += 0 if result.ok else 1
    return failed
