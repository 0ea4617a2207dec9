"""Builds the long-lived resources from settings, once, at start-up.

The CLI, the demo and the workers all start here, so that every entry point
opens the store, the archive, the HTTP client and the catalog the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from babelwire.catalog import Catalog, bundled_dir, load_catalog
from babelwire.compose import ComposeSettings
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
    dirs = [bundled_dir(), *extra_dirs]
    if settings.catalog_dir and Path(settings.catalog_dir).is_dir():
        dirs.append(Path(settings.catalog_dir))
    return load_catalog(*dirs)


def build_translator(store: Store) -> Translator:
    """Every configured engine that can run here, with the store as its cache."""
    return Translator.from_settings(
        TranslateSettings.load(),
        cache=StoreTranslationCache(store),
        glossaries=GlossaryLoader([bundled_dir().parent / "glossaries"]),
    )


def known_sources(settings: Settings) -> list[Source]:
    """Every source a stored document may come from, the demo world's included.

    For looking sources up by id (reprocess, edit, the web UI); polling uses
    :func:`load_sources`, which leaves the demo world out.
    """
    from babelwire.demo.run import demo_catalog

    return [*load_sources(settings).sources, *demo_catalog().sources]


@dataclass
class Resources:
    settings: Settings
    store: Store
    archive: Archive
    fetcher: Fetcher
    translator: Translator
    compose: ComposeSettings


@contextmanager
def resources(
    settings: Settings,
    *,
    resolver: Resolver | None = None,
    private_allowed_hosts: frozenset[str] = frozenset(),
) -> Iterator[Resources]:
    """Open store, archive and HTTP client; close them all on the way out."""
    store = open_store(settings)
    archive = Archive(Path(settings.archive_dir))
    policy = AddressPolicy(
        allow_all_private=settings.allow_private,
        private_allowed_hosts=private_allowed_hosts,
    )
    fetcher = Fetcher(settings, resolver=resolver, policy=policy, archive=archive)
    try:
        yield Resources(settings, store, archive, fetcher, build_translator(store),
                        ComposeSettings.load())
    finally:
        fetcher.close()
        store.close()
