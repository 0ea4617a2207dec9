from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields

import pytest

from babelwire.errors import ConfigError, EngineUnavailable, TranslateError
from babelwire.translate import registry
from babelwire.translate.engine import Engine
from babelwire.translate.settings import (
    TRANSLATE_SETTINGS,
    TranslateSettings,
    parse_engine_order,
    parse_pair_engines,
)


def test_every_setting_row_is_a_field_with_the_same_default() -> None:
    defaults = {f.name: f.default for f in fields(TranslateSettings)}
    rows = {s.name.removeprefix("translate_"): s.default for s in TRANSLATE_SETTINGS}
    assert rows == defaults


def test_settings_are_read_from_the_environment_given() -> None:
    settings = TranslateSettings.load(
        {
            "BABELWIRE_TRANSLATE_ENGINES": "apertium, ctranslate2",
            "BABELWIRE_TRANSLATE_PAIR_ENGINES": "es-en=apertium; ru-en=ctranslate2,openai",
            "BABELWIRE_TRANSLATE_BEAM_SIZE": "2",
        },
        ct2_device="cpu",
    )
    assert settings.engines == ("apertium", "ctranslate2")
    assert settings.engines_for("ru", "en") == ("ctranslate2", "openai")
    assert settings.engines_for("de", "en") == ("apertium", "ctranslate2")
    assert (settings.beam_size, settings.ct2_device) == (2, "cpu")


@pytest.mark.parametrize("bad", ["es=apertium", "es-en", "-en=apertium", "es-en="])
def test_bad_pair_overrides_are_config_errors(bad: str) -> None:
    with pytest.raises(ConfigError):
        parse_pair_engines(bad)


def test_engine_named_twice_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        parse_engine_order("apertium,apertium")
    with pytest.raises(ConfigError, match="BABELWIRE_TRANSLATE_BEAM_SIZE"):
        TranslateSettings.load({"BABELWIRE_TRANSLATE_BEAM_SIZE": "wide"})


class Fixed:
    def __init__(self, name: str, pairs: set[tuple[str, str]]) -> None:
        self.name = name
        self._pairs = frozenset(pairs)

    def pairs(self) -> frozenset[tuple[str, str]]:
        if not self._pairs:
            raise TranslateError(f"{self.name}: cannot list pairs")
        return self._pairs

    def model_for(self, source: str, target: str) -> tuple[str, str]:
        return ("m", "1")

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return list(texts)


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(registry, "ENGINES", {})
    monkeypatch.setattr(registry, "load_builtin_engines", lambda: None)
    yield


@pytest.mark.usefixtures("clean_registry")
def test_register_build_and_route() -> None:
    @registry.register("fixed")
    def build_fixed(settings: TranslateSettings) -> Engine:
        return Fixed("fixed", {("ru", "en")})

    @registry.register("down")
    def build_down(settings: TranslateSettings) -> Engine:
        raise EngineUnavailable("down: no server configured")

    with pytest.raises(ValueError, match="registered twice"):
        registry.register("fixed")(lambda settings: Fixed("x", set()))

    built = registry.build_engines(TranslateSettings(engines=("down", "fixed", "nothing")))
    assert list(built.engines) == ["fixed"]
    assert built.unavailable["down"] == "translate: down: no server configured"
    assert "unknown engine 'nothing'" in built.unavailable["nothing"]
    assert isinstance(built.engines["fixed"], Engine)

    engines: dict[str, Engine] = {**built.engines, "broken": Fixed("broken", set())}
    assert [e.name for e in registry.route(engines, ["broken", "fixed"], "ru", "en")] == ["fixed"]
    assert registry.route(engines, ["fixed"], "es", "en") == []
