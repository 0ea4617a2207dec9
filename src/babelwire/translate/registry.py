"""Engines by name, and which of them serve a language pair in what order.

An engine module registers a factory with ``@register("apertium")``; the
factory receives :class:`TranslateSettings` and returns a ready engine, or
raises :class:`EngineUnavailable` when it cannot run here (no binary, no model,
no server configured). Routing is data: the engine order is a setting, with
per-pair overrides, and a source may name its own order.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from babelwire.errors import EngineUnavailable, TranslateError
from babelwire.translate.engine import Engine
from babelwire.translate.settings import TranslateSettings

log = logging.getLogger(__name__)

EngineFactory = Callable[[TranslateSettings], Engine]
F = TypeVar("F", bound=EngineFactory)

#: Factories by engine name, filled by :func:`register`.
ENGINES: dict[str, EngineFactory] = {}

#: The package whose import registers the bundled engines.
_BUILTIN_PACKAGE = "babelwire.translate.engines"


def register(name: str) -> Callable[[F], F]:
    """Class or function decorator that adds an engine factory under ``name``."""

    def add(factory: F) -> F:
        if name in ENGINES and ENGINES[name] is not factory:
            raise ValueError(f"translate: engine {name!r} is registered twice")
        ENGINES[name] = factory
        return factory

    return add


def load_builtin_engines() -> None:
    """Import the bundled engine modules so that their ``@register`` lines run."""
    try:
        importlib.import_module(_BUILTIN_PACKAGE)
    except ModuleNotFoundError as exc:
        if exc.name != _BUILTIN_PACKAGE:
            raise


@dataclass(frozen=True, slots=True)
class EngineSet:
    """The engines built at start-up, and why the others could not be."""

    engines: Mapping[str, Engine]
    #: engine name → one-line reason, for ``babelwire status`` and logs.
    unavailable: Mapping[str, str]


def build_engines(
    settings: TranslateSettings, names: Sequence[str] | None = None
) -> EngineSet:
    """Build every engine that ``settings`` may route to (or ``names``), once.

    An engine that cannot run is left out with its reason rather than
    failing start-up: the other engines can still serve their pairs.
    """
    load_builtin_engines()
    wanted = list(names) if names is not None else _all_configured(settings)
    engines: dict[str, Engine] = {}
    unavailable: dict[str, str] = {}
    for name in wanted:
        factory = ENGINES.get(name)
        if factory is None:
            unavailable[name] = f"translate: unknown engine {name!r} (known: {sorted(ENGINES)})"
            continue
        try:
            engines[name] = factory(settings)
        except EngineUnavailable as exc:
            unavailable[name] = str(exc)
            log.info("%s", exc)
    return EngineSet(engines, unavailable)


def _all_configured(settings: TranslateSettings) -> list[str]:
    names = dict.fromkeys(settings.engines)
    for _, pair_names in settings.pair_engines:
        names.update(dict.fromkeys(pair_names))
    return list(names)


def serves(engine: Engine, source_lang: str, target_lang: str) -> bool:
    """Whether ``engine`` can serve the pair now; an engine that errors cannot."""
    try:
        return (source_lang, target_lang) in engine.pairs()
    except TranslateError as exc:
        log.warning("%s", exc)
        return False


def route(
    engines: Mapping[str, Engine],
    order: Sequence[str],
    source_lang: str,
    target_lang: str,
) -> list[Engine]:
    """The engines to try for one pair, first to last, among those built."""
    return [
        engines[name]
        for name in order
        if name in engines and serves(engines[name], source_lang, target_lang)
    ]
