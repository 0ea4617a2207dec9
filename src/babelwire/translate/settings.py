"""The settings the translation stage and its engines need.

They are rows of the same kind as the global settings table
(:data:`babelwire.settings.SETTINGS`) so that the lead can move them there
unchanged; until then :meth:`TranslateSettings.load` reads them on its own.
Engines receive a frozen :class:`TranslateSettings` and never read the
environment themselves (except the OpenAI key, whose variable *name* is a
setting so that the secret itself is never stored in a settings dump).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from babelwire.errors import ConfigError
from babelwire.settings import Setting, read_table

DEFAULT_ENGINE_ORDER = "ctranslate2,apertium,openai,libretranslate"


def parse_engine_order(text: str) -> tuple[str, ...]:
    """``"ctranslate2, apertium"`` → ``("ctranslate2", "apertium")``."""
    names = tuple(part.strip().lower() for part in text.split(",") if part.strip())
    if len(set(names)) != len(names):
        raise ConfigError(f"settings: engine {text!r} names an engine twice")
    return names


def parse_pair_engines(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``"es-en=apertium,ctranslate2; ru-en=ctranslate2"`` → per-pair engine orders.

    Pairs are separated by ``;`` (commas already separate the engines).
    """
    overrides: list[tuple[str, tuple[str, ...]]] = []
    for chunk in text.split(";"):
        if not chunk.strip():
            continue
        pair, sep, engines = chunk.partition("=")
        pair = pair.strip().lower()
        source, dash, target = pair.partition("-")
        if not sep or not dash or not source or not target or not engines.strip():
            raise ConfigError(
                f"settings: cannot read pair override {chunk.strip()!r} "
                "(write es-en=apertium,ctranslate2)"
            )
        overrides.append((pair, parse_engine_order(engines)))
    return tuple(overrides)


TRANSLATE_SETTINGS: tuple[Setting, ...] = (
    Setting("translate_engines", parse_engine_order(DEFAULT_ENGINE_ORDER), parse_engine_order,
            "Engines tried for every language pair, first to last; a later engine "
            "gets the segments an earlier one failed."),
    Setting("translate_pair_engines", (), parse_pair_engines,
            "Per-pair engine order that replaces the default for that pair, "
            "e.g. 'es-en=apertium,ctranslate2; ru-en=ctranslate2'."),
    Setting("translate_target_language", "en", str, "Language every item is translated into."),
    Setting("translate_max_sentence_chars", 400, int,
            "Sentences longer than this are cut at clause boundaries before "
            "translation (neural models degrade on very long inputs) and rejoined after."),
    Setting("translate_models_dir", "models", str,
            "Directory of installed translation models (CTranslate2/Argos packages)."),
    Setting("translate_ct2_threads", 4, int, "CPU threads per CTranslate2 translator."),
    Setting("translate_ct2_device", "auto", str, "CTranslate2 device: 'cpu', 'cuda' or 'auto'."),
    Setting("translate_beam_size", 4, int, "Beam width for neural decoding (1 = greedy)."),
    Setting("translate_max_batch_tokens", 4096, int,
            "Padded tokens in one neural batch; bounds memory per batch."),
    Setting("translate_openai_base_url", "", str,
            "Base URL of an OpenAI-compatible endpoint; empty disables the engine."),
    Setting("translate_openai_model", "", str,
            "Model name sent to the OpenAI-compatible endpoint."),
    Setting("translate_openai_api_key_env", "OPENAI_API_KEY", str,
            "Name of the environment variable that holds the endpoint's API key."),
    Setting("translate_openai_timeout_s", 60.0, float,
            "Seconds one request to the endpoint may take."),
    Setting("translate_openai_requests_per_min", 60, int,
            "Requests per minute sent to the endpoint (its rate limit)."),
    Setting("translate_libretranslate_url", "", str,
            "Base URL of a LibreTranslate server; empty disables the engine."),
    Setting("translate_libretranslate_api_key", "", str, "API key for the LibreTranslate server."),
    Setting("translate_libretranslate_timeout_s", 60.0, float,
            "Seconds one request to LibreTranslate may take."),
    Setting("translate_apertium_binary", "apertium", str, "Path or name of the apertium program."),
    Setting("translate_apertium_timeout_s", 60.0, float, "Seconds one apertium run may take."),
)

_PREFIX = "translate_"


@dataclass(frozen=True, slots=True)
class TranslateSettings:
    """Values for the translator and the engines; field = setting name minus ``translate_``."""

    engines: tuple[str, ...] = parse_engine_order(DEFAULT_ENGINE_ORDER)
    #: ((pair, engines), ...) with pair written "es-en".
    pair_engines: tuple[tuple[str, tuple[str, ...]], ...] = ()
    target_language: str = "en"
    max_sentence_chars: int = 400
    models_dir: str = "models"
    ct2_threads: int = 4
    ct2_device: str = "auto"
    beam_size: int = 4
    max_batch_tokens: int = 4096
    openai_base_url: str = ""
    openai_model: str = ""
    openai_api_key_env: str = "OPENAI_API_KEY"
    openai_timeout_s: float = 60.0
    openai_requests_per_min: int = 60
    libretranslate_url: str = ""
    libretranslate_api_key: str = ""
    libretranslate_timeout_s: float = 60.0
    apertium_binary: str = "apertium"
    apertium_timeout_s: float = 60.0

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> TranslateSettings:
        """Read ``BABELWIRE_TRANSLATE_*`` variables (start-up only), then apply overrides."""
        rows = ((s.name.removeprefix(_PREFIX), s) for s in TRANSLATE_SETTINGS)
        values = read_table(rows, (f.name for f in fields(cls)), environ, overrides, "translate")
        return replace(cls(), **values)

    def engines_for(self, source_lang: str, target_lang: str) -> tuple[str, ...]:
        """The configured engine order for one pair: its override, else the default."""
        pair = f"{source_lang}-{target_lang}"
        for key, names in self.pair_engines:
            if key == pair:
                return names
        return self.engines
