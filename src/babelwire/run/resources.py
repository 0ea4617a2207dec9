"""The long-lived resources a run holds, built from settings once at start-up.

The CLI, the demo, the web server and (later) the workers all start here, so
every entry point opens the store, the archive, the HTTP client, the
translator, the enrich stage's tables and the catalog the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babelwire.catalog import Catalog, bundled_dir, load_catalog
from babelwire.compose import ComposeSettings
from babelwire.enrich import EnrichTables, load_tables
from babelwire.fetch import AddressPolicy, Archive, Fetcher, Resolver
from babelwire.model import Source
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.store.translations import StoreTranslationCache
from babelwire.translate.glossary import GlossaryLoader
from babelwire.translate.settings import TranslateSettings
from babelwire.translate.translator import Translator


def open_store(settings: Settings) -> Store:
    store = Store.open(settings.database_url)
    store.migrate()
    return store


def load_sources(settings: Settings, *extra_dirs: Path) -> Catalog:
    """The bundled catalog, then ``extra_dirs``, then the operator's catalog directory."""
    dirs = [bundled_dir(), *extra_dirs]
    if settings.catalog_dir and Path(settings.catalog_dir).is_dir():
        dirs.append(Path(settings.catalog_dir))
    return load_catalog(*dirs)


def known_sources(settings: Settings, store: Store) -> list[Source]:
    """Every source a stored document may come from, for looking sources up by id
    (reprocess, post-editing, the web UI).

    The catalog first; then the sources a run stored that the catalog no
    longer lists (a removed file, or a world such as the demo's that is not
    polled by ``run``), with the printed fields the store keeps.
    """
    catalog = load_sources(settings).sources
    listed = {source.id for source in catalog}
    return [*catalog, *(s for s in store.stored_sources() if s.id not in listed)]


def private_hosts(sources: Sequence[Source]) -> frozenset[str]:
    """Hosts that catalog sources explicitly allow on private addresses."""
    return frozenset().union(*(s.hosts for s in sources if s.allow_private))


def build_translator(store: Store) -> Translator:
    """Every configured engine that can run here, with the store as its cache."""
    return Translator.from_settings(
        TranslateSettings.load(),
        cache=StoreTranslationCache(store),
        glossaries=GlossaryLoader([bundled_dir().parent / "glossaries"]),
    )


@cache
def enrich_tables() -> EnrichTables:
    """The enrich stage's tables (gazetteer, bodies, topics), read on the first
    call in a process; every later run or task of the process shares them.
    Raises ConfigError naming a bad file."""
    return load_tables()


@dataclass
class Resources:
    settings: Settings
    store: Store
    archive: Archive
    fetcher: Fetcher
    translator: Translator
    compose: ComposeSettings
    enrich: EnrichTables


@contextmanager
def resources(
    settings: Settings,
    *,
    resolver: Resolver | None = None,
    private_allowed_hosts: frozenset[str] = frozenset(),
) -> Iterator[Resources]:
    """Open store, archive and HTTP client; close them all on the way out."""
    tables = enrich_tables()  # before anything opens: a bad table file stops the start
    store = open_store(settings)
    archive = Archive(Path(settings.archive_dir))
    policy = AddressPolicy(
        allow_all_private=settings.allow_private,
        private_allowed_hosts=private_allowed_hosts,
    )
    fetcher = Fetcher(settings, resolver=resolver, policy=policy, archive=archive)
    try:
        yield Resources(settings, store, archive, fetcher, build_translator(store),
                        ComposeSettings.load(), tables)
    finally:
        fetcher.close()
        store.close()
