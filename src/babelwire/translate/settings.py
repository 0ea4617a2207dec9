"""The settings the translation stage and its engines need.

The rows join the one settings registry (:mod:`babelwire.settings`) as the
"Translation" part; a field of :class:`TranslateSettings` is a row's name
without ``translate_``. Engines receive a frozen :class:`TranslateSettings`
and never read the environment themselves (except the OpenAI key, whose variable *name* is a
setting so that the secret itself is never stored in a settings dump).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babelwire.errors import ConfigError
from babelwire.settings import Setting, check_record, read_part, register

DEFAULT_ENGINE_ORDER = "ctranslate2,apertium,openai,libretranslate"

#: The public Argos package index; a setting so that a mirror can replace it.
DEFAULT_MODEL_INDEX_URL = (
    "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
)


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
    Setting("translate_engines", parse_engine_order(DEFAULT_ENGINE_ORDER), tuple,
            "Engines tried for every language pair, first to last; a later engine "
            "gets the segments an earlier one failed.", parse=parse_engine_order),
    Setting("translate_pair_engines", (), tuple,
            "Per-pair engine order that replaces the default for that pair, "
            "e.g. 'es-en=apertium,ctranslate2; ru-en=ctranslate2'.", parse=parse_pair_engines),
    Setting("translate_target_language", "en", str, "Language every item is translated into."),
    # Under about 40 characters a cut no longer finds a clause boundary, and 0
    # or less would never end a piece at all.
    Setting("translate_max_sentence_chars", 400, int,
            "Sentences longer than this are cut at clause boundaries before "
            "translation (neural models degrade on very long inputs) and rejoined after.",
            unit="chars", min=40, max=100_000),
    Setting("translate_models_dir", "models", str,
            "Directory of installed translation models (CTranslate2/Argos packages)."),
    Setting("translate_model_index_url", DEFAULT_MODEL_INDEX_URL, str,
            "Argos package index that `babelwire models install` reads (a JSON list)."),
    Setting("translate_ct2_threads", 4, int, "CPU threads per CTranslate2 translator.",
            unit="threads", min=1, max=256),
    Setting("translate_ct2_device", "auto", str, "CTranslate2 device.",
            choices=("auto", "cpu", "cuda")),
    Setting("translate_beam_size", 4, int, "Beam width for neural decoding (1 = greedy).",
            min=1, max=64),
    Setting("translate_max_batch_tokens", 4096, int,
            "Padded tokens in one neural batch; bounds memory per batch.",
            unit="tokens", min=1, max=1_000_000),
    Setting("translate_openai_base_url", "", str,
            "Base URL of an OpenAI-compatible endpoint; empty disables the engine."),
    Setting("translate_openai_model", "", str,
            "Model name sent to the OpenAI-compatible endpoint."),
    Setting("translate_openai_api_key_env", "OPENAI_API_KEY", str,
            "Name of the environment variable that holds the endpoint's API key."),
    Setting("translate_openai_timeout_s", 60.0, float,
            "Seconds one request to the endpoint may take.", unit="s", min=0.01, max=3600),
    Setting("translate_openai_requests_per_min", 60, int,
            "Requests per minute sent to the endpoint (its rate limit).",
            unit="requests/min", min=1, max=100_000),
    Setting("translate_libretranslate_url", "", str,
            "Base URL of a LibreTranslate server; empty disables the engine."),
    Setting("translate_libretranslate_api_key", "", str, "API key for the LibreTranslate server.",
            secret=True),
    Setting("translate_libretranslate_timeout_s", 60.0, float,
            "Seconds one request to LibreTranslate may take.", unit="s", min=0.01, max=3600),
    Setting("translate_apertium_binary", "apertium", str, "Path or name of the apertium program."),
    Setting("translate_apertium_timeout_s", 60.0, float, "Seconds one apertium run may take.",
            unit="s", min=0.01, max=3600),
)

TRANSLATE = register("Translation", "translate_", TRANSLATE_SETTINGS)


@dataclass(frozen=True, slots=True)
class TranslateSettings:
    """Values for the translator and the engines; field = setting name minus ``translate_``."""

    engines: tuple[str, ...] = parse_engine_order(DEFAULT_ENGINE_ORDER)
    #: ((pair, engines), ...) with pair written "es-en".
    pair_engines: tuple[tuple[str, tuple[str, ...]], ...] = ()
    target_language: str = "en"
    max_sentence_chars: int = 400
    models_dir: str = "models"
    model_index_url: str = DEFAULT_MODEL_INDEX_URL
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

    def __post_init__(self) -> None:
        check_record(TRANSLATE, self)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> TranslateSettings:
        """Read ``BABELWIRE_TRANSLATE_*`` variables (start-up only), then apply overrides."""
        return cls(**read_part(TRANSLATE, environ, overrides))

    def engines_for(self, source_lang: str, target_lang: str) -> tuple[str, ...]:
        """The configured engine order for one pair: its override, else the default."""
        pair = f"{source_lang}-{target_lang}"
        for key, names in self.pair_engines:
            if key == pair:
                return names
        return self.engines
