"""``babelwire subscriptions …`` and ``babelwire opml …``.

Subscriptions are saved searches kept in the store (``subscribe/``); ``opml``
writes the list of every feed the wire serves, or adds sources from an OPML
file of feeds, validated like ``sources add``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from babelwire.catalog.writer import DEFAULT_FILE_NAME
from babelwire.cli import load_settings
from babelwire.cli.documents import open_existing_store
from babelwire.cli.sources import user_dir
from babelwire.errors import CatalogError, SubscriptionError
from babelwire.model import utc_now
from babelwire.run import resources as wiring
from babelwire.store.subscriptions import Subscription
from babelwire.subscribe import SubscribeSettings, deliver_subscriptions
from babelwire.subscribe.opml import import_sources, read_opml, wire_feeds, write_opml
from babelwire.subscribe.subscriptions import new_subscription

subscriptions_app = typer.Typer(
    help="Add, list, remove and deliver saved searches (Atom, webhook or e-mail).",
    no_args_is_help=True,
)
opml_app = typer.Typer(help="Export every feed of the wire as OPML, or import sources from one.",
                       no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(subscriptions_app, name="subscriptions",
                   help="Add, list, remove and deliver saved searches (Atom, webhook or e-mail).")
    root.add_typer(opml_app, name="opml",
                   help="Export every feed of the wire as OPML, or import sources from one.")


def _say(message: str) -> None:
    typer.echo(f"babelwire: {' '.join(message.splitlines())}", err=True)


def _row(subscription: Subscription, base_url: str) -> dict[str, Any]:
    return {
        "name": subscription.name, "query": subscription.query,
        "delivery": subscription.delivery, "target": subscription.target,
        "feed": f"{base_url}/feeds/subscriptions/{subscription.name}.atom",
        "cursor_at": subscription.cursor_at.isoformat(),
        "delivered_count": subscription.delivered_count,
        "last_error": subscription.last_error,
    }


@subscriptions_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Lower-case letters, digits and dashes.")],
    query: Annotated[str, typer.Option(help="Search text, as in the search box.")],
    webhook: Annotated[str | None, typer.Option(help="POST new items to this URL.")] = None,
    secret: Annotated[str | None, typer.Option(
        help="Webhook signing key (at least 16 characters; random when absent).")] = None,
    email: Annotated[str | None, typer.Option(help="Send e-mail digests here.")] = None,
) -> None:
    """Save a search; with neither --webhook nor --email it is an Atom feed only."""
    settings = load_settings()
    subscribe = SubscribeSettings.load()
    try:
        subscription = new_subscription(name, query, now=utc_now(), webhook=webhook,
                                        secret=secret, email=email,
                                        allow_private=subscribe.allow_private)
    except SubscriptionError as exc:
        _say(str(exc))
        raise typer.Exit(2) from None
    with wiring.open_store(settings) as store:
        if not store.add_subscription(subscription):
            _say(f"subscribe: subscription {name!r} exists (remove it first)")
            raise typer.Exit(1)
    typer.echo(f"added {name}: {subscription.delivery}, feed "
               f"{subscribe.base_url}/feeds/subscriptions/{name}.atom")
    if subscription.delivery == "webhook" and secret is None:
        typer.echo(f"webhook secret (shown once): {subscription.secret}")


@subscriptions_app.command("list")
def list_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List subscriptions with their cursor and last error (never their secrets)."""
    settings = load_settings()
    base_url = SubscribeSettings.load().base_url
    with open_existing_store(settings, "subscriptions list") as store:
        found = store.subscriptions()
    for subscription in found:
        row = _row(subscription, base_url)
        if as_json:
            typer.echo(json.dumps(row, ensure_ascii=False))
            continue
        target = f" → {row['target']}" if row["target"] else ""
        error = f"  last error: {row['last_error']}" if row["last_error"] else ""
        typer.echo(f"{row['name']}  {row['delivery']}{target}  “{row['query']}”  "
                   f"sent {row['delivered_count']}{error}")


@subscriptions_app.command("remove")
def remove(name: Annotated[str, typer.Argument()]) -> None:
    """Remove a subscription; its feed goes with it."""
    settings = load_settings()
    with open_existing_store(settings, "subscriptions remove") as store:
        if not store.remove_subscription(name):
            _say(f"subscribe: no subscription {name[:80]!r}")
            raise typer.Exit(1)
    typer.echo(f"removed {name}")


@subscriptions_app.command("deliver")
def deliver() -> None:
    """Send new matching items to every webhook and e-mail subscription now."""
    settings = load_settings()
    with open_existing_store(settings, "subscriptions deliver") as store:
        report = deliver_subscriptions(store, settings)
    for name, count in report.delivered.items():
        typer.echo(f"{name}: {count} item{'s' if count != 1 else ''} delivered")
    for name in report.busy:
        typer.echo(f"{name}: another delivery pass holds it")
    for message in report.failed.values():
        _say(message)
    if report.failed:
        raise typer.Exit(1)


@opml_app.command("export")
def opml_export(
    output: Annotated[Path | None, typer.Option(help="File to write; stdout if absent.")] = None,
) -> None:
    """Write every feed of the wire (per source, region, language, subscription) as OPML."""
    settings = load_settings()
    base_url = SubscribeSettings.load().base_url
    with wiring.open_store(settings) as store:
        sources = wiring.known_sources(settings, store)
        names = [s.name for s in store.subscriptions()]
    body = write_opml("babelwire: every feed", wire_feeds(base_url, sources, names), utc_now())
    if output is None:
        typer.echo(body.decode(), nl=False)
    else:
        output.write_bytes(body)


@opml_app.command("import")
def opml_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="An OPML file of feeds.")],
    region: Annotated[str | None, typer.Option(
        help="Region of outlines without a region attribute.")] = None,
    language: Annotated[str | None, typer.Option(
        help="ISO 639-1 language of outlines without a language attribute.")] = None,
    catalog_file: Annotated[str, typer.Option("--file", help="Catalog file name.")]
    = DEFAULT_FILE_NAME,
    directory: Annotated[Path | None, typer.Option(
        "--dir", help="Catalog directory (default: BABELWIRE_CATALOG_DIR, else ./catalog).")]
    = None,
) -> None:
    """Add each feed of an OPML file as a source; bad outlines are one line each."""
    settings = load_settings()
    target = directory or user_dir(settings)
    try:
        feeds = read_opml(file.read_bytes(), str(file))
    except OSError as exc:
        _say(f"opml: cannot read {file}: {exc.strerror or exc}")
        raise typer.Exit(2) from None
    except CatalogError as exc:
        _say(str(exc).replace("catalog: ", "opml: ", 1))
        raise typer.Exit(2) from None
    target.mkdir(parents=True, exist_ok=True)
    report = import_sources(feeds, target, label=str(file), region=region, language=language,
                            file_name=catalog_file)
    for problem in report.problems:
        _say(problem)
    typer.echo(f"added {len(report.added)} of {len(feeds)} feeds to {target / catalog_file}")
    if report.problems:
        raise typer.Exit(1)
